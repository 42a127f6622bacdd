// Pooled OLS and pooled OLS with document fixed effects from documents streamed one at a time, so memory holds a few
// numbers per layer and never a corpus of series. Pass 1 folds each document's factors (DocumentFactors: the R of its
// [X y], R'R = [X y]'[X y], i.e. its X'X, X'y, y'y kept as their triangular factor because stacking R's loses no
// digits where summing X'X squares the condition number) into the pooled factor; they are stored with each result,
// so this pass reads no series. Pass 2 recomputes each document's residuals from the pooled β for what needs them
// (robust meats, HAC cross-products across document boundaries, Durbin–Watson, residual moments). The numbers equal
// statsmodels' fit on the stacked design, as fitOls computes it (test/corpus/streaming-statistics.test.ts).
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { CovType, FitJSON, Settings } from '../../../../shared/result.js';
import { lagDesign } from '../../analysis/index.js';
import { NormscopeError } from '../../errors.js';
import { chi2Sf, fSf, kurtosisTest, normIsf, normSf, skewTest, tIsf, tPpfScipy, tSf } from '../../stats/index.js';
import { rankFromSingularValues } from '../../stats/rank.js';
import { waldFTest } from '../../stats/wald.js';
import type { FixedEffectsFit } from './statistics.js';

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

/** Upper-triangular R of a stream of rows, by Householder QR of [R; new rows] (TSQR). */
class TriangularFactor {
  R: Float64Array;
  rows = 0;
  constructor(readonly width: number) {
    this.R = new Float64Array(width * width);
  }

  /** Folds in a block of rows (row-major, `n` × width). */
  add(block: Float64Array, n: number): void {
    const w = this.width;
    if (n === 0) return;
    const top = this.rows > 0 ? w : 0;
    const m = top + n;
    const A = new Float64Array(m * w);
    if (top) A.set(this.R);
    A.set(block.subarray(0, n * w), top * w);
    householderR(A, m, w);
    this.R.fill(0);
    for (let i = 0; i < Math.min(w, m); i++) for (let j = i; j < w; j++) this.R[i * w + j] = A[i * w + j]!;
    this.rows += n;
  }

  /** Folds in another factor (w × w upper-triangular) that stands for `rows` rows. */
  addFactor(R: Float64Array, rows: number): void {
    const w = this.width;
    if (rows === 0) return;
    const rankRows = Math.min(w, rows);
    this.add(R.subarray(0, rankRows * w), rankRows);
    this.rows += rows - rankRows;
  }
}

/**
 * Householder QR of a row-major m × w matrix in place, leaving R in its upper triangle (JAMA's algorithm, as ml-matrix's
 * QrDecomposition, written out for these narrow matrices because the library's per-element accessors dominated the
 * summary's time).
 */
function householderR(A: Float64Array, m: number, w: number): void {
  for (let j = 0; j < Math.min(w, m); j++) {
    // ‖column‖ scaled by its largest entry, so no square overflows or underflows (what hypot guards, at a fraction of its cost)
    let big = 0;
    for (let i = j; i < m; i++) big = Math.max(big, Math.abs(A[i * w + j]!));
    if (big === 0 || !Number.isFinite(big)) continue;
    let ss = 0;
    for (let i = j; i < m; i++) ss += (A[i * w + j]! / big) ** 2;
    let norm = big * Math.sqrt(ss);
    if (A[j * w + j]! < 0) norm = -norm;
    for (let i = j; i < m; i++) A[i * w + j]! /= norm;
    A[j * w + j]! += 1;
    for (let k = j + 1; k < w; k++) {
      let s = 0;
      for (let i = j; i < m; i++) s += A[i * w + j]! * A[i * w + k]!;
      s = -s / A[j * w + j]!;
      for (let i = j; i < m; i++) A[i * w + k]! += s * A[i * w + j]!;
    }
    A[j * w + j] = -norm;
  }
}

