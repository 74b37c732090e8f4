/**
 * The data directory on disk: who may read it, and what its files' times say.
 *
 * Mode: the directory must be 0700. A new one is made so; an existing one with any group or
 * other bits (0755 from a careless mkdir, an unpacked backup) is tightened to 0700 at start
 * and the operator told so once. When that is not possible (not the owner, not a
 * directory), the server refuses to start.
 *
 * Times: SQLite writes its files when a report arrives, so their modification and change
 * times would date the last submission to the millisecond, although the database itself
 * stores days only. A timer touches every file and directory in the data directory every
 * few seconds (access and modification time set to now; the change time follows), whether
 * anything was written or not. All files then carry the time of the last tick: the server
 * was running then, nothing more. A report that arrived after the last tick is visible in
 * the -wal file's times until the next tick, so the interval bounds that window.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/**
 * Create the data directory with mode 0700, or tighten an existing one to 0700.
 * @returns true when an existing directory's mode was changed
 * @throws DataDirError when the path is not a directory or its mode cannot be changed
 */
export function secureDataDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new DataDirError(`data directory ${dir} cannot be created${code ? ` (${code})` : ''}`);
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new DataDirError(`data directory ${dir} is not a directory`);
  if ((st.mode & 0o777) === 0o700) return false;
  try {
    chmodSync(dir, 0o700);
  } catch {
    throw new DataDirError(
      `data directory ${dir} has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')} and cannot be changed to 0700 (not its owner?): fix it with chmod 700`,
    );
  }
  return true;
}

/**
 * Set the access and modification times of the data directory and everything in it to
 * `now`. Symbolic links and files that vanish meanwhile are skipped.
 */
export function touchDataFiles(dir: string, now: Date = new Date()): void {
  const visit = (p: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return;
    }
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(p);
      } catch {
        // unreadable: touch what can be touched
      }
      for (const n of names) visit(join(p, n));
    }
    try {
      utimesSync(p, now, now);
    } catch {
      // vanished or not ours
    }
  };
  visit(dir);
}

/**
 * Run {@link touchDataFiles} every `seconds`.
 * @returns stop function
 */
export function scheduleFileTimes(dir: string, seconds: number, now: () => Date = () => new Date()): () => void {
  const timer = setInterval(() => touchDataFiles(dir, now()), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
