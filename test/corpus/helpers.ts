// Reading a results folder the plain way (JSON.parse per line, base64 → float64 by hand), independently of the store's
// own reader, so the tests check the files themselves.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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
  tokens: { id: number; text: string }[];
  log_norms: Record<'attn' | 'mlp' | 'block', string[]>;
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
export const tapsRecords = (dir: string) => readLines<PlainTaps>(path.join(dir, 'taps.jsonl'));

export function float64s(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
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
