// documents → forward batches: short documents run together as the rows of one [B, T] pass, each row right-padded to
// the batch's longest; rows of similar length keep the padding small, and the causal mask keeps it out of every result.

export interface BatchLimits {
  /** Most positions one pass computes, padding included (B·T). */
  maxPositions: number;
  /** A row joins a batch only if it is at least this share of the batch's longest row (bounds the padding per row). */
  minFill: number;
}

/** What a CPU pass gains from: matrix products of at least ~1,000 rows, padding under 15% of a batch. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxPositions: 1024, minFill: 0.85 };

/**
 * Groups sequence lengths into batches (indices into `lengths`, longest first): each batch's longest row times its
 * row count is at most maxPositions, and every row is at least minFill of that longest; a sequence longer than
 * maxPositions is a batch of its own.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): number[][] {
  if (!(limits.maxPositions >= 1) || !(limits.minFill >= 0 && limits.minFill <= 1)) throw new RangeError(`bad batch limits ${JSON.stringify(limits)}`);
  // longest first, ties in input order, so the plan depends only on the lengths
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: number[][] = [];
  let i = 0;
  while (i < order.length) {
    const longest = lengths[order[i]!]!;
    const batch = [order[i++]!];
    while (i < order.length && (batch.length + 1) * longest <= limits.maxPositions && lengths[order[i]!]! >= limits.minFill * longest) batch.push(order[i++]!);
    batches.push(batch);
  }
  return batches;
}
