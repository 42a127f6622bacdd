import { describe, expect, it } from 'vitest';
import { checkLagSettings, lagDesign } from '../../electron/core/analysis/design.js';

describe('lagDesign(series, lags, start) → {y, X}', () => {
  it('the notebook AR(2) from token 3: y = s[3..], rows [1, s[t-1], s[t-2]]', () => {
    const s = [10, 11, 12, 13, 14, 15, 16];
    const { y, X } = lagDesign(s, 2, 3);
    expect(Array.from(y)).toEqual([13, 14, 15, 16]);
    expect(X.map((r) => Array.from(r))).toEqual([
      [1, 12, 11],
      [1, 13, 12],
      [1, 14, 13],
      [1, 15, 14],
    ]);
  });

  it('token 0 never enters with the defaults', () => {
    const s = [999, 1, 2, 3, 4, 5, 6, 7];
    const { y, X } = lagDesign(s, 2, 3);
    expect([...y, ...X.flatMap((r) => Array.from(r.subarray(1)))]).not.toContain(999);
  });

  it('TOO_FEW_TOKENS below start + lags + 2 tokens, fine at it', () => {
    expect(() => lagDesign(new Array(6).fill(1), 2, 3)).toThrow(expect.objectContaining({ code: 'TOO_FEW_TOKENS' }));
    expect(() => lagDesign(new Array(6).fill(1), 2, 3)).toThrow(/6 tokens.*needs at least 7/);
    expect(lagDesign(new Array(7).fill(1), 2, 3).y).toHaveLength(4);
    expect(() => lagDesign([], 1, 1)).toThrow(expect.objectContaining({ code: 'TOO_FEW_TOKENS' }));
  });
});

describe('checkLagSettings(lags, start)', () => {
  it('BAD_INPUT unless lags ≥ 1 and start ≥ lags', () => {
    expect(() => checkLagSettings(0, 3)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => checkLagSettings(4, 3)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => checkLagSettings(2, 2.5)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => checkLagSettings(3, 3)).not.toThrow();
  });
});
