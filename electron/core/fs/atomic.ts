// Writes that are never seen half-done: write a sibling temporary file, then rename it over the target.
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

/** Replaces `target` with `data` in one step (readers see the old or the new content, never a mix). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempSibling(target);
  try {
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
    throw diskFullOr(e, target);
  }
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
    throw diskFullOr(e, linkPath);
  }
}
