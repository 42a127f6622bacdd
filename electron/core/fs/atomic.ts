// Writes that are never seen half-done: write a sibling temporary file, fsync it, rename it over the target, fsync the
// folder. Every writer of normscope uses this one, and every failed write becomes WRITE_FAILED, or DISK_FULL when the
// disk or quota is full (writeFailure). Ours, not write-file-atomic: that package does not fsync the folder after the
// rename, which the results store's crash safety needs, and it would still want our error mapping around it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';

function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Maps ENOSPC/EDQUOT to DISK_FULL; anything else is rethrown as it is. */
export function diskFullOr(e: unknown, where: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new NormscopeError('DISK_FULL', `the disk is full: could not write ${where}. Free some space and try again.`, { path: where });
  }
  return e;
}

/** A failed write of `file` as a NormscopeError: DISK_FULL when the disk or quota is full, else WRITE_FAILED (one that
 * already is a NormscopeError stays as it is). */
export function writeFailure(file: string, e: unknown): NormscopeError {
  if (e instanceof NormscopeError) return e;
  const full = diskFullOr(e, file);
  if (full instanceof NormscopeError) return full;
  return new NormscopeError('WRITE_FAILED', `cannot write ${file}: ${(e as Error)?.message ?? String(e)}`, { path: file });
}

/** fsync a folder so a file created in it survives a power cut (a no-op where folders cannot be opened, as on Windows). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a folder; NTFS journals the entry itself
  } finally {
    await handle?.close();
  }
}

/** Replaces `target` with `data` in one step (readers see the old or the new content, never a mix). Throws writeFailure. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempSibling(target);
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw writeFailure(target, e);
  }
  await syncDirectory(path.dirname(target));
}

/** Points `linkPath` at `target` (a relative path) in one step, replacing whatever was there; where the file system
 * has no symlinks (Windows without developer mode) it hard-links, else copies, `absoluteTarget` instead. */
export async function linkAtomic(target: string, absoluteTarget: string, linkPath: string): Promise<void> {
  await fs.mkdir(path.dirname(linkPath), { recursive: true });
  const tmp = tempSibling(linkPath);
  try {
    try {
      await fs.symlink(target, tmp);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
      await fs.link(absoluteTarget, tmp).catch(() => fs.copyFile(absoluteTarget, tmp));
    }
    await fs.rename(tmp, linkPath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw writeFailure(linkPath, e);
  }
}
