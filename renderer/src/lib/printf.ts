// Python's %-formatting for the few conversions statsmodels' summary uses (%g, %#g, %f, %d), so the
// copied text reads digit for digit like `print(results.summary())`. No library does Python's %#g.

/** `%[#][width].[prec]g`: significant digits, exponent form when exp < -4 or exp >= prec; '#' keeps trailing zeros. */
export function pyG(x: number, prec: number, width = 0, alt = false): string {
  return pad(gCore(x, Math.max(1, prec), alt), width);
}

/** `%[width].[prec]f`. */
export function pyF(x: number, prec: number, width = 0): string {
  return pad(special(x) ?? x.toFixed(prec), width);
}

/** `%[width]d` (truncating toward zero, as Python's %d does for floats). */
export function pyD(x: number, width = 0): string {
  return pad(special(x) ?? String(Math.trunc(x)), width);
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

function gCore(x: number, prec: number, alt: boolean): string {
  const s = special(x);
  if (s !== null) return s;
  if (x === 0) return alt ? (Object.is(x, -0) ? '-' : '') + '0.' + '0'.repeat(prec - 1) : Object.is(x, -0) ? '-0' : '0';
  // the exponent after rounding to prec significant digits (9.9996 → 1.000e+01)
  const [mantissa, expText] = x.toExponential(prec - 1).split('e') as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < prec) {
    const fixed = x.toFixed(prec - 1 - exp);
    return alt ? (fixed.includes('.') ? fixed : fixed + '.') : stripZeros(fixed);
  }
  const m = alt ? (mantissa.includes('.') ? mantissa : mantissa + '.') : stripZeros(mantissa);
  const e = Math.abs(exp);
  return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** statsmodels' `forg`: 3 (or 4) decimals, or %g with that precision for very large and very small numbers. */
export function forg(x: number, prec: 3 | 4 = 3): string {
  const width = prec === 3 ? 9 : 10;
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-4 ? pyG(x, prec, width) : pyF(x, prec, width);
}

/** statsmodels' `d_or_f`: whole numbers as %#6d, others as %#8.2f. */
export function dOrF(x: number): string {
  if (Number.isNaN(x)) return '   NaN';
  return Math.floor(x) === x ? pyD(x, 6) : pyF(x, 2, 8);
}
