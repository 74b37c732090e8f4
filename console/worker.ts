/**
 * The body of a decryption worker: the libsodium backend, the console's identities (sent by
 * the parent thread of the same process, never written anywhere), and one job kind: open a
 * report's ciphertext. Answers `{seq, result}` or `{seq, error}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HybridIdentity, loadSodiumBackend, useBackend } from '../crypto/index.js';
import { openReport } from './cases.js';
import { PositionHintIdentity } from './position.js';

useBackend(await loadSodiumBackend());
const identities = (workerData as { identities: string[] }).identities.map((s) => new PositionHintIdentity(HybridIdentity.parse(s)));

parentPort!.on('message', (m: { seq: number; ciphertext: Uint8Array }) => {
  openReport(identities, m.ciphertext).then(
    (result) => parentPort!.postMessage({ seq: m.seq, result }),
    () => parentPort!.postMessage({ seq: m.seq, error: true }),
  );
});
parentPort!.postMessage({ ready: true });
