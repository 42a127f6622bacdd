// What a run works through: the input files, each with its size (the ETA's measure of work) or why it cannot be read,
// and each one's content hash, taken once (or given by the caller) with the next one read ahead.
import fsp from 'node:fs/promises';
import { collectInputs } from '../../analysis/index.js';
import { NormscopeError } from '../../errors.js';
import { hashFile } from './hash-file.js';

export interface Doc {
  path: string;
  bytes: number;
  /** Why it cannot be read, known from the scan (missing, a folder, a pipe or device that would block a read). */
  unreadable?: string;
}

/** The files of `paths` (folders searched), with their sizes. Throws BAD_USAGE when there is no path. */
export async function scan(paths: string[]): Promise<Doc[]> {
  if (paths.length === 0) throw new NormscopeError('BAD_USAGE', 'no files or folders to analyze');
  const inputs = await collectInputs(paths);
  return Promise.all(
    inputs.map(async (path): Promise<Doc> => {
      const stat = await fsp.stat(path).catch((e: NodeJS.ErrnoException) => e);
      if (stat instanceof Error) return { path, bytes: 0, unreadable: stat.code === 'ENOENT' ? 'no such file' : stat.message };
      return stat.isFile() ? { path, bytes: stat.size } : { path, bytes: 0, unreadable: stat.isDirectory() ? 'it is a folder' : 'not a regular file' };
    }),
  );
}

/** Why a file could not be read, in a few words. */
export function readFailure(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === undefined) return `cannot read ${path}: ${(e as Error).message}`;
  const why: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a folder' };
  return `cannot read ${path}: ${why[code ?? ''] ?? (e as Error).message}`;
}

/** Each document's content hash, started at most once, dropped once used. */
export class ContentHashes {
  private readonly pending = new Map<number, Promise<string>>();
  constructor(
    private readonly docs: readonly Doc[],
    /** Hashes the caller took already, by path as given. */
    private readonly known?: ReadonlyMap<string, string>,
  ) {}

  /** The hash of document `i` (rejects with why it cannot be read). */
  of(i: number): Promise<string> {
    let hash = this.pending.get(i);
    if (!hash) {
      const doc = this.docs[i]!;
      const known = this.known?.get(doc.path);
      hash = doc.unreadable ? Promise.reject(new Error(doc.unreadable)) : known ? Promise.resolve(known) : hashFile(doc.path, doc.bytes);
      hash.catch(() => undefined);
      this.pending.set(i, hash);
    }
    return hash;
  }

  done(i: number): void {
    this.pending.delete(i);
  }
}
