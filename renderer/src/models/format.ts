// How the model manager writes sizes, counts, rates and times: decimal units, as the hub and file managers show them.
import { formatBytes } from '../../../shared/bytes.js';

/** The shared byte formatter (shared/bytes.ts), with the manager's em dash for an unknown size. */
export function bytes(n: number | null): string {
  return formatBytes(n);
}

export function params(n: number | null): string {
  if (n === null) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  return `${(n / 1e3).toFixed(0)}k`;
}

export function rate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${bytes(Math.round(bytesPerSecond))}/s` : '';
}

export function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating time left…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `about ${s} s left`;
  const m = Math.round(s / 60);
  if (m < 60) return `about ${m} min left`;
  return `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}
