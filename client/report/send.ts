/**
 * Sending a report, all in the browser: verify the keyring against the pinned root key,
 * take the receipt code and mailbox prepared while the person was typing (prepare.ts), validate and pad the report, encrypt it to
 * every coordinator, take the proof-of-work stamp solved meanwhile, post it, then encrypt and upload
 * each cleaned photo. The server only ever receives ciphertext.
 */
import { bytes, encodeReport, encrypt, receiptCodeDigits, type Report } from '../lib/crypto.js';
import { ApiError, requestJson, uploadBinary } from '../lib/api.js';
import { verifiedRecipients } from '../lib/keyring.js';
import type { CleanPhoto } from '../lib/photo.js';
import { freshStamp } from '../lib/pow.js';
import { prepareNext, takeReceipt, takeSealer, takeStamp } from './prepare.js';

export type Stage = 'keyring' | 'code' | 'encrypt' | 'work' | 'upload' | 'photos';

export interface SendProgress {
  stage: Stage;
  /** In [0, 1] when known. */
  fraction?: number;
  /** 1-based photo number during 'photos'. */
  photo?: number;
}

export interface SendResult {
  code: string;
  /** The same code as 10 groups of 4 digits. */
  digits: string;
  reportId: string;
  photosSent: number;
  /** 1-based numbers of photos that could not be sent. */
  photosFailed: number[];
}

/**
 * Send a report (without replyRecipient: it is added here) and its photos.
 * @throws KeyringRefused before anything is sent when the keyring does not verify
 * @throws DocumentError('invalid report') when the report does not satisfy the schema
 * @throws ApiError when the server refuses the report or the network fails
 */
export async function sendReport(report: Report, photos: readonly CleanPhoto[], onProgress: (p: SendProgress) => void): Promise<SendResult> {
  onProgress({ stage: 'keyring' });
  // A keyring verified in the last minutes (prepare.ts re-verifies it at each renewal), with the
  // age header already wrapped to it; otherwise fetched and verified now.
  const sealer = takeSealer();
  const recipients = sealer ? sealer.recipients : (await verifiedRecipients()).recipients;

  onProgress({ stage: 'code', fraction: 0 });
  const { code, mailbox, replyRecipient } = await takeReceipt((f) => onProgress({ stage: 'code', fraction: f }));
  try {
    onProgress({ stage: 'encrypt' });
    const padded = encodeReport({ ...report, replyRecipient });
    let ciphertext: Uint8Array | undefined;
    if (sealer) {
      try {
        ciphertext = (await sealer.encryption).seal(padded);
      } catch {
        ciphertext = undefined;
      }
    }
    ciphertext ??= await encrypt(recipients, padded);
    bytes.wipe(padded);

    const body = JSON.stringify({
      report: bytes.base64Padded(ciphertext),
      mailbox: { id: mailbox.mailboxId, publicKey: bytes.base64Padded(mailbox.signingPublicKey) },
    });
    const post = (stamp: string): Promise<{ id: string; uploadToken: string }> =>
      requestJson<{ id: string; uploadToken: string }>('/api/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'tipline-pow': stamp },
        body,
      });
    onProgress({ stage: 'work', fraction: 0 });
    const stamp = await takeStamp((f) => onProgress({ stage: 'work', fraction: f }));
    onProgress({ stage: 'upload' });
    let posted: { id: string; uploadToken: string };
    try {
      posted = await post(stamp);
    } catch (e) {
      // The challenge lapsed, or a surge raised the difficulty while we worked: once more with a new one.
      if (!(e instanceof ApiError && e.status === 403 && e.message === 'proof of work expired')) throw e;
      onProgress({ stage: 'work', fraction: 0 });
      const again = await freshStamp((tried, expected) =>
        // The expected count is a mean; show a bar that approaches the end without claiming to reach it.
        onProgress({ stage: 'work', fraction: 1 - Math.exp(-tried / Math.max(1, expected)) }),
      );
      onProgress({ stage: 'upload' });
      posted = await post(again);
    }
    const { id, uploadToken } = posted;

    const photosFailed: number[] = [];
    let photosSent = 0;
    for (let i = 0; i < photos.length; i++) {
      onProgress({ stage: 'photos', photo: i + 1, fraction: 0 });
      try {
        const sealed = await encrypt(recipients, photos[i]!.bytes);
        await uploadBinary(`/api/attachments?report=${encodeURIComponent(id)}`, sealed, { 'tipline-upload-token': uploadToken }, (sent, total) =>
          onProgress({ stage: 'photos', photo: i + 1, fraction: total > 0 ? sent / total : 0 }),
        );
        photosSent++;
      } catch {
        photosFailed.push(i + 1);
      }
    }
    return { code, digits: receiptCodeDigits(code), reportId: id, photosSent, photosFailed };
  } catch (e) {
    // A retry gets a fresh code and stamp (the server may have seen these), prepared in the background.
    prepareNext();
    throw e;
  } finally {
    bytes.wipe(mailbox.signingSeed);
  }
}
