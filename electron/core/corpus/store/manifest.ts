// The store's manifest.json: read (or begun, for a new folder), checked against the schemas this version reads.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { MANIFEST_FILE, RESULTS_FILE, STORE_SCHEMA, STORE_SCHEMA_V1, TAPS_FILE, TAPS_FILE_V1, type Manifest } from './records.js';

export const FORMAT_NOTE =
  'results.jsonl: JSON Lines, each line {"crc32": CRC-32 of the record text as 8 hex digits, "record": {...}}, lines ' +
  'whose checksum fails are skipped; taps.bin: binary frames "NSF2" | u32 length | u32 CRC-32 | payload of tokens and ' +
  'float32 norms (electron/core/corpus/store/taps-frame.ts), frames whose checksum fails are skipped';

/** The manifest of `dir`, or a new one for an empty or new folder. Throws BAD_INPUT for a folder of other files. */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new NormscopeError('READ_FAILED', `cannot read ${file}: ${(e as Error).message}`);
    const entries = await fsp.readdir(dir).catch(() => [] as string[]);
    if (entries.some((name) => !name.startsWith('.') && name !== TAPS_FILE && name !== RESULTS_FILE && name !== TAPS_FILE_V1)) {
      // an existing folder with other files: refuse rather than scatter result files among someone's documents
      throw new NormscopeError('BAD_INPUT', `${dir} is not empty and holds no normscope results; choose an empty or new folder`);
    }
    const now = new Date().toISOString();
    // logs of a first-version store that lost its manifest: read (and upgraded) as that version, never dropped
    if (entries.includes(TAPS_FILE_V1) && !entries.includes(TAPS_FILE)) {
      return { schema: STORE_SCHEMA_V1, normscope: VERSION, created: now, updated: now, files: { taps: TAPS_FILE_V1, results: RESULTS_FILE }, format: 'JSON Lines', models: [], runs: [] };
    }
    return { schema: STORE_SCHEMA, normscope: VERSION, created: now, updated: now, files: { taps: TAPS_FILE, results: RESULTS_FILE }, format: FORMAT_NOTE, models: [], runs: [] };
  }
  return parseManifest(file, text);
}

/** The manifest of an existing results folder, read without opening the store (no lock, no scan of its logs). Throws
 * BAD_INPUT when the folder has none, or one this version cannot read. */
export async function readStoreManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${MANIFEST_FILE}` : (e as Error).message;
    throw new NormscopeError('BAD_INPUT', `${dir} holds no normscope results (${why})`);
  }
  return parseManifest(file, text);
}

function parseManifest(file: string, text: string): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new NormscopeError('BAD_INPUT', `${file} is not valid JSON`);
  }
  if (manifest.schema !== STORE_SCHEMA && manifest.schema !== STORE_SCHEMA_V1) {
    const newer = String(manifest.schema).startsWith('normscope.corpus/');
    throw new NormscopeError(
      'BAD_INPUT',
      newer
        ? `${file} is a ${manifest.schema} store, written by a newer normscope than ${VERSION}: update normscope to read it`
        : `${file} is not a normscope results manifest (schema ${String(manifest.schema)})`,
    );
  }
  return manifest;
}
