// Reading a results folder the plain way (JSON.parse per line; taps.bin frames taken apart by hand, per the format note
// in the manifest), independently of the store's own reader, so the tests check the files themselves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FitJSON, Settings } from '../../shared/result.js';

export interface PlainResult {
  sha256: string | null;
  path: string;
  settings: Settings;
  status: 'ok' | 'error';
  error?: { code: string; message: string };
  n_tokens?: number;
  layers?: { layer: number; tap: string; fit: FitJSON }[];
  source: string;
}

export interface PlainTaps {
  sha256: string;
  model_sha256: string;
  tokens: { id: number; text: string }[];
  /** Per site, per layer: base64 float64 (a v1 taps.jsonl) or the log norms themselves (taps.bin). */
  log_norms: Record<'attn' | 'mlp' | 'block', (string | Float64Array)[]>;
  /** taps.bin only: 4 (float32 norms) or 8 (float64 log norms) bytes per stored value. */
  width?: number;
}

export function readLines<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { record: T }).record);
}

export const results = (dir: string) => readLines<PlainResult>(path.join(dir, 'results.jsonl'));
export const tapsRecords = (dir: string): PlainTaps[] =>
  fs.existsSync(path.join(dir, 'taps.bin')) ? binaryTaps(path.join(dir, 'taps.bin')) : readLines<PlainTaps>(path.join(dir, 'taps.jsonl'));

/** Every frame of a taps.bin, each checked against its CRC-32 (throws on any damage: the tests' files have none). */
export function binaryTaps(file: string): PlainTaps[] {
  const b = fs.readFileSync(file);
  const out: PlainTaps[] = [];
  for (let at = 0; at < b.length; ) {
    if (b.toString('latin1', at, at + 4) !== 'NSF2') throw new Error(`no frame at ${at}`);
    const len = b.readUInt32LE(at + 4);
    const payload = b.subarray(at + 12, at + 12 + len);
    if (zlib.crc32(Buffer.concat([b.subarray(at + 4, at + 8), payload])) !== b.readUInt32LE(at + 8)) throw new Error(`bad CRC at ${at}`);
    const kind = payload[1]!;
    const nLayer = payload.readUInt16LE(4);
    const T = payload.readUInt32LE(8);
    // content, model, tokenizer: raw 32-byte digests, or (flag bit 1) u16-length-prefixed text
    const ids: string[] = [];
    let idAt = 20;
    for (let i = 0; i < 3; i++) {
      if ((payload[3]! & 1) === 0) ids.push(payload.toString('hex', idAt, (idAt += 32)));
      else {
        const n = payload.readUInt16LE(idAt);
        ids.push(payload.toString('utf8', idAt + 2, (idAt += 2 + n)));
      }
    }
    const tl = payload.readUInt32LE(idAt);
    const blobs = idAt + 8;
    const tokenBytes = zlib.inflateRawSync(payload.subarray(blobs, blobs + tl));
    const tokens: PlainTaps['tokens'] = [];
    let textAt = 8 * T;
    for (let i = 0; i < T; i++) {
      const n = tokenBytes.readUInt32LE(4 * (T + i));
      tokens.push({ id: tokenBytes.readUInt32LE(4 * i), text: tokenBytes.toString('utf8', textAt, textAt + n) });
      textAt += n;
    }
    const width = kind === 0 ? 4 : 8;
    const split = zlib.inflateRawSync(payload.subarray(blobs + tl));
    const count = split.length / width;
    const joined = Buffer.alloc(split.length);
    for (let i = 0; i < count; i++) for (let k = 0; k < width; k++) joined[i * width + k] = split[k * count + i]!;
    const value = (i: number) => (width === 4 ? Math.log(joined.readFloatLE(4 * i)) : joined.readDoubleLE(8 * i));
    const log_norms = {} as PlainTaps['log_norms'];
    (['attn', 'mlp', 'block'] as const).forEach((site, si) => {
      log_norms[site] = Array.from({ length: nLayer }, (_, l) => Float64Array.from({ length: T }, (_, t) => value((si * nLayer + l) * T + t)));
    });
    out.push({ sha256: ids[0]!, model_sha256: ids[1]!, tokens, log_norms, width });
    at += 12 + len;
  }
  return out;
}

export function float64s(stored: string | Float64Array): Float64Array {
  if (typeof stored !== 'string') return stored;
  const bytes = Buffer.from(stored, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export const sha256File = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Text files of a folder, sorted as the scan sorts them. */
export function folderFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((f) => path.join(dir, f));
}
