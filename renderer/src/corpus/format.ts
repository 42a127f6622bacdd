// How the corpus view writes its numbers: coefficients to 4 decimals, shares as percentages, p-values as journals do,
// times as people say them. A value the core left undefined (null, or NaN from a structured clone) reads as a dash.
import type { Settings } from '../../../shared/result.js';

const DASH = '—';

export function defined(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function fixed(v: number | null | undefined, digits: number): string {
  return defined(v) ? v.toFixed(digits).replace(/^-(0\.0+)$/, '$1') : DASH;
}

export function percent(v: number | null | undefined): string {
  return defined(v) ? `${(v * 100).toFixed(v === 0 || v === 1 ? 0 : 1)}%` : DASH;
}

export function pvalue(v: number | null | undefined): string {
  if (!defined(v)) return DASH;
  return v < 0.001 ? '<.001' : v.toFixed(3).replace(/^0/, '');
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  return m < 60 ? `about ${m} min left` : `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

export function elapsed(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const COMPONENT = { attn: 'Attention', mlp: 'MLP', block: 'Block' } as const;

/** `Attention · 2 lags · from token 3 · nonrobust`. */
export function settingsLine(s: Settings): string {
  const cov = s.cov === 'HAC' ? `HAC (${s.maxlags ?? 0} lags)` : s.cov;
  return `${COMPONENT[s.component]} · ${s.lags} lag${s.lags === 1 ? '' : 's'} · from token ${s.start} · ${cov}`;
}
