/**
 * Sending a report, all in the browser: verify the keyring against the pinned root key,
 * draw the receipt code and derive its mailbox, validate and pad the report, encrypt it to
 * every coordinator, do the proof of work in a worker, post it, then encrypt and upload
 * each cleaned photo. The server only ever receives ciphertext.
 */
import { bytes, deriveMailbox, encodeReport, encrypt, generateReceiptCode, type Report } from '../lib/crypto.js';
import { ApiError, requestJson, uploadBinary } from '../lib/api.js';
import { verifiedRecipients } from '../lib/keyring.js';
import type { CleanPhoto } from '../lib/photo.js';
import { freshStamp } from '../lib/pow.js';

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
  const { recipients } = await verifiedRecipients();

  onProgress({ stage: 'code', fraction: 0 });
  const code = generateReceiptCode();
  const mailbox = await deriveMailbox(code, (f) => onProgress({ stage: 'code', fraction: f }));
  try {
    onProgress({ stage: 'encrypt' });
    const padded = encodeReport({ ...report, replyRecipient: mailbox.replyIdentity.recipient().toString() });
    const ciphertext = await encrypt(recipients, padded);
    bytes.wipe(padded);

    const body = JSON.stringify({
      report: bytes.base64Padded(ciphertext),
      mailbox: { id: mailbox.mailboxId, publicKey: bytes.base64Padded(mailbox.signingPublicKey) },
    });
    const post = async (): Promise<{ id: string; uploadToken: string }> => {
      onProgress({ stage: 'work', fraction: 0 });
      const stamp = await freshStamp((tried, expected) =>
        // The expected count is a mean; show a bar that approaches the end without claiming to reach it.
        onProgress({ stage: 'work', fraction: 1 - Math.exp(-tried / Math.max(1, expected)) }),
      );
      onProgress({ stage: 'upload' });
      return requestJson<{ id: string; uploadToken: string }>('/api/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'tipline-pow': stamp },
        body,
      });
    };
    let posted: { id: string; uploadToken: string };
    try {
      posted = await post();
    } catch (e) {
      // The challenge lapsed, or a surge raised the difficulty while we worked: once more with a new one.
      if (!(e instanceof ApiError && e.status === 403 && e.message === 'proof of work expired')) throw e;
      posted = await post();
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
    return { code, reportId: id, photosSent, photosFailed };
  } finally {
    bytes.wipe(mailbox.signingSeed);
  }
}
