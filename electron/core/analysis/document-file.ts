// Whether a path is a document normscope will read: a regular file (after links) no larger than the size limit,
// checked with stat before anything opens it, so a FIFO, socket or device is never opened and a huge file never read.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import { NormscopeError } from '../errors.js';

/** Default largest document read (`--max-bytes`, the app's setting): far above any text a person analyzes. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

function describeKind(s: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function statFailure(path: string, e: unknown): NormscopeError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
  return new NormscopeError('READ_FAILED', `cannot read ${path}: ${why}`, { path });
}

/** Checks a stat result: READ_FAILED for a folder (as before), NOT_A_FILE for a FIFO, socket or device, TOO_LARGE past `maxBytes`. */
function checkStat(path: string, s: Awaited<ReturnType<typeof fs.stat>>, maxBytes: number): number {
  if (s.isDirectory()) throw new NormscopeError('READ_FAILED', `cannot read ${path}: it is a folder`, { path });
  if (!s.isFile()) throw new NormscopeError('NOT_A_FILE', `${path} is ${describeKind(s)}, not a text file: skipped without opening it`, { path });
  const size = Number(s.size);
  if (size > maxBytes) {
    throw new NormscopeError('TOO_LARGE', `${path} is ${size} bytes, over the ${maxBytes}-byte limit for one document (--max-bytes, or the app's setting)`, { path, size, maxBytes });
  }
  return size;
}

/** The document's size, or NOT_A_FILE / TOO_LARGE / READ_FAILED (missing, unreadable, a folder); opens nothing. */
export async function checkDocumentFile(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<number> {
  const s = await fs.stat(path).catch((e: unknown) => Promise.reject(statFailure(path, e)));
  return checkStat(path, s, maxBytes);
}

/**
 * The document's bytes after checkDocumentFile. Opened non-blocking and checked again on the open handle, so a path
 * swapped for a FIFO between the two checks neither blocks nor is read; a file that grew past the limit is refused.
 */
export async function readDocumentBytes(path: string, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  await checkDocumentFile(path, maxBytes);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw statFailure(path, e);
  }
  try {
    checkStat(path, await handle.stat(), maxBytes);
    return await handle.readFile();
  } catch (e) {
    throw e instanceof NormscopeError ? e : statFailure(path, e);
  } finally {
    await handle.close();
  }
}
