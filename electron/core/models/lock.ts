// One writer per partial download across processes (the app and the CLI may pull the same model): the one lock of
// fs/lock.ts; a lock whose process is gone is taken over, and one of a live process is waited for.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createLock, heldByAnother, readLockHolder, removeLock } from '../fs/lock.js';
import { cancelled } from './hub.js';

const held = new Set<string>();

/** Runs `fn` holding the lock at `lockPath`, waiting (abortably) while another live holder has it. */
export async function withLock<T>(lockPath: string, fn: () => Promise<T>, opts: { signal?: AbortSignal; onWait?: () => void } = {}): Promise<T> {
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  for (let waited = false; ; ) {
    if (opts.signal?.aborted) throw cancelled();
    if (!held.has(lockPath)) {
      if (await createLock(lockPath)) break;
      const holder = await readLockHolder(lockPath);
      if (holder === null) continue;
      // torn, or our own pid (a lock this process left behind, since it holds none now), or a dead process: stale
      if (holder === 'unreadable' || !heldByAnother(holder)) {
        await removeLock(lockPath);
        continue;
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
    await removeLock(lockPath);
  }
}
