// Small dense helpers on a row-major upper-triangular R (stride `w`): solve, invert, the square root of a diagonal.

/** Solves Rᵀ q = x for upper-triangular k × k R (row-major, stride `w`). */
export function forwardSolve(R: Float64Array, w: number, k: number, x: Float64Array, q: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= R[j * w + i]! * q[j]!;
    q[i] = s / R[i * w + i]!;
  }
}

/** Inverse of upper-triangular k × k R (row-major, stride `w`), k × k row-major. */
export function invertUpper(R: Float64Array, w: number, k: number): Float64Array {
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

export function diagSqrt(M: Float64Array, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.sqrt(M[i * k + i]!));
}
