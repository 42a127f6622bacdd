// `normscope export OUT-DIR --format parquet|csv`: tokens and fits read back through DuckDB (an independent Parquet
// reader, C++; the writer is hyparquet-writer, JavaScript) equal the store's own files read by hand: every log norm bit
// for bit, every token, every fit value. Several row groups, and a v1 store exported as it is.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusStore, exportTables } from '../../../electron/core/corpus/index.js';
import { normscope, tempDir } from '../../analysis/fixtures.js';
import { float64s, readLines, results, type PlainResult, type PlainTaps } from '../helpers.js';

const fixture = path.join(import.meta.dirname, '../fixtures/store-v1');
const root = tempDir('parquet');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const taps = readLines<PlainTaps>(path.join(fixture, 'taps.jsonl'));
const stored: PlainResult[] = results(fixture);

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
  }
}

/** Every (document, position, site, layer) of the fixture, as the store's files hold it. */
function expectedTokens(): Map<string, { id: number; text: string; value: number; path: string; model: string }> {
  const out = new Map<string, { id: number; text: string; value: number; path: string; model: string }>();
  for (const t of taps) {
    const p = stored.find((r) => r.sha256 === t.sha256)!.path;
    for (const site of ['attn', 'mlp', 'block'] as const) {
      t.log_norms[site].forEach((b64, layer) => {
        float64s(b64).forEach((value, pos) => out.set(`${t.sha256}/${pos}/${site}/${layer}`, { id: t.tokens[pos]!.id, text: t.tokens[pos]!.text, value, path: p, model: t.model_sha256 }));
      });
    }
  }
  return out;
}

describe('normscope export', () => {
  let pq: string;
  let csv: string;
  beforeAll(() => {
    const out = path.join(root, 'store');
    fs.cpSync(fixture, out, { recursive: true });
    pq = path.join(root, 'pq');
    csv = path.join(root, 'csv');
    const a = normscope(['export', out, '--format', 'parquet', '--to', pq]);
    expect(a.stderr).toContain('tokens.parquet');
    expect(a.status).toBe(0);
    const b = normscope(['export', out, '--format', 'csv', '--to', csv]);
    expect(b.status).toBe(0);
  });

  it('tokens.parquet holds one row per document × token × tap, every log norm bit-identical, read by DuckDB', async () => {
    const want = expectedTokens();
    const rows = await query(`SELECT * FROM read_parquet('${path.join(pq, 'tokens.parquet')}')`);
    expect(rows.length).toBe(want.size);
    expect(rows.length).toBe(taps.reduce((a, t) => a + t.tokens.length * 9, 0));
    expect(Object.keys(rows[0]!)).toEqual(['sha256', 'path', 'position', 'token_id', 'token_text', 'layer', 'site', 'log_norm', 'model_sha256']);
    for (const r of rows) {
      const w = want.get(`${r.sha256}/${r.position}/${r.site}/${r.layer}`)!;
      expect(w).toBeDefined();
      expect(Object.is(r.log_norm, w.value)).toBe(true);
      expect([r.token_id, r.token_text, r.path, r.model_sha256]).toEqual([w.id, w.text, w.path, w.model]);
    }
  });

  it('fits.parquet holds one row per document × layer × term with every value of the stored fit and its settings', async () => {
    const rows = await query(`SELECT * FROM read_parquet('${path.join(pq, 'fits.parquet')}') ORDER BY sha256, layer, term`);
    const ok = stored.filter((r) => r.status === 'ok');
    expect(rows.length).toBe(ok.length * 3 * 3);
    for (const r of rows) {
      const rec = ok.find((x) => x.sha256 === r.sha256)!;
      const fit = rec.layers![r.layer as number]!.fit;
      const k = ['const', 'lag1', 'lag2'].indexOf(r.term as string);
      expect(k).toBeGreaterThanOrEqual(0);
      expect([r.estimate, r.bse, r.t, r.p, r.ci_low, r.ci_high]).toEqual([fit.params[k], fit.bse[k], fit.tvalues[k], fit.pvalues[k], fit.conf_int[k]![0], fit.conf_int[k]![1]]);
      expect([r.rsquared, r.rsquared_adj, r.nobs, r.tap, r.path]).toEqual([fit.rsquared, fit.rsquared_adj, fit.nobs, `h.${r.layer}.attn`, rec.path]);
      expect([r.component, r.lags, r.start, r.cov, r.maxlags]).toEqual([rec.settings.component, rec.settings.lags, rec.settings.start, rec.settings.cov, null]);
    }
  });

  it('the CSV tables hold the same rows and numbers (for people without Parquet)', async () => {
    const fromCsv = await query(`SELECT * FROM read_csv('${path.join(csv, 'tokens.csv')}', header = true, all_varchar = true) ORDER BY sha256, CAST(position AS INTEGER), site, CAST(layer AS INTEGER)`);
    const fromPq = await query(`SELECT * FROM read_parquet('${path.join(pq, 'tokens.parquet')}') ORDER BY sha256, position, site, layer`);
    expect(fromCsv.length).toBe(fromPq.length);
    fromCsv.forEach((c, i) => {
      expect(Number(c.log_norm)).toBe(fromPq[i]!.log_norm); // JavaScript prints the shortest text that reads back the same double
      expect(c.token_text).toBe(fromPq[i]!.token_text);
    });
    const fits = fs.readFileSync(path.join(csv, 'fits.csv'), 'utf8').trim().split('\r\n');
    expect(fits.length).toBe(1 + 2 * 9);
  });

  it('splits big tables into row groups that DuckDB reads back whole (from the store upgraded to taps.bin)', async () => {
    const upgraded = path.join(root, 'upgraded');
    fs.cpSync(fixture, upgraded, { recursive: true });
    await (await CorpusStore.open(upgraded)).close();
    expect(fs.existsSync(path.join(upgraded, 'taps.bin'))).toBe(true);
    const store = await CorpusStore.open(upgraded, { readOnly: true });
    const dir = path.join(root, 'groups');
    const [tokens] = await exportTables(store, dir, 'parquet', { groupRows: 1000 });
    const meta = await query(`SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata('${tokens!.file}')`);
    expect(Number(meta[0]!.groups)).toBe(Math.ceil(tokens!.rows / 1000));
    const sum = await query(`SELECT count(*) AS n, sum(log_norm) AS s FROM read_parquet('${tokens!.file}')`);
    const want = [...expectedTokens().values()].reduce((a, w) => a + w.value, 0);
    expect(Number(sum[0]!.n)).toBe(tokens!.rows);
    expect(Math.abs((sum[0]!.s as number) - want)).toBeLessThan(1e-9 * Math.abs(want));
  });

  it('refuses a folder that holds no results (exit 2, nothing written)', () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const r = normscope(['export', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('holds no normscope results');
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
