// Sizes for people, written once for the CLI and the renderer: decimal units (kB = 1,000 B), as the hub and file
// managers show them; three significant digits, or a fixed number of decimals where a terminal column wants them.

export interface BytesFormat {
  /** What an unknown size reads as (default an em dash). */
  empty?: string;
  /** Decimals for kB, MB, GB, TB (one number for all; default: three significant digits). */
  decimals?: number | readonly [number, number, number, number];
  /** One unit whatever the size, where figures are compared side by side (memory need against memory). */
  unit?: 'kB' | 'MB' | 'GB' | 'TB';
}

/** `548 MB`, `6.61 MB`, `12.3 kB`, `900 B` (`6.6 MB` with one decimal); `empty` for an unknown size. */
export function formatBytes(n: number | null, format: BytesFormat = {}): string {
  if (n === null) return format.empty ?? '—';
  if (n < 1000 && format.unit === undefined) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  if (format.unit !== undefined) {
    i = units.indexOf(format.unit);
    v = n / 1000 ** (i + 1);
  } else {
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
  }
  const d = format.decimals;
  const digits = d === undefined ? (v >= 100 ? 0 : v >= 10 ? 1 : 2) : typeof d === 'number' ? d : d[i]!;
  return `${v.toFixed(digits)} ${units[i]}`;
}
