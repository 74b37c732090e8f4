/**
 * 10,000 realistic reports for the console bench: schema-valid, 1–3 KiB of account text,
 * identifiers drawn from pools (so repeat offenders exist) and written in mixed forms, each
 * encrypted to three hybrid coordinators with the console's key in a random position.
 * Generated once (about a minute) and cached in the temp dir; the keys are throw-away.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HybridIdentity, bytes, encodeReport, encrypt, loadSodiumBackend, useBackend, type Report } from '../../crypto/index.js';

export const FIXTURE_REPORTS = 10_000;
const VERSION = 1;

export interface Fixture {
  /** The console's identity (AGE-SECRET-KEY-PQ-1...). */
  identity: string;
  /** base64 age files, as the server sends them. */
  reports: string[];
  /** Queries for the search timing: identifier spellings that occur, and words. */
  queries: string[];
}

const AREAS = ['Leeds city centre', 'Bradford', 'Holbeck', 'Chapeltown', 'Harehills', 'Wakefield', 'Huddersfield', 'York station', 'Halifax', 'Dewsbury'];
const SENTENCES = [
  'He contacted me through the advert and asked for an outcall to a flat near the station.',
  'When I arrived he refused to pay the agreed amount and blocked the door.',
  'He became aggressive when I said I wanted to leave and grabbed my arm.',
  'He said he knew where I worked and that he would find me again.',
  'I managed to get out after about twenty minutes and called a friend.',
  'He had a strong smell of aftershave and a scar on his left hand.',
  'He drove a dark grey hatchback and parked it around the corner.',
  'He used a different name on the phone than the one he gave at the door.',
  'Another girl told me the same man did this to her last month.',
  'He kept texting afterwards from a withheld number.',
];
const INCIDENTS = ['violence', 'robbery', 'refused-to-pay', 'threats', 'stealthing', 'stalking-harassment', 'time-waster', 'verbal-abuse'] as const;
const NAMES = ['Dave', 'Mike', 'Steve', 'John', 'Tony', 'Gary', 'Paul', 'Lee', 'Chris', 'Mark'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function phoneForms(n: number): string[] {
  const local = String(900000 + n).padStart(6, '0');
  return [`07700 ${local}`, `+44 7700 ${local}`, `07700${local}`, `+447700${local}`, `(07700) ${local.slice(0, 3)} ${local.slice(3)}`];
}

function plate(n: number): string {
  const L = 'ABCDEFGHJKLMNPRSTUVWXY';
  return `${L[n % 22]}${L[(n >> 3) % 22]}${String(10 + (n % 80)).padStart(2, '0')} ${L[(n >> 5) % 22]}${L[(n >> 7) % 22]}${L[(n >> 9) % 22]}`;
}

function makeReport(r: () => number, recipients: string[]): Report {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const offender = Math.floor(r() * 2500);
  let account = '';
  const target = 1000 + r() * 2000;
  while (account.length < target) account += (account ? ' ' : '') + pick(SENTENCES);
  const p = plate(offender);
  const partial = r() < 0.3;
  return {
    schemaVersion: 1,
    language: 'en',
    incidentTypes: [...new Set([pick(INCIDENTS), pick(INCIDENTS)])],
    date: `2026-${String(1 + Math.floor(r() * 11)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
    timeBand: pick(['night', 'morning', 'afternoon', 'evening'] as const),
    area: pick(AREAS),
    setting: pick(['outcall-home', 'hotel', 'incall', 'car'] as const),
    contactMethod: 'website-app',
    contactDetail: pick(['AdultWork', 'Vivastreet', 'Locanto']),
    account,
    offender: { count: 'one', gender: 'man', ageRange: pick(['25-34', '35-44', '45-54'] as const), nameGiven: pick(NAMES), hair: 'short, dark' },
    vehicle: { make: 'Ford', colour: 'grey', plate: partial ? p.replace(' ', '').slice(0, 4) : p, plateIsPartial: partial },
    identifiers: {
      phones: [pick(phoneForms(offender))],
      emails: r() < 0.3 ? [`user${offender}@example.org`] : [],
      usernames: r() < 0.4 ? [`@punter_${offender}`] : [],
    },
    consent: { publishWarning: pick(['yes', 'no', 'unsure'] as const), shareWithPolice: pick(['yes', 'no'] as const) },
    replyRecipient: pick(recipients),
  };
}

/** Load the cached fixture or make it. */
export async function loadFixture(): Promise<Fixture> {
  const file = join(tmpdir(), `tipline-bench-console-${FIXTURE_REPORTS}-v${VERSION}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Fixture;
  useBackend(await loadSodiumBackend());
  const me = HybridIdentity.generate();
  const others = [HybridIdentity.generate(), HybridIdentity.generate()];
  const replies = Array.from({ length: 20 }, () => HybridIdentity.generate().recipient().toString());
  const r = rng(42);
  const reports: string[] = [];
  for (let i = 0; i < FIXTURE_REPORTS; i++) {
    const rec = [others[0]!.recipient(), others[1]!.recipient()];
    rec.splice(Math.floor(r() * 3), 0, me.recipient());
    reports.push(bytes.base64Padded(await encrypt(rec, encodeReport(makeReport(r, replies)))));
  }
  const queries: string[] = [];
  for (let i = 0; i < 200; i++) {
    const n = Math.floor(r() * 2500);
    queries.push(phoneForms(n)[i % 5]!, plate(n), plate(n).replace(' ', '').slice(0, 4), `user${n}@example.org`, `@punter_${n}`);
  }
  const fixture: Fixture = { identity: me.toString(), reports, queries };
  writeFileSync(file + '.tmp', JSON.stringify(fixture));
  renameSync(file + '.tmp', file);
  return fixture;
}
