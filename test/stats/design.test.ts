// packDesign: every unusable input is a BAD_INPUT NormscopeError that names the problem.
import { describe, expect, it } from 'vitest';
import { packDesign } from '../../electron/core/stats/design.js';
import { NormscopeError } from '../../electron/core/errors.js';

function failure(run: () => unknown): NormscopeError {
  try {
    run();
  } catch (e) {
    if (e instanceof NormscopeError) return e;
    throw e;
  }
  throw new Error('expected a NormscopeError');
}

describe('packDesign(y, X)', () => {
  it('packs rows into a row-major Float64Array', () => {
    const d = packDesign([1, 2, 3], [[1, 4], [1, 5], [1, 6]]);
    expect([d.nobs, d.k]).toEqual([3, 2]);
    expect(Array.from(d.X)).toEqual([1, 4, 1, 5, 1, 6]);
    expect(Array.from(d.y)).toEqual([1, 2, 3]);
  });
  it.each([
    ['empty y', () => packDesign([], []), /y is empty/],
    ['y not an array', () => packDesign(5 as never, [[1]]), /y is 5, not an array/],
    ['X not an array', () => packDesign([1], 'x' as never), /X is "x", not an array of rows/],
    ['length mismatch', () => packDesign([1, 2, 3], [[1], [1]]), /y has 3 values but X has 2 rows/],
    ['no columns', () => packDesign([1], [[]]), /X has no columns/],
    ['fewer rows than columns', () => packDesign([1, 2], [[1, 2, 3], [4, 5, 6]]), /fewer rows \(2\) than columns \(3\)/],
    ['ragged X', () => packDesign([1, 2, 3], [[1, 2], [1, 2], [1]]), /X is ragged: row 2 has 1 value, row 0 has 2/],
    ['a row that is not an array', () => packDesign([1, 2], [[1], 7 as never]), /X\[1\] is 7, not an array/],
    ['NaN in X', () => packDesign([1, 2], [[1], [NaN]]), /X\[1\]\[0\] is NaN, not a finite number/],
    ['Infinity in y', () => packDesign([1, -Infinity], [[1], [2]]), /y\[1\] is -Infinity, not a finite number/],
    ['a string in X', () => packDesign([1, 2], [[1], ['2' as never]]), /X\[1\]\[0\] is "2", not a number/],
    ['null in y', () => packDesign([null as never, 2], [[1], [2]]), /y\[0\] is null, not a number/],
  ])('rejects %s with BAD_INPUT', (_label, run, message) => {
    const e = failure(run);
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
  });
});
