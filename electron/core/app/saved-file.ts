// A file the user asked to save: written atomically, described for the renderer (shown path, name, size).
import path from 'node:path';
import type { SavedFile } from '../../../shared/ipc.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { displayPath } from './handles.js';

/** What the renderer shows of a written file. */
export function savedFile(file: string, bytes: number): SavedFile {
  return { displayPath: displayPath(file), name: path.basename(file), bytes };
}

/** Writes `data` to `target` atomically and describes it. */
export async function saveFile(target: string, data: string | Uint8Array): Promise<SavedFile> {
  await writeFileAtomic(target, data);
  return savedFile(target, typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
}
