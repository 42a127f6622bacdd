// Regularized incomplete beta and gamma functions, to double precision in both tails.
// Written here because jstat's continued fraction stops at a relative change of 3e-7 and its survival
// functions are 1 - cdf, which turns a p-value of 1e-30 into 0; jstat still supplies ln Γ.
import jStat from 'jstat';

const TOLERANCE = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/** ln Γ(x), x > 0. */
export function logGamma(x: number): number {
  return jStat.loggam(x);
}

const LN_SQRT_2PI = 0.9189385332046727;
// Stirling-series coefficients B₂ₙ / (2n(2n − 1)), n = 1…8.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

// ln Γ(x) − ((x − ½) ln x − x + ln √(2π)) for x ≥ 10, where the series has converged to double precision.
function stirlingTail(x: number): number {
  const inv2 = 1 / (x * x);
  let sum = 0;
  for (let i = STIRLING.length - 1; i >= 0; i--) sum = sum * inv2 + STIRLING[i]!;
  return sum / x;
}

/**
 * ln B(a, b). For large arguments ln Γ(a) + ln Γ(b) − ln Γ(a + b) cancels thousands to a few units,
 * so the large-argument cases are rearranged around Stirling's series (as R's nmath lbeta does).
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  const ratio = p / (p + q);
  if (p >= 10) {
    const corr = stirlingTail(p) + stirlingTail(q) - stirlingTail(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(ratio) + q * Math.log1p(-ratio);
  }
  if (q >= 10) {
    const corr = stirlingTail(q) - stirlingTail(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-ratio);
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

// Continued fraction of I_x(a, b) (modified Lentz), converging fast for x < (a + 1) / (a + b + 2).
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) <= TOLERANCE) return h;
  }
  return NaN;
}

/**
 * Regularized incomplete beta I_x(a, b). Pass `y = 1 − x` when it is known more exactly than
 * `1 - x` (as for the t and F tails), so that neither tail loses relative precision.
 */
export function betaRegularized(x: number, a: number, b: number, y: number = 1 - x): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !(a > 0) || !(b > 0)) return NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // the logarithm of whichever of x, y is near 1 comes from the other one, where it is exact
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const front = a * logX + b * logY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(front) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(front) * betaFraction(y, b, a)) / b;
}

// e^{−x} x^a / Γ(a), the factor in front of both the series and the continued fraction.
function gammaFront(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - logGamma(a));
}

// P(a, x) by its power series, for x < a + 1.
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n <= MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) <= Math.abs(sum) * TOLERANCE) return sum * gammaFront(a, x);
  }
  return NaN;
}

// Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1.
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) <= TOLERANCE) return h * gammaFront(a, x);
  }
  return NaN;
}

/** Upper regularized incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaRegularizedUpper(a: number, x: number): number {
  if (Number.isNaN(x) || !(a > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}
