// A merged results folder against a single machine's run of the same documents, read the plain way (test/corpus/helpers):
// every content once, every fit and stored log norm identical, the corpus statistics equal to 1e-10.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { results, tapsRecords } from '../corpus/helpers.js';

export const SUMMARY_TOLERANCE = 1e-10;

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Every number in `a` within tol·max(1, |b|) of `b`'s, everything else equal; returns the first difference's path. */
export function firstDifference(a: unknown, b: unknown, tol: number, where = ''): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return null;
    return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) ? null : `${where}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], tol, `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tol, `${where}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

export function expectSameAsSingleRun(merged: string, single: string): void {
  const got = results(merged);
  const want = new Map(results(single).map((r) => [r.sha256, r]));
  // each content once, and the same contents
  expect(new Set(got.map((r) => r.sha256)).size).toBe(got.length);
  expect(got.map((r) => r.sha256).sort()).toEqual([...want.keys()].sort());
  for (const r of got) {
    const w = want.get(r.sha256)!;
    expect(r.status).toBe(w.status);
    expect(r.n_tokens).toBe(w.n_tokens);
    expect(r.layers).toEqual(w.layers);
  }
  const taps = tapsRecords(merged);
  const wantTaps = new Map(tapsRecords(single).map((t) => [t.sha256, t]));
  expect(taps.map((t) => t.sha256).sort()).toEqual([...wantTaps.keys()].sort());
  for (const t of taps) {
    const w = wantTaps.get(t.sha256)!;
    expect(t.tokens).toEqual(w.tokens);
    expect(t.log_norms).toEqual(w.log_norms);
  }
  const a = readJson(path.join(merged, 'corpus-summary.json'));
  const b = readJson(path.join(single, 'corpus-summary.json'));
  expect(a.schema).toBe(b.schema);
  expect(a.documents).toEqual(b.documents);
  expect(a.settings).toEqual(b.settings);
  expect(a.failures).toEqual(b.failures);
  expect((a.layers as unknown[]).length).toBeGreaterThan(0);
  expect(firstDifference(a.layers, b.layers, SUMMARY_TOLERANCE)).toBeNull();
  // the per-document table: the same rows (documents in the folder's order)
  expect(fs.readFileSync(path.join(merged, 'corpus-documents.csv'), 'utf8')).toBe(fs.readFileSync(path.join(single, 'corpus-documents.csv'), 'utf8'));
  const manifest = readJson(path.join(merged, 'manifest.json'));
  expect(manifest.schema).toBe(readJson(path.join(single, 'manifest.json')).schema);
  expect((manifest.models as { model_sha256: string }[]).map((m) => m.model_sha256)).toEqual(
    (readJson(path.join(single, 'manifest.json')).models as { model_sha256: string }[]).map((m) => m.model_sha256),
  );
}
