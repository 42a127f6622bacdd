import { describe, expect, it } from 'vitest';
import { checkFinite, logNorms, logNormsBySite } from '../../electron/core/analysis/series.js';

describe('logNorms(norms) → Float64Array', () => {
  it('ln of each float32 norm, computed in float64', () => {
    const n = Float32Array.from([1, Math.E, 0.1]);
    const out = logNorms(n);
    expect(out).toBeInstanceOf(Float64Array);
    expect(out[0]).toBe(0);
    // float32(0.1) is 0.100000001490116…: its float64 log, not log(0.1)
    expect(out[2]).toBe(Math.log(Math.fround(0.1)));
    expect(out[2]).not.toBe(Math.log(0.1));
  });
});

describe('logNormsBySite(norms, nLayer)', () => {
  it('groups tap names by site and layer', () => {
    const norms = new Map<string, number[]>();
    for (let l = 0; l < 2; l++) {
      norms.set(`h.${l}.attn`, [1, l + 1]);
      norms.set(`h.${l}.mlp`, [2, l + 2]);
      norms.set(`h.${l}`, [3, l + 3]);
    }
    const bySite = logNormsBySite(norms, 2);
    expect(Array.from(bySite.mlp[1]!)).toEqual([Math.log(2), Math.log(3)]);
    expect(Array.from(bySite.block[0]!)).toEqual([Math.log(3), Math.log(3)]);
  });
});

describe('checkFinite(series, tap, tokens)', () => {
  it('NONFINITE naming the token and tap of a zero norm', () => {
    const tokens = [{ id: 1, text: 'a' }, { id: 2, text: ' b' }];
    expect(() => checkFinite(logNorms([1, 0]), 'h.2.attn', tokens)).toThrow(expect.objectContaining({ code: 'NONFINITE' }));
    expect(() => checkFinite(logNorms([1, 0]), 'h.2.attn', tokens)).toThrow(/token 1 \(" b"\) has a zero-norm activation.*h\.2\.attn/);
    expect(() => checkFinite([NaN], 'h.0', tokens)).toThrow(/non-finite/);
    expect(() => checkFinite([0.5, -3], 'h.0', tokens)).not.toThrow();
  });
});
