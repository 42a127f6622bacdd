// Corpus results → files: the summary as JSON, one CSV row per layer × coefficient, one per document × layer × coefficient.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { FitJSON, Settings } from '../../../../shared/result.js';
import { CSV_HEADER, coefficientCsvLines, csvField } from '../../analysis/table.js';
import { isNormscopeError } from '../../errors.js';
import { syncDirectory, writeFailure, writeFileAtomic } from '../../fs/atomic.js';
import type { DocumentFits, FixedEffectsFit, LayerSummary, Unavailable } from './statistics.js';
import type { CorpusStore, ModelIdentity } from '../store/index.js';
import { summarizeStore, type CorpusSummary, type SummaryOptions } from './summarize-store.js';

export const SUMMARY_FILES = { json: 'corpus-summary.json', layers: 'corpus-layers.csv', documents: 'corpus-documents.csv' } as const;

export const LAYER_COLUMNS = [
  'layer', 'tap', 'term', 'n', 'mean', 'sd', 'min', 'q05', 'q25', 'median', 'q75', 'q95', 'max',
  'share_significant', 'ivw_mean', 'ivw_se', 'ivw_ci_low', 'ivw_ci_high', 'cochran_q', 'q_df', 'q_pvalue', 'i2',
  'pooled_estimate', 'pooled_bse', 'pooled_p', 'pooled_ci_low', 'pooled_ci_high',
  'fe_estimate', 'fe_bse', 'fe_p', 'fe_ci_low', 'fe_ci_high',
] as const;

/** One row per layer × coefficient (fixed-effects columns empty for the intercept, which that fit does not have). */
export function layersCsv(layers: readonly LayerSummary[]): string {
  const rows: (string | number)[][] = [[...LAYER_COLUMNS]];
  for (const l of layers) {
    const pooled = fitted<FitJSON>(l.pooled);
    const fe = fitted<FixedEffectsFit>(l.fixed_effects);
    for (const c of l.coefficients) {
      const w = c.weighted;
      const q = c.quantiles;
      const k = c.index;
      const feK = k - 1;
      rows.push([
        l.layer, l.tap, c.term, c.n, c.mean, c.sd, q.min, q.q05, q.q25, q.median, q.q75, q.q95, q.max,
        c.share_significant, w?.mean ?? '', w?.se ?? '', w?.conf_int[0] ?? '', w?.conf_int[1] ?? '', w?.q ?? '', w?.q_df ?? '', w?.q_pvalue ?? '', w?.i2 ?? '',
        pooled?.params[k] ?? '', pooled?.bse[k] ?? '', pooled?.pvalues[k] ?? '', pooled?.conf_int[k]?.[0] ?? '', pooled?.conf_int[k]?.[1] ?? '',
        fe && feK >= 0 ? fe.params[feK]! : '', fe && feK >= 0 ? fe.bse[feK]! : '', fe && feK >= 0 ? fe.pvalues[feK]! : '',
        fe && feK >= 0 ? fe.conf_int[feK]![0] : '', fe && feK >= 0 ? fe.conf_int[feK]![1] : '',
      ]);
    }
  }
  return rows.map((r) => r.map((v) => csvField(typeof v === 'number' && !Number.isFinite(v) ? '' : v)).join(',')).join('\r\n') + '\r\n';
}

/** The per-document CSV of `normscope analyze --csv` (same columns, same text), from stored fits. */
export function documentsCsv(documents: readonly DocumentFits[]): string {
  return CSV_HEADER + documents.map((d) => coefficientCsvLines(d.path, d.layers)).join('');
}

/** Writes the three summary files into `dir` (each replaced atomically); returns their paths. */
export async function writeSummaryFiles(dir: string, summary: CorpusSummary, documents: readonly DocumentFits[]): Promise<string[]> {
  const files: [string, string][] = [
    [SUMMARY_FILES.json, JSON.stringify(summary, null, 2) + '\n'],
    [SUMMARY_FILES.layers, layersCsv(summary.layers)],
    [SUMMARY_FILES.documents, documentsCsv(documents)],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}

/**
 * Summarizes the store and writes the three summary files, streaming: the per-document CSV is written row by row as
 * the results are read (to a temporary file, fsync'd and renamed), so no corpus of fits is held in memory.
 */
export async function writeStoreSummary(
  store: CorpusStore,
  model: ModelIdentity,
  settings: Settings,
  dir: string,
  options: Omit<SummaryOptions, 'keepDocuments' | 'onDocument'> = {},
): Promise<{ summary: CorpusSummary; files: string[] }> {
  const file = path.join(dir, SUMMARY_FILES.documents);
  const tmp = `${file}.${process.pid}.tmp`;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(tmp, 'w');
  } catch (e) {
    throw writeFailure(tmp, e);
  }
  let summary: CorpusSummary;
  try {
    let pending: string[] = [CSV_HEADER];
    let pendingLength = 0;
    const flush = async () => {
      const text = pending.join('');
      pending = [];
      pendingLength = 0;
      if (text) await handle.write(text);
    };
    ({ summary } = await summarizeStore(store, model, settings, {
      ...options,
      keepDocuments: false,
      onDocument: async (doc) => {
        const rows = coefficientCsvLines(doc.path, doc.layers);
        pending.push(rows);
        pendingLength += rows.length;
        // a write a megabyte: each is a thread-pool round trip, and a 190 MB CSV written 64 KB at a time waited 3 s on them
        if (pendingLength > 1 << 20) await flush();
      },
    }));
    await flush();
    await handle.sync();
    await handle.close();
    await fsp.rename(tmp, file);
    await syncDirectory(dir);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw isNormscopeError(e) ? e : writeFailure(file, e);
  }
  const json = path.join(dir, SUMMARY_FILES.json);
  const layers = path.join(dir, SUMMARY_FILES.layers);
  await writeFileAtomic(json, JSON.stringify(summary, null, 2) + '\n');
  await writeFileAtomic(layers, layersCsv(summary.layers));
  return { summary, files: [json, layers, file] };
}

function fitted<T>(value: T | Unavailable | undefined): T | undefined {
  return value === undefined || 'error' in (value as object) ? undefined : (value as T);
}
