// A file's content sha256. Documents are small, so most are read whole (a stream costs more than the hashing);
// a large one is streamed, so it never sits in memory twice nor blocks the thread in one piece.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

const WHOLE_MAX_BYTES = 4 << 20;

export async function hashFile(file: string, size?: number): Promise<string> {
  const hash = crypto.createHash('sha256');
  if (size !== undefined && size <= WHOLE_MAX_BYTES) return hash.update(await fsp.readFile(file)).digest('hex');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}
