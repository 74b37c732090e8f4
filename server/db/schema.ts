/**
 * The one database interface (kysely). Both SQLite and PostgreSQL hold exactly these
 * tables; blobs come back as Buffer from both drivers.
 *
 * What is stored, and nothing else: age ciphertext, signed public documents, and the
 * operational minimum (random ids, coarse UTC days, states, sizes, expiry days, hashes
 * of secrets). No IP address, user agent, referrer or exact time.
 */
export interface Database {
  /** Root-signed keyrings; the highest version is current. */
  keyrings: { version: number; envelope: string; day: string };
  /** Signed organisation profiles (root or admin); the highest version is current. */
  profiles: { version: number; envelope: string; day: string };
  /** The signed statistics summary (suppressed aggregates, a `warnings` coordinator's signature); only the newest version is kept. */
  statistics: { version: number; envelope: string; day: string };
  reports: {
    id: string;
    ciphertext: Buffer;
    size: number;
    /** 'browser' (encrypted by the reporter's browser) or 'server' (no-JS form, encrypted in server memory). */
    origin: 'browser' | 'server';
    state: ReportState;
    received_day: string;
    expires_day: string;
    /** SHA-256 of the upload token; null once attachments are closed. */
    upload_token_hash: Buffer | null;
    /** Last day on which the upload token is accepted. */
    upload_until_day: string | null;
    mailbox_id: string | null;
    /** Bytes the report's stamp has paid for: report, attachments and free follow-ups. */
    charged_bytes: number;
    /** Follow-ups sent without a fresh stamp. */
    free_follow_ups: number;
  };
  attachments: { id: string; report_id: string; size: number; complete: number; received_day: string };
  /** Attachment ciphertext in bounded chunks, so uploads and downloads stream. */
  attachment_chunks: { attachment_id: string; seq: number; data: Buffer };
  mailboxes: { id: string; public_key: Buffer; created_day: string; expires_day: string };
  mailbox_messages: { id: string; mailbox_id: string; seq: number; sender: 'coordinator' | 'reporter'; day: string; body: Buffer };
  case_notes: { id: string; report_id: string; seq: number; day: string; body: Buffer };
  /**
   * Signed warnings; a withdrawn or superseded warning keeps its id and seq (a tombstone) with
   * envelope null and `proof` the signed withdrawal or correction that removed it.
   */
  warnings: { id: string; envelope: string | null; day: string; seq: number; proof: string | null };
  members: {
    id: string;
    login: string;
    pass_hash: string;
    /** The application's ciphertext; null once retention forgot a decided application. */
    application: Buffer | null;
    state: MemberState;
    applied_day: string;
    /** The day of approval or revocation (null while pending). */
    decided_day: string | null;
  };
  sessions: { token_hash: Buffer; member_id: string; expires_day: string };
  /** SHA-256 of spent proof-of-work stamps and no-JS form tokens, kept until their challenge expired. */
  spent_stamps: { hash: Buffer; expires_day: string };
  /** SHA-256 of signatures of accepted signed requests (replay cache). */
  seen_requests: { hash: Buffer; expires_day: string };
  counters: { name: string; value: number };
  /**
   * Abuse counters in coarse time buckets (the unit, 5 minutes to a day, belongs to the
   * counter's name); each row is deleted once it leaves its window.
   */
  abuse_counters: { name: string; bucket: number; value: number };
}

export const REPORT_STATES = ['new', 'open', 'closed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
/** refused: the application was deleted at once; the row only tells the applicant, until retention removes it. */
export const MEMBER_STATES = ['pending', 'approved', 'refused', 'revoked'] as const;
export type MemberState = (typeof MEMBER_STATES)[number];
