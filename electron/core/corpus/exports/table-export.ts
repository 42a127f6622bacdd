// A results folder → two long tables for the tools researchers already use:
//   tokens  one row per document × token × tap (layer, site): the log norm
//   fits    one row per document × layer × term under each stored model and settings: estimate, bse, t, p, CI, R², nobs
// as Parquet (hyparquet-writer, row group by row group, so memory holds one group) or as CSV. Each file is written
// aside and renamed once complete, so a reader never sees half a table.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ParquetWriter, fileWriter, type ColumnSource } from 'hyparquet-writer';
import { SITES, tapName } from '../../../../shared/taps.js';
import { csvField, termName } from '../../analysis/table.js';
import { NormscopeError, isNormscopeError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { syncDirectory, writeFailure } from '../../fs/atomic.js';
import type { CorpusStore } from '../store/index.js';

export type TableFormat = 'parquet' | 'csv';
export const TABLE_FORMATS: readonly TableFormat[] = ['parquet', 'csv'];

type ColumnType = 'STRING' | 'INT32' | 'DOUBLE';
type Value = string | number | null;

interface Table {
  name: 'tokens' | 'fits';
  columns: readonly { name: string; type: ColumnType }[];
}

export const TOKENS_TABLE: Table = {
  name: 'tokens',
  columns: [
    { name: 'sha256', type: 'STRING' },
    { name: 'path', type: 'STRING' },
    { name: 'position', type: 'INT32' },
    { name: 'token_id', type: 'INT32' },
    { name: 'token_text', type: 'STRING' },
    { name: 'layer', type: 'INT32' },
    { name: 'site', type: 'STRING' },
    { name: 'log_norm', type: 'DOUBLE' },
    { name: 'model_sha256', type: 'STRING' },
  ],
};

export const FITS_TABLE: Table = {
  name: 'fits',
  columns: [
    { name: 'sha256', type: 'STRING' },
    { name: 'path', type: 'STRING' },
    { name: 'layer', type: 'INT32' },
    { name: 'tap', type: 'STRING' },
    { name: 'term', type: 'STRING' },
    { name: 'estimate', type: 'DOUBLE' },
    { name: 'bse', type: 'DOUBLE' },
    { name: 't', type: 'DOUBLE' },
    { name: 'p', type: 'DOUBLE' },
    { name: 'ci_low', type: 'DOUBLE' },
    { name: 'ci_high', type: 'DOUBLE' },
    { name: 'rsquared', type: 'DOUBLE' },
    { name: 'rsquared_adj', type: 'DOUBLE' },
    { name: 'nobs', type: 'INT32' },
    { name: 'component', type: 'STRING' },
    { name: 'lags', type: 'INT32' },
    { name: 'start', type: 'INT32' },
    { name: 'cov', type: 'STRING' },
    { name: 'maxlags', type: 'INT32' },
    { name: 'model_sha256', type: 'STRING' },
    { name: 'tokenizer_sha256', type: 'STRING' },
  ],
};

/** Rows of a table, one document at a time. */
type RowSource = AsyncIterable<Value[][]>;

/** Reads and writes are synchronous: every this many documents the event loop gets a turn (the app's IPC). */
const YIELD_EVERY = 256;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* tokenRows(store: CorpusStore): RowSource {
  const pathOf = new Map<string, string>();
  for (const e of store.allEntries()) if (e.sha256 && !pathOf.has(e.sha256)) pathOf.set(e.sha256, e.path);
  for (const [i, { sha256, model }] of store.allTaps().entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    const taps = await store.readTaps(sha256, model);
    if (!taps) continue;
    const p = pathOf.get(sha256) ?? null;
    const rows: Value[][] = [];
    taps.tokens.forEach((tok, t) => {
      for (const site of SITES) {
        taps.logNorms[site].forEach((series, layer) => rows.push([sha256, p, t, tok.id, tok.text, layer, site, series[t]!, model.model_sha256]));
      }
    });
    yield rows;
  }
}

async function* fitRows(store: CorpusStore): RowSource {
  for (const [i, entry] of store.allEntries().entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToLoop();
    if (entry.status !== 'ok') continue;
    const rec = await store.readResult(entry);
    const s = rec.settings;
    const rows: Value[][] = [];
    for (const { layer, fit } of rec.layers ?? []) {
      fit.params.forEach((estimate, k) => {
        rows.push([
          rec.sha256, rec.path, layer, tapName(layer, s.component), termName(k), estimate, fit.bse[k]!, fit.tvalues[k]!, fit.pvalues[k]!,
          fit.conf_int[k]![0], fit.conf_int[k]![1], fit.rsquared, fit.rsquared_adj, fit.nobs, s.component, s.lags, s.start, s.cov,
          s.maxlags ?? null, rec.model_sha256, rec.tokenizer_sha256,
        ]);
      });
    }
    yield rows;
  }
}

/** Rows per Parquet row group: about 10 MB of columns at a time. */
const GROUP_ROWS = 1 << 18;

async function writeParquet(file: string, table: Table, source: RowSource, groupRows: number): Promise<number> {
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: [
      { name: 'root', num_children: table.columns.length },
      ...table.columns.map((c) =>
        c.type === 'STRING'
          ? { name: c.name, type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const, repetition_type: 'OPTIONAL' as const }
          : { name: c.name, type: c.type, repetition_type: 'OPTIONAL' as const },
      ),
    ],
    kvMetadata: [{ key: 'normscope', value: `normscope ${VERSION} ${table.name} table` }],
    createdBy: `normscope ${VERSION}`,
  });
  let columns: Value[][] = table.columns.map(() => []);
  let pending = 0;
  let total = 0;
  // exactly groupRows rows per row group (the last one fewer): a group is written once it is full
  const flush = async (rows: number) => {
    if (rows === 0) return;
    const columnData: ColumnSource[] = table.columns.map((c, i) => ({
      name: c.name,
      data: columns[i]!.slice(0, rows),
      ...(c.type === 'DOUBLE' ? { encoding: 'BYTE_STREAM_SPLIT' as const } : {}),
    }));
    await writer.write({ columnData, rowGroupSize: rows });
    columns = columns.map((col) => col.slice(rows));
    pending -= rows;
  };
  for await (const rows of source) {
    for (const row of rows) row.forEach((v, i) => columns[i]!.push(v));
    pending += rows.length;
    total += rows.length;
    while (pending >= groupRows) await flush(groupRows);
  }
  await flush(pending);
  await writer.finish();
  return total;
}

