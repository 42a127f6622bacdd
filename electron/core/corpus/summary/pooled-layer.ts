// Pooled OLS and pooled OLS with document fixed effects from documents streamed one at a time, so memory holds a few
// numbers per layer and never a corpus of series. Pass 1 folds each document's factors (DocumentFactors: the R of its
// [X y], R'R = [X y]'[X y], i.e. its X'X, X'y, y'y kept as their triangular factor because stacking R's loses no
// digits where summing X'X squares the condition number) into the pooled factor; they are stored with each result,
// so this pass reads no series. Pass 2 recomputes each document's residuals from the pooled β for what needs them
// (robust meats, HAC cross-products across document boundaries, Durbin–Watson, residual moments). The numbers equal
// statsmodels' fit on the stacked design, as fitOls computes it (test/corpus/summary/streaming-statistics.test.ts).
import type { FitJSON, Settings } from '../../../../shared/result.js';
import { NormscopeError } from '../../errors.js';
import { normIsf, normSf, tIsf, tSf } from '../../stats/distributions.js';
import { factorOlsFit } from '../../stats/factorFit.js';
import { covariance, solveFactor, type Solved } from '../../stats/factorSolve.js';
import { TriangularFactor } from '../../stats/householder.js';
import { diagSqrt } from '../../stats/triangular.js';
import { documentFactors, stackedRows, withinRows, type DocumentFactors } from './document-factors.js';


/** The lag coefficients of a pooled fit with one intercept per document, estimated by the within transformation. */
export interface FixedEffectsFit {
  n_documents: number;
  nobs: number;
  df_model: number;
  df_resid: number;
  cov_type: Settings['cov'];
  /** Lag 1 … p (the per-document intercepts are not reported). */
  params: number[];
  bse: number[];
  tvalues: number[];
  pvalues: number[];
  conf_int: [number, number][];
  ssr: number;
  /** 1 − SSR / Σ(y − document mean)²: the share of within-document variation the lags explain. */
  rsquared_within: number;
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
    return factorOlsFit(this.solved.stack, this.stack.rows, this.spread.m2, this.settings.cov, this.alpha);
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