/** Solves Rᵀ q = x for upper-triangular k × k R (row-major, stride `w`). */
function forwardSolve(R: Float64Array, w: number, k: number, x: Float64Array, q: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= R[j * w + i]! * q[j]!;
    q[i] = s / R[i * w + i]!;
  }
}

/** Inverse of upper-triangular k × k R (row-major, stride `w`), k × k row-major. */
function invertUpper(R: Float64Array, w: number, k: number): Float64Array {
  const P = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let i = k - 1; i >= 0; i--) {
      let s = i === c ? 1 : 0;
      for (let j = i + 1; j < k; j++) s -= R[i * w + j]! * P[j * k + c]!;
      P[i * k + c] = s / R[i * w + i]!;
    }
  }
  return P;
}

/** A · M · Aᵀ for k × k row-major A and symmetric M. */
function congruence(A: Float64Array, M: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s += A[i * k + a]! * M[a * k + b]! * A[j * k + b]!;
      out[i * k + j] = s;
    }
  return out;
}

/** The residual-side sums of one fit, accumulated row by row in stack order. */
class ResidualPass {
  readonly meat: Float64Array;
  readonly hacLags: Float64Array[];
  private readonly ring: Float64Array[];
  private seen = 0;
  private prev = NaN;
  ssr = 0;
  dwNum = 0;
  readonly power = [0, 0, 0, 0]; // Σe, Σe², Σe³, Σe⁴
  private readonly q: Float64Array;

  constructor(
    private readonly R: Float64Array,
    private readonly w: number,
    private readonly k: number,
    private readonly params: Float64Array,
    private readonly cov: CovType,
    private readonly maxlags: number,
  ) {
    this.meat = new Float64Array(k * k);
    this.hacLags = cov === 'HAC' ? Array.from({ length: maxlags + 1 }, () => new Float64Array(k * k)) : [];
    this.ring = cov === 'HAC' ? Array.from({ length: maxlags + 1 }, () => new Float64Array(k)) : [];
    this.q = new Float64Array(k);
  }