async function writeCsv(file: string, table: Table, source: RowSource): Promise<number> {
  const handle = await fsp.open(file, 'w');
  let total = 0;
  try {
    let text = table.columns.map((c) => c.name).join(',') + '\r\n';
    for await (const rows of source) {
      for (const row of rows) text += row.map((v) => (v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : csvField(v))).join(',') + '\r\n';
      total += rows.length;
      if (text.length > 1 << 20) {
        await handle.write(text);
        text = '';
      }
    }
    await handle.write(text);
  } finally {
    await handle.close();
  }
  return total;
}

export interface ExportedTable {
  file: string;
  rows: number;
  bytes: number;
}

export interface ExportOptions {
  /** Rows per Parquet row group (default 262,144). */
  groupRows?: number;
  /** After each document read into a table: which table, documents read of those it holds. */
  onProgress?: (p: { table: string; done: number; total: number }) => void;
}

/** `source`, reporting each document it yields. */
async function* reported(source: RowSource, table: string, total: number, onProgress: ExportOptions['onProgress']): RowSource {
  let done = 0;
  for await (const rows of source) {
    yield rows;
    onProgress?.({ table, done: ++done, total });
  }
}

/** Writes tokens and fits of every document in `store` into `dir` as tokens.{parquet,csv} and fits.{parquet,csv}. */
export async function exportTables(store: CorpusStore, dir: string, format: TableFormat, options: ExportOptions = {}): Promise<ExportedTable[]> {
  if (!TABLE_FORMATS.includes(format)) throw new NormscopeError('BAD_USAGE', `unknown export format '${format}': use parquet or csv`);
  await fsp.mkdir(dir, { recursive: true }).catch((e: unknown) => Promise.reject(writeFailure(dir, e)));
  const out: ExportedTable[] = [];
  for (const [table, rows] of [
    [TOKENS_TABLE, reported(tokenRows(store), TOKENS_TABLE.name, store.allTaps().length, options.onProgress)],
    [FITS_TABLE, reported(fitRows(store), FITS_TABLE.name, store.allEntries().length, options.onProgress)],
  ] as const) {
    const file = path.join(dir, `${table.name}.${format}`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      const n = await store.readingMany(() => (format === 'parquet' ? writeParquet(tmp, table, rows, options.groupRows ?? GROUP_ROWS) : writeCsv(tmp, table, rows)));
      const fd = fs.openSync(tmp, 'r+');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      await fsp.rename(tmp, file);
      await syncDirectory(dir);
      out.push({ file, rows: n, bytes: (await fsp.stat(file)).size });
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw isNormscopeError(e) ? e : writeFailure(file, e);
    }
  }
  return out;
}
