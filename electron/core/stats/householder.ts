// The upper-triangular factor R of a stream of rows ([R; new rows] → R, TSQR), for least squares over a design too
// tall to hold: the pooled corpus fits fold each document's R into one.

/** Upper-triangular R of a stream of rows, by Householder QR of [R; new rows] (TSQR). */
export class TriangularFactor {
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
export function householderR(A: Float64Array, m: number, w: number): void {
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
