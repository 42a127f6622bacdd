// The digest the hub names a blob by: sha256 of the content for LFS files (64 hex), git's blob sha1 of
// `blob <size>\0<content>` for files kept in git (40 hex), so small files are checked as strictly as the weights.
import { createHash, type Hash } from 'node:crypto';

const SHA256 = /^[0-9a-f]{64}$/;
const GIT_SHA1 = /^[0-9a-f]{40}$/;

/** A hash primed for a blob of `size` bytes named `etag`, or null when the etag is neither kind of digest. */
export function blobHash(etag: string, size: number): { hash: Hash; kind: 'sha256' | 'git-sha1' } | null {
  if (SHA256.test(etag)) return { hash: createHash('sha256'), kind: 'sha256' };
  if (GIT_SHA1.test(etag)) return { hash: createHash('sha1').update(`blob ${size}\0`), kind: 'git-sha1' };
  return null;
}
