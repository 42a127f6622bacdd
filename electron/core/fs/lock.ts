// One lock for whatever normscope writes from more than one process (a results store, a shard's folder, a partial
// download): an exclusive file holding its holder's {pid, host, started}; a holder whose process is gone is taken over.
// Ours, not proper-lockfile: that judges a lock stale by an mtime its holder must keep refreshing, where a store is held
// idle for hours; ours asks whether the holding process lives, and records the host, which a requeued cluster task needs
// to recognise the lock its own predecessor left on another node.
import fs from 'node:fs/promises';
import os from 'node:os';
import { writeFailure } from './atomic.js';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

/** The lock's holder; null when there is no lock; 'unreadable' when it is empty or torn (being written this instant, or
 * its writer died doing so). A lock of a bare pid (what partial-download locks held before) is this host's. */
export async function readLockHolder(file: string): Promise<LockHolder | null | 'unreadable'> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text), host: os.hostname(), started: '' };
  try {
    const held = JSON.parse(text) as Partial<LockHolder>;
    return typeof held === 'object' && held !== null ? (held as LockHolder) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Whether `pid` runs on this host (a process of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder is another process that may still run: one on another host is assumed to, since this host cannot
 * tell; this very process is not "another". */
export function heldByAnother(holder: LockHolder, hostname = os.hostname()): boolean {
  if (holder.host !== hostname) return true;
  if (holder.pid === process.pid || holder.pid === undefined) return false;
  return processAlive(holder.pid);
}

/** Creates the lock for this process; false when it exists already. Throws writeFailure when it cannot be written. */
export async function createLock(file: string): Promise<boolean> {
  const mine: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString() };
  try {
    await fs.writeFile(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw writeFailure(file, e);
  }
}

/** Removes the lock when this process holds it. */
export async function releaseLock(file: string): Promise<void> {
  const held = await readLockHolder(file);
  if (held && held !== 'unreadable' && held.pid === process.pid && held.host === os.hostname()) await fs.rm(file, { force: true });
}

/** Removes a lock whatever holds it (a stale holder's, after the caller has judged it so). */
export async function removeLock(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
