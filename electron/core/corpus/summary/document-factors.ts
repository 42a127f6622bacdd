// One document's sufficient statistics for the pooled corpus fits (pooled-layer.ts): computed where the document is
// fitted (the worker), stored with its result, folded in by the summary without reading the series again.
import type { Settings } from '../../../../shared/result.js';
import { lagDesign } from '../../analysis/index.js';
import { TriangularFactor } from '../../stats/householder.js';

/**
 * One document's sufficient statistics for one layer: the QR factor R of its stacked rows [1, lags, y] (R'R = X'X, X'y,
 * y'y), the factor of its within-document rows, the count, mean and spread of y, and Σ of the demeaned y². Computed
 * where the document is fitted and stored with its result, so a summary folds these in without reading the series.
 */
export interface DocumentFactors {
  n: number;
  mean: number;
  m2: number;
  withinTss: number;
  /** (lags + 2)², row-major upper-triangular. */
  stack: Float64Array;
  /** (lags + 1)², row-major upper-triangular. */
  within: Float64Array;
}

/** A document's factors of one layer's series under `settings` (throws lagDesign's errors for a series too short). */
export function documentFactors(series: ArrayLike<number>, settings: Pick<Settings, 'lags' | 'start'>): DocumentFactors {
  const { lags, start } = settings;
  const s = stackedRows(series, lags, start);
  const stack = new TriangularFactor(lags + 2);
  stack.add(s.block, s.n);
  const spread = { n: 0, mean: 0, m2: 0 };
  const y = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) y[i] = s.block[i * (lags + 2) + lags + 1]!;
  mergeSpread(spread, y);
  const wr = withinRows(series, lags, start);
  let withinTss = 0;
  for (let i = 0; i < wr.n; i++) withinTss += wr.block[i * (lags + 1) + lags]! ** 2;
  const within = new TriangularFactor(lags + 1);
  within.add(wr.block, wr.n);
  return { n: s.n, mean: spread.mean, m2: spread.m2, withinTss, stack: stack.R, within: within.R };
}

/** DocumentFactors as base64 of little-endian float64 [n, mean, m2, withinTss, stack…, within…] (bit-exact, compact JSON). */
export function encodeFactors(f: DocumentFactors): string {
  const all = new Float64Array(4 + f.stack.length + f.within.length);
  all.set([f.n, f.mean, f.m2, f.withinTss]);
  all.set(f.stack, 4);
  all.set(f.within, 4 + f.stack.length);
  const bytes = Buffer.from(all.buffer);
  return (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? bytes : bytes.swap64()).toString('base64');
}

/** The factors of encodeFactors for `lags`; undefined when the text does not hold them (then the series is read instead). */
export function decodeFactors(text: unknown, lags: number): DocumentFactors | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  const ws = (lags + 2) ** 2;
  const ww = (lags + 1) ** 2;
  if (bytes.length !== 8 * (4 + ws + ww)) return undefined;
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) bytes.swap64();
  const all = new Float64Array(bytes.length / 8);
  new Uint8Array(all.buffer).set(bytes);
  return { n: all[0]!, mean: all[1]!, m2: all[2]!, withinTss: all[3]!, stack: all.slice(4, 4 + ws), within: all.slice(4 + ws) };
}

/** Merges (n, mean, M2) of y (Chan et al.), for the centered total sum of squares. */
function mergeSpread(acc: { n: number; mean: number; m2: number }, y: Float64Array): void {
  const n = y.length;
  if (n === 0) return;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= n;
  let m2 = 0;
  for (const v of y) m2 += (v - mean) ** 2;
  const total = acc.n + n;
  const delta = mean - acc.mean;
  acc.m2 += m2 + (delta * delta * acc.n * n) / total;
  acc.mean += (delta * n) / total;
  acc.n = total;
}

/** Outcomes of lagDesign(series, lags, start): t = start … T−1; its errors (too few tokens, bad settings) as it throws them. */
function outcomes(series: ArrayLike<number>, lags: number, start: number): number {
  if (series.length < start + lags + 2 || !Number.isInteger(lags) || lags < 1 || !Number.isInteger(start) || start < lags) lagDesign(series, lags, start);
  return series.length - start;
}

/** One layer's within-document design: lags and outcome minus their document means (as pooledFixedEffects formed them). */
export function withinRows(series: ArrayLike<number>, lags: number, start: number): { block: Float64Array; n: number } {
  const n = outcomes(series, lags, start);
  let my = 0;
  for (let t = start; t < series.length; t++) my += series[t]!;
  my /= n;
  const mx = new Float64Array(lags);
  for (let t = start; t < series.length; t++) for (let k = 0; k < lags; k++) mx[k]! += series[t - k - 1]! / n;
  const w = lags + 1;
  const block = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    const t = start + i;
    for (let k = 0; k < lags; k++) block[i * w + k] = series[t - k - 1]! - mx[k]!;
    block[i * w + lags] = series[t]! - my;
  }
  return { block, n };
}

/** One layer's stacked design rows [1, y[t−1] … y[t−p], y[t]]. */
export function stackedRows(series: ArrayLike<number>, lags: number, start: number): { block: Float64Array; n: number } {
  const n = outcomes(series, lags, start);
  const w = lags + 2;
  const block = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    const t = start + i;
    block[i * w] = 1;
    for (let k = 1; k <= lags; k++) block[i * w + k] = series[t - k]!;
    block[i * w + lags + 1] = series[t]!;
  }
  return { block, n };
}