  /** One row: design x (length k) and outcome y. */
  row(x: Float64Array, y: number): void {
    const k = this.k;
    let fitted = 0;
    for (let a = 0; a < k; a++) fitted += x[a]! * this.params[a]!;
    const e = y - fitted;
    this.ssr += e * e;
    if (this.seen > 0) this.dwNum += (e - this.prev) ** 2;
    this.prev = e;
    const e2 = e * e;
    this.power[0]! += e;
    this.power[1]! += e2;
    this.power[2]! += e2 * e;
    this.power[3]! += e2 * e2;
    if (this.cov === 'nonrobust') {
      this.seen++;
      return;
    }
    const q = this.q;
    forwardSolve(this.R, this.w, k, x, q);
    if (this.cov === 'HAC') {
      const g = this.ring[this.seen % this.ring.length]!;
      for (let a = 0; a < k; a++) g[a] = q[a]! * e;
      for (let lag = 0; lag <= Math.min(this.maxlags, this.seen); lag++) {
        const past = this.ring[(this.seen - lag) % this.ring.length]!;
        const s = this.hacLags[lag]!;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) s[a * k + b]! += g[a]! * past[b]!;
      }
    } else {
      let weight = e2;
      if (this.cov === 'HC2' || this.cov === 'HC3') {
        let h = 0;
        for (let a = 0; a < k; a++) h += q[a]! * q[a]!;
        weight = this.cov === 'HC2' ? e2 / (1 - h) : (e / (1 - h)) ** 2;
      }
      for (let a = 0; a < k; a++) for (let b = a; b < k; b++) this.meat[a * k + b]! += weight * q[a]! * q[b]!;
    }
    this.seen++;
  }

  /** The meat of the sandwich under cov (HC1's factor applied by the caller). */
  finishedMeat(): Float64Array {
    const k = this.k;
    if (this.cov === 'HAC') {
      const S = new Float64Array(k * k);
      this.hacLags.forEach((s, lag) => {
        const weight = 1 - lag / (this.maxlags + 1);
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) S[a * k + b]! += lag === 0 ? s[a * k + b]! : weight * (s[a * k + b]! + s[b * k + a]!);
      });
      return S;
    }
    const M = Float64Array.from(this.meat);
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) M[a * k + b] = M[b * k + a]!;
    return M;
  }

  /** scipy's biased skew and non-excess kurtosis from the power sums. */
  moments(n: number): { skew: number; kurtosis: number } {
    const [s1, s2, s3, s4] = this.power as [number, number, number, number];
    const mu = s1 / n;
    const m2 = s2 / n - mu * mu;
    const m3 = s3 / n - 3 * mu * (s2 / n) + 2 * mu ** 3;
    const m4 = s4 / n - 4 * mu * (s3 / n) + 6 * mu * mu * (s2 / n) - 3 * mu ** 4;
    if (!(m2 > (Number.EPSILON * mu) ** 2)) return { skew: NaN, kurtosis: NaN };
    return { skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
  }
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
function withinRows(series: ArrayLike<number>, lags: number, start: number): { block: Float64Array; n: number } {
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
function stackedRows(series: ArrayLike<number>, lags: number, start: number): { block: Float64Array; n: number } {
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

/**
 * One layer's pooled fits, fed document by document. Call `addDocument` for every document (pass 1), then `solve`,
 * then `residuals` for every document in the same order (pass 2), then `pooled` / `fixedEffects`.
 */
export class PooledLayer {
  private readonly stack: TriangularFactor;
  private readonly within: TriangularFactor;
  private readonly spread = { n: 0, mean: 0, m2: 0 };
  private withinTss = 0;
  private documents = 0;
  private solved: { stack: Solved; within: Solved | null } | null = null;
  private error: NormscopeError | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly alpha: number,
  ) {
    this.stack = new TriangularFactor(settings.lags + 2);
    this.within = new TriangularFactor(settings.lags + 1);
  }

  /** Pass 1: one document's log norms of this layer (t = 0 … T−1). */
  addDocument(series: ArrayLike<number>): void {
    this.addFactors(documentFactors(series, this.settings));
  }

  /** Pass 1 without the series: a document's stored factors (documentFactors under the same lags and start). */
  addFactors(f: DocumentFactors): void {
    this.stack.addFactor(f.stack, f.n);
    this.within.addFactor(f.within, f.n);
    const total = this.spread.n + f.n;
    const delta = f.mean - this.spread.mean;
    this.spread.m2 += f.m2 + (delta * delta * this.spread.n * f.n) / total;
    this.spread.mean += (delta * f.n) / total;
    this.spread.n = total;
    this.withinTss += f.withinTss;
    this.documents++;
  }

  /** Between the passes: the pooled β of both fits, from the factors alone. */
  solve(): void {
    const { lags, cov } = this.settings;
    const maxlags = this.settings.maxlags ?? 0;
    const stack = solveFactor(this.stack, lags + 1, cov, maxlags);
    if (stack instanceof NormscopeError) {
      this.error = stack;
      return;
    }
    const within = cov === 'HC2' || cov === 'HC3' ? null : solveFactor(this.within, lags, cov, maxlags);
    this.solved = { stack, within: within instanceof NormscopeError ? null : within };
  }

  /** Pass 2: the same document again. */
  residuals(series: ArrayLike<number>): void {
    if (!this.solved) return;
    const { lags, start } = this.settings;
    const s = stackedRows(series, lags, start);
    const w = lags + 2;
    const x = new Float64Array(lags + 1);
    for (let i = 0; i < s.n; i++) {
      for (let a = 0; a <= lags; a++) x[a] = s.block[i * w + a]!;
      this.solved.stack.pass.row(x, s.block[i * w + lags + 1]!);
    }
    if (this.solved.within) {
      const wr = withinRows(series, lags, start);
      const xw = new Float64Array(lags);
      for (let i = 0; i < wr.n; i++) {
        for (let a = 0; a < lags; a++) xw[a] = wr.block[i * (lags + 1) + a]!;
        this.solved.within.pass.row(xw, wr.block[i * (lags + 1) + lags]!);
      }
    }
  }

  /** OLS over the stacked designs with one common intercept (statsmodels on the stack). */
  pooled(): FitJSON {
    if (this.error) throw this.error;
    if (!this.solved) throw new NormscopeError('BAD_USAGE', 'pooled() before solve()');
    const s = this.solved.stack;
    const { cov } = this.settings;
    const nobs = this.stack.rows;
    const k = s.k;
    const dfModel = s.rank - 1;
    const dfResid = nobs - s.rank;
    const ssr = s.pass.ssr;
    const tss = this.spread.m2;
    const scale = ssr / dfResid;
    const covM = covariance(s, cov, nobs, dfResid, scale);
    const useT = cov === 'nonrobust';
    const params = [...s.params];
    const bse = diagSqrt(covM, k);
    const tvalues = params.map((p, i) => p / bse[i]!);
    const pvalues = tvalues.map((t) => 2 * (useT ? tSf(Math.abs(t), dfResid) : normSf(Math.abs(t))));
    const q = useT ? tPpfScipy(1 - this.alpha / 2, dfResid) : normIsf(this.alpha / 2);
    const ess = tss - ssr;
    const mseModel = dfModel === 0 ? NaN : ess / dfModel;
    const mseResid = dfResid === 0 ? NaN : ssr / dfResid;
    let fvalue: number;
    let fP: number;
    if (useT) {
      fvalue = mseModel / mseResid;
      fP = dfModel === 0 ? NaN : fSf(fvalue, dfModel, dfResid);
    } else {
      const w = waldFTest(params, covM, k, [...Array(k).keys()].slice(1), dfResid);
      fvalue = w.fvalue;
      fP = w.f_pvalue;
    }
    const n2 = nobs / 2;
    const llf = -n2 * Math.log(2 * Math.PI) - n2 * Math.log(ssr / nobs) - n2;
    const { skew, kurtosis } = s.pass.moments(nobs);
    const jb = (nobs / 6) * (skew * skew + 0.25 * (kurtosis - 3) ** 2);
    let omni = NaN;
    let omniP = NaN;
    if (nobs >= 8) {
      const zs = skewTest(skew, nobs);
      const zk = kurtosisTest(kurtosis, nobs);
      omni = zs * zs + zk * zk;
      omniP = chi2Sf(omni, 2);
    }
    return {
      nobs,
      df_model: dfModel,
      df_resid: dfResid,
      params,
      bse,
      tvalues,
      pvalues,
      conf_int: params.map((p, i): [number, number] => [p - q * bse[i]!, p + q * bse[i]!]),
      rsquared: 1 - ssr / tss,
      rsquared_adj: 1 - ((nobs - 1) / dfResid) * (1 - (1 - ssr / tss)),
      fvalue,
      f_pvalue: fP,
      llf,
      aic: -2 * llf + 2 * (dfModel + 1),
      bic: -2 * llf + Math.log(nobs) * (dfModel + 1),
      ssr,
      ess,
      centered_tss: tss,
      mse_model: mseModel,
      mse_resid: mseResid,
      condition_number: Math.sqrt(s.singular[0]! ** 2 / s.singular[s.singular.length - 1]! ** 2),
      durbin_watson: s.pass.dwNum / ssr,
      omnibus: omni,
      omnibus_pvalue: omniP,
      jarque_bera: jb,
      jarque_bera_pvalue: chi2Sf(jb, 2),
      skew,
      kurtosis,
      cov_type: cov,
    };
  }

  /**
   * One intercept per document by the within transformation (see statistics.ts: nonrobust and HC1 rescaled by
   * √((N − p)/(N − p − D)); HC2/HC3 unavailable).
   */
  fixedEffects(): FixedEffectsFit {
    const { cov, lags: p } = this.settings;
    if (cov === 'HC2' || cov === 'HC3') {
      throw new NormscopeError('BAD_INPUT', `document fixed effects are fitted by the within transformation, which gives no ${cov}; use nonrobust, HC0, HC1 or HAC`);
    }
    const N = this.within.rows;
    const D = this.documents;
    const dfResid = N - p - D;
    if (dfResid < 1) throw new NormscopeError('TOO_FEW_TOKENS', `${N} outcomes over ${D} documents leave no residual degree of freedom for ${p} lags and ${D} intercepts`);
    const w = this.solved?.within;
    if (!w) throw this.error ?? new NormscopeError('BAD_INPUT', 'the within design is singular');
    const ssr = w.pass.ssr;
    const withinDfResid = N - w.rank;
    const covM = covariance(w, cov, N, withinDfResid, ssr / withinDfResid);
    const scale = cov === 'nonrobust' || cov === 'HC1' ? Math.sqrt((N - p) / dfResid) : 1;
    const params = [...w.params];
    const bse = diagSqrt(covM, w.k).map((b) => b * scale);
    const tvalues = params.map((b, k) => b / bse[k]!);
    const useT = cov === 'nonrobust';
    const pvalues = tvalues.map((t) => 2 * (useT ? tSf(Math.abs(t), dfResid) : normSf(Math.abs(t))));
    const crit = useT ? tIsf(this.alpha / 2, dfResid) : normIsf(this.alpha / 2);
    return {
      n_documents: D,
      nobs: N,
      df_model: p,
      df_resid: dfResid,
      cov_type: cov,
      params,
      bse,
      tvalues,
      pvalues,
      conf_int: params.map((b, k) => [b - crit * bse[k]!, b + crit * bse[k]!]),
      ssr,
      rsquared_within: 1 - ssr / this.withinTss,
    };
  }
}

interface Solved {
  k: number;
  /** Column stride of R (the augmented width). */
  w: number;
  R: Float64Array;
  /** R⁻¹ of the design block: pinv(X) = P Qᵀ. */
  P: Float64Array;
  params: Float64Array;
  singular: Float64Array;
  rank: number;
  pass: ResidualPass;
}

/** β = R_xx⁻¹ r_xy from the factor of [X y]; BAD_INPUT when X is rank-deficient (statsmodels' pinv would drop a direction). */
function solveFactor(f: TriangularFactor, k: number, cov: CovType, maxlags: number): Solved | NormscopeError {
  const w = f.width;
  if (f.rows <= k) return new NormscopeError('TOO_FEW_TOKENS', `${f.rows} outcomes cannot fit ${k} coefficients`);
  const Rxx = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) Rxx[i * k + j] = f.R[i * w + j]!;
  const singular = Float64Array.from(new SingularValueDecomposition(Matrix.from1DArray(k, k, Rxx)).diagonal);
  const rank = rankFromSingularValues(singular, k, k);
  if (rank < k) return new NormscopeError('BAD_INPUT', `the pooled design has rank ${rank} < ${k}: the lags are collinear across the corpus`);
  const P = invertUpper(f.R, w, k);
  const params = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let b = 0; b < k; b++) s += P[a * k + b]! * f.R[b * w + k]!;
    params[a] = s;
  }
  return { k, w, R: f.R, P, params, singular, rank, pass: new ResidualPass(f.R, w, k, params, cov, maxlags) };
}

function covariance(s: Solved, cov: CovType, nobs: number, dfResid: number, scale: number): Float64Array {
  const k = s.k;
  if (cov === 'nonrobust') {
    const identity = new Float64Array(k * k);
    for (let a = 0; a < k; a++) identity[a * k + a] = 1;
    return congruence(s.P, identity, k).map((v) => v * scale);
  }
  const meat = s.pass.finishedMeat();
  if (cov === 'HC1') for (let i = 0; i < meat.length; i++) meat[i]! *= nobs / dfResid;
  return congruence(s.P, meat, k);
}

function diagSqrt(M: Float64Array, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.sqrt(M[i * k + i]!));
}
