// Student's t quantile exactly as scipy computed it through 1.11 (special.stdtrit, CDFLIB's cdft with
// which=2), the quantile statsmodels' conf_int used when the reference fixtures were made. CDFLIB stops
// its root search once the bracket is within 1e-8 of the answer, so its quantile can sit up to ~1e-9 from
// the true one; that moves an interval bound near zero by more than 1e-8 relative, so parity needs the
// same search, step for step: a starting value (dt1), a stepping search (dinvr), then Bus & Dekker's
// algorithm R (dzror). The t tail inside is our own tSf, which agrees with CDFLIB's to ~1e-15.
import { normIsf, tSf } from './distributions.js';

const SMALL = -1e100;
const BIG = 1e100;
const ABS_STEP = 0.5;
const REL_STEP = 0.5;
const STEP_MUL = 5;
const ABS_TOL = 1e-50;
const REL_TOL = 1e-8;

// dt1: Cornish–Fisher-type start from the normal quantile (A&S 26.7.5).
const DT1_COEF = [[1, 1], [3, 16, 5], [-15, 17, 19, 3], [-945, -1920, 1482, 776, 79]];
const DT1_DENOM = [4, 96, 384, 92160];

function startValue(p: number, q: number, df: number): number {
  const x = normIsf(Math.min(p, q));
  const xx = x * x;
  let sum = x;
  let denpow = 1;
  for (let i = 0; i < 4; i++) {
    const coef = DT1_COEF[i]!;
    let poly = coef[coef.length - 1]!;
    for (let j = coef.length - 2; j >= 0; j--) poly = coef[j]! + poly * xx;
    denpow *= df;
    sum += (poly * x) / (denpow * DT1_DENOM[i]!);
  }
  return p >= 0.5 ? sum : -sum;
}

// CDFLIB's dzror: Bus & Dekker (1975) algorithm R on a bracket [xlo, xhi]; returns its final xlo.
function busDekker(f: (x: number) => number, xlo0: number, xhi0: number): number {
  const ftol = (z: number): number => 0.5 * Math.max(ABS_TOL, REL_TOL * Math.abs(z));
  let xlo = xlo0;
  let b = xlo;
  let fb = f(b);
  xlo = xhi0;
  let a = xlo;
  let fa = f(a);
  if ((fb < 0 && fa < 0) || (fb > 0 && fa > 0)) return NaN;
  let first = true;
  let c = 0;
  let fc = 0;
  let d = 0;
  let fd = 0;
  for (;;) {
    c = a;
    fc = fa;
    let ext = 0;
    for (;;) {
      if (Math.abs(fc) < Math.abs(fb)) {
        if (c !== a) {
          d = a;
          fd = fa;
        }
        a = b;
        fa = fb;
        xlo = c;
        b = xlo;
        fb = fc;
        c = a;
        fc = fa;
      }
      let tol = ftol(xlo);
      const mb = (c + b) * 0.5 - b;
      if (!(Math.abs(mb) > tol)) {
        const bracketed = (fc >= 0 && fb <= 0) || (fc < 0 && fb >= 0);
        return bracketed ? xlo : NaN;
      }
      let w: number;
      if (ext > 3) {
        w = mb;
      } else {
        tol = mb < 0 ? -Math.abs(tol) : Math.abs(tol);
        let p = (b - a) * fb;
        let q: number;
        if (first) {
          q = fa - fb;
          first = false;
        } else {
          const fdb = (fd - fb) / (d - b);
          const fda = (fd - fa) / (d - a);
          p = fda * p;
          q = fdb * fa - fda * fb;
        }
        if (p < 0) {
          p = -p;
          q = -q;
        }
        if (ext === 3) p *= 2;
        if (p === 0 || p <= q * tol) w = tol;
        else if (p < mb * q) w = p / q;
        else w = mb;
      }
      d = a;
      fd = fa;
      a = b;
      fa = fb;
      b = b + w;
      xlo = b;
      fb = f(xlo);
      if (fc * fb >= 0) break;
      ext = w === mb ? 0 : ext + 1;
    }
  }
}

// CDFLIB's dinvr: checks that [SMALL, BIG] brackets the root, steps from x0 until it brackets it, then dzror.
function invertMonotone(f: (x: number) => number, x0: number): number {
  const fsmall = f(SMALL);
  const fbig = f(BIG);
  const increasing = fbig > fsmall;
  if (increasing ? fsmall > 0 || fbig < 0 : fsmall < 0 || fbig > 0) return NaN;
  let step = Math.max(ABS_STEP, REL_STEP * Math.abs(x0));
  let yy = f(x0);
  if (yy === 0) return x0;
  const up = (increasing && yy < 0) || (!increasing && yy > 0);
  let xlb: number;
  let xub: number;
  if (up) {
    xlb = x0;
    xub = Math.min(xlb + step, BIG);
    for (;;) {
      yy = f(xub);
      const bounded = (increasing && yy >= 0) || (!increasing && yy <= 0);
      if (bounded) break;
      if (xub >= BIG) return NaN;
      step *= STEP_MUL;
      xlb = xub;
      xub = Math.min(xlb + step, BIG);
    }
  } else {
    xub = x0;
    xlb = Math.max(xub - step, SMALL);
    for (;;) {
      yy = f(xlb);
      const bounded = (increasing && yy <= 0) || (!increasing && yy >= 0);
      if (bounded) break;
      if (xlb <= SMALL) return NaN;
      step *= STEP_MUL;
      xub = xlb;
      xlb = Math.max(xub - step, SMALL);
    }
  }
  return busDekker(f, xlb, xub);
}

/** scipy ≤ 1.11's `stats.t.ppf(p, df)`: the t with P(T ≤ t) = p, found as CDFLIB finds it. */
export function tPpfScipy(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  const q = 1 - p;
  const start = startValue(p, q, df);
  // CDFLIB matches whichever of p, q is smaller, where it is known more exactly
  const f = p <= q ? (t: number): number => tSf(-t, df) - p : (t: number): number => tSf(t, df) - q;
  return invertMonotone(f, start);
}
