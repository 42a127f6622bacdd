import { describe, expect, it } from 'vitest';
import { planWindows, stitchWindow } from '../../electron/core/analysis/windows.js';

describe('planWindows(nTokens, nPositions) → windows', () => {
  it('one window when the document fits the context', () => {
    expect(planWindows(1, 256)).toEqual([{ start: 0, end: 1, keep: 0 }]);
    expect(planWindows(256, 256)).toEqual([{ start: 0, end: 256, keep: 0 }]);
  });

  it('no windows for no tokens', () => {
    expect(planWindows(0, 256)).toEqual([]);
  });

  it('stride half the context, the last window cut at the end, each keeping what no earlier window reached', () => {
    expect(planWindows(257, 256)).toEqual([
      { start: 0, end: 256, keep: 0 },
      { start: 128, end: 257, keep: 256 },
    ]);
    expect(planWindows(600, 256)).toEqual([
      { start: 0, end: 256, keep: 0 },
      { start: 128, end: 384, keep: 256 },
      { start: 256, end: 512, keep: 384 },
      { start: 384, end: 600, keep: 512 },
    ]);
  });

  it('3,000 tokens on 256 positions: 23 windows (1 + ⌈2744/128⌉)', () => {
    expect(planWindows(3000, 256)).toHaveLength(23);
  });

  it('every token kept exactly once, from the window that gives it the most left context', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 16]) {
      for (let T = 1; T <= 60; T++) {
        const ws = planWindows(T, n);
        const keptBy = new Array<number>(T).fill(-1);
        ws.forEach((w, k) => {
          expect(w.end - w.start).toBeLessThanOrEqual(n);
          expect(w.start).toBeLessThanOrEqual(w.keep);
          for (let t = w.keep; t < w.end; t++) {
            expect(keptBy[t]).toBe(-1);
            keptBy[t] = k;
          }
        });
        for (let t = 0; t < T; t++) {
          const best = Math.max(...ws.filter((w) => w.start <= t && t < w.end).map((w) => t - w.start));
          expect(t - ws[keptBy[t]!]!.start).toBe(best);
        }
      }
    }
  });

  it('rejects a context that is not a positive whole number', () => {
    expect(() => planWindows(10, 0)).toThrow(RangeError);
    expect(() => planWindows(10, 2.5)).toThrow(RangeError);
  });
});

describe('stitchWindow(into, window, values)', () => {
  it('copies only the kept positions, at their document index', () => {
    const into = new Float32Array(6).fill(-1);
    const ws = planWindows(6, 4);
    stitchWindow(into, ws[0]!, [10, 11, 12, 13]);
    stitchWindow(into, ws[1]!, [20, 21, 22, 23]);
    expect(Array.from(into)).toEqual([10, 11, 12, 13, 22, 23]);
  });
});
