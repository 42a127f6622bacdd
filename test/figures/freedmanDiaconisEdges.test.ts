import { describe, expect, it } from 'vitest';
import { FigureInputError, freedmanDiaconisEdges } from '../../shared/figures/index.js';
import { COMPONENTS, DOCS, numpyFdEdges, parkMiller, tapOf, tinyA } from './support.js';

// np.histogram_bin_edges(x, bins='fd') per tap of the tiny-a fixture, tokens 1..T-1, from numpy 2.4.6 offline
const NUMPY_BIN_COUNTS: Record<string, Record<string, number>> = {
  'hungarian-rock': { 'h.0.attn': 16, 'h.1.attn': 13, 'h.2.attn': 10, 'h.0.mlp': 10, 'h.1.mlp': 10, 'h.2.mlp': 9, 'h.0': 10, 'h.1': 10, 'h.2': 17 },
  lighthouse: { 'h.0.attn': 13, 'h.1.attn': 6, 'h.2.attn': 10, 'h.0.mlp': 14, 'h.1.mlp': 7, 'h.2.mlp': 6, 'h.0': 13, 'h.1': 10, 'h.2': 6 },
};

describe('freedmanDiaconisEdges(values)', () => {
  it('gives the hand-checked edges of small cases (numpy agrees)', () => {
    // IQR 3.25 − 1.75 = 1.5, width 3·4^(-1/3) = 1.890, ceil(3 / 1.890) = 2 bins
    expect(freedmanDiaconisEdges([4, 1, 3, 2])).toEqual([1, 2.5, 4]);
    // IQR 7.5 − 2.5 = 5, width 10·2^(-1/3) = 7.937, 2 bins
    expect(freedmanDiaconisEdges([0, 10])).toEqual([0, 5, 10]);
    // 0..99: IQR 49.5, width 99·100^(-1/3) = 21.33, ceil(4.64) = 5 bins of 19.8
    const e = freedmanDiaconisEdges(Array.from({ length: 100 }, (_, i) => i));
    expect(e).toHaveLength(6);
    [0, 19.8, 39.6, 59.4, 79.2, 99].forEach((v, i) => expect(e[i]).toBeCloseTo(v, 12));
  });

  it('gives one bin when the IQR is zero, one unit-wide bin when every value is equal, [0, 1] when empty', () => {
    expect(freedmanDiaconisEdges([1, 1, 1, 1, 2])).toEqual([1, 2]);
    expect(freedmanDiaconisEdges([5, 5, 5])).toEqual([4.5, 5.5]);
    expect(freedmanDiaconisEdges([-2])).toEqual([-2.5, -1.5]);
    expect(freedmanDiaconisEdges([])).toEqual([0, 1]);
  });

  it('equals the numpy rule, written independently, on 300 seeded samples of many shapes', () => {
    const rnd = parkMiller(7);
    const gauss = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(rnd() * (k % 3 === 0 ? 20 : 1200));
      const kind = k % 4;
      const values = Array.from({ length: n }, () =>
        kind === 0 ? gauss() : kind === 1 ? Math.exp(gauss()) : kind === 2 ? Math.round(rnd() * 8) : 1e-3 * gauss() + 3,
      );
      const ours = freedmanDiaconisEdges(values);
      const ref = numpyFdEdges(values);
      expect(ours.length, `sample ${k} (n=${n})`).toBe(ref.length);
      // same formula in a different order of operations may differ in the last bit only
      ours.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref[i]!))));
      expect(ours[0]).toBe(ref[0]);
      expect(ours[ours.length - 1]).toBe(ref[ref.length - 1]);
    }
  });

  it("gives numpy's bin count for every tap of the tiny-a fixture", () => {
    const e = tinyA();
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        for (let l = 0; l < e.model.n_layer; l++) {
          const tap = tapOf(l, c);
          const values = e.documents[doc]!.taps[tap]!.log_norms.slice(1);
          const edges = freedmanDiaconisEdges(values);
          expect(edges.length - 1, `${doc} ${tap}`).toBe(NUMPY_BIN_COUNTS[doc]![tap]);
          expect(edges.length - 1).toBe(numpyFdEdges(values).length - 1);
        }
      }
    }
  });

  it('does not reorder its input and rejects non-finite values', () => {
    const values = [3, 1, 2];
    freedmanDiaconisEdges(values);
    expect(values).toEqual([3, 1, 2]);
    expect(() => freedmanDiaconisEdges([1, Number.NaN, 2])).toThrow(FigureInputError);
    expect(() => freedmanDiaconisEdges([1, Number.NEGATIVE_INFINITY])).toThrow(FigureInputError);
  });
});
