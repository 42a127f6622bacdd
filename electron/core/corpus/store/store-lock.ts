// The store's .lock (fs/lock.ts): one writing process per results folder. A dead holder on this host is taken over; a
// requeued cluster task also takes over the lock its own earlier run left on another node (releaseRequeuedLock).
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NormscopeError } from '../../errors.js';
import { createLock, processAlive, readLockHolder, releaseLock, removeLock } from '../../fs/lock.js';
import { LOCK_FILE } from './records.js';
import { readShardRecord } from './shard-record.js';

/** Takes the folder's lock; a lock left by a dead process on this host is taken over. Throws BAD_USAGE when it is held. */
export async function takeStoreLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  const host = os.hostname();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLock(file)) return;
    const held = await readLockHolder(file);
    if (held === 'unreadable') {
      // empty or torn: its writer is writing it right now, or died doing so long ago
      const age = Date.now() - ((await fsp.stat(file).catch(() => null))?.mtimeMs ?? 0);
      if (age < 10_000) throw new NormscopeError('BAD_USAGE', `the results folder ${dir} is being opened by another process`);
    } else if (held) {
      if (held.host === host && held.pid === process.pid) throw new NormscopeError('BAD_USAGE', `the results folder ${dir} is already open in this process`);
      if (held.host !== host || processAlive(held.pid)) {
        throw new NormscopeError(
          'BAD_USAGE',
          `the results folder ${dir} is in use by process ${held.pid} on ${held.host} since ${held.started}; ` +
            `if no normscope runs there, delete ${file}`,
        );
      }
    }
    await removeLock(file);
  }
  throw new NormscopeError('BAD_USAGE', `could not take the lock ${file}`);
}

export async function releaseStoreLock(dir: string): Promise<void> {
  await releaseLock(path.join(dir, LOCK_FILE));
}

/**
 * A requeued task on another node finds the lock its killed predecessor left (the store takes over a dead process's
 * lock only on the same host): when the folder's shard.json names this very task, and the lock another host, that
 * holder is this task's earlier incarnation, which the scheduler has ended, so the lock is removed. Returns whether it was.
 */
export async function releaseRequeuedLock(dir: string, task: string | null, hostname = os.hostname()): Promise<boolean> {
  if (!task) return false;
  const rec = await readShardRecord(dir).catch(() => null);
  if (rec?.task !== task) return false;
  const held = await readLockHolder(path.join(dir, LOCK_FILE));
  if (!held || held === 'unreadable' || !held.host || held.host === hostname) return false;
  await removeLock(path.join(dir, LOCK_FILE));
  return true;
}
