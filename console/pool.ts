/**
 * Report decryption spread over worker threads (one per core): a cold start decrypts every
 * report, and ML-KEM-768 decapsulation dominates. Workers live in this process; the keys
 * are passed to them in memory. When workers cannot start, the caller decrypts in-process.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HybridIdentity } from '../crypto/index.js';
import type { openReport } from './cases.js';

type Opened = Awaited<ReturnType<typeof openReport>>;

export class DecryptPool {
  private seq = 0;
  private turn = 0;
  private readonly pending = new Map<number, (r: Opened) => void>();

  private constructor(private readonly workers: Worker[]) {
    for (const w of workers) {
      w.on('message', (m: { seq?: number; result?: Opened; error?: boolean }) => {
        if (m.seq === undefined) return;
        const done = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        done?.(m.result ?? { status: 'undecryptable', identifiers: [] });
      });
    }
  }

  /** Start `size` workers (default: one per core, at most 4). @throws when a worker cannot start */
  static async start(identities: readonly HybridIdentity[], size = Math.min(4, availableParallelism())): Promise<DecryptPool> {
    const workers = await Promise.all(
      Array.from({ length: size }, () => {
        const w = new Worker(new URL('./decrypt-worker.mjs', import.meta.url), { workerData: { identities: identities.map((i) => i.toString()) } });
        return new Promise<Worker>((ok, fail) => {
          w.once('error', fail);
          w.once('message', () => ok(w));
        });
      }),
    );
    for (const w of workers) w.unref();
    return new DecryptPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  open(ciphertext: Uint8Array): Promise<Opened> {
    const seq = this.seq++;
    const w = this.workers[this.turn++ % this.workers.length]!;
    return new Promise((ok) => {
      this.pending.set(seq, ok);
      w.postMessage({ seq, ciphertext });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
