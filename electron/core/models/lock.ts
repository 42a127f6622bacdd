// One writer per partial download across processes (the app and the CLI may pull the same model): an exclusive lock
// file holding the owner's pid; a lock whose process is gone is taken over.
import fs from 'node:fs/promises';
import path from 'node:path';
import { cancelled } from './hub.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const held = new Set<string>();

/** Runs `fn` holding the lock at `lockPath`, waiting (abortably) while another live holder has it. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: { signal?: AbortSignal; onWait?: () => void } = {}): Promise<T> {
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  for (let waited = false; ; ) {
    if (opts.signal?.aborted) throw cancelled();
    if (!held.has(lockPath)) {
      try {
        await fs.writeFile(lockPath, String(process.pid), { flag: 'wx' });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const owner = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
        // our own pid here means a lock this process left behind, since it holds none now
        if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || !alive(owner)) {
          await fs.rm(lockPath, { force: true });
          continue;
        }
      }
    }
    if (!waited) opts.onWait?.();
    waited = true;
    await new Promise((r) => setTimeout(r, 250));
  }
  held.add(lockPath);
  try {
    return await fn();
  } finally {
    held.delete(lockPath);
    await fs.rm(lockPath, { force: true });
  }
}
