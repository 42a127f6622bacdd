// Test support for the figure renderers: the tiny-a fixture as figure data, a fresh DOM, and numpy's
// histogram rule written out independently of the code under test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import type { Site } from '../../shared/taps.js';
import type { BetaData, LogNormData } from '../../shared/figures/index.js';

export const SHARED = path.resolve(process.cwd(), '../shared');

interface ExpectedTap {
  log_norms: number[];
  ar2: { params: number[]; pvalues: number[] };
}
interface Expected {
  model: { n_layer: number };
  documents: Record<string, { ids: number[]; taps: Record<string, ExpectedTap> }>;
}

let expected: Expected | undefined;
export function tinyA(): Expected {
  expected ??= JSON.parse(readFileSync(path.join(SHARED, 'fixtures/tiny-a/expected.json'), 'utf8')) as Expected;
  return expected;
}

export const DOCS = ['hungarian-rock', 'lighthouse'] as const;
export const COMPONENTS: Site[] = ['attn', 'mlp', 'block'];

export function tapOf(layer: number, component: Site): string {
  return component === 'block' ? `h.${layer}` : `h.${layer}.${component}`;
}

export function logNormData(doc: string, component: Site): LogNormData {
  const e = tinyA();
  const n = e.model.n_layer;
  return {
    nLayers: n,
    component,
    layers: Array.from({ length: n }, (_, l) => ({ layer: l, logNorms: e.documents[doc]!.taps[tapOf(l, component)]!.log_norms })),
  };
}

export function betaData(doc: string, component: Site): BetaData {
  const e = tinyA();
  return {
    lags: 2,
    component,
    layers: Array.from({ length: e.model.n_layer }, (_, l) => {
      const fit = e.documents[doc]!.taps[tapOf(l, component)]!.ar2;
      return { layer: l, params: fit.params, pvalues: fit.pvalues };
    }),
  };
}

export function newDocument(): Document {
  return new JSDOM('<!DOCTYPE html><html><body></body></html>').window.document;
}

export function num(el: Element, attr: string): number {
  const v = el.getAttribute(attr);
  if (v === null) throw new Error(`<${el.tagName} class="${el.getAttribute('class')}"> has no ${attr}`);
  return Number(v);
}

/** numpy.percentile(x, 100·q), method 'linear', as numpy/lib/_function_base_impl.py computes it. */
function npPercentileLinear(sorted: number[], q: number): number {
  const n = sorted.length;
  // _compute_virtual_index with alpha = beta = 1
  const virtual = n * q + (1 + q * (1 - 1 - 1)) - 1;
  const prev = Math.floor(virtual);
  const next = Math.min(prev + 1, n - 1);
  const gamma = virtual - prev;
  const a = sorted[Math.max(0, prev)]!;
  const b = sorted[next]!;
  // _lerp: from the lower neighbour below gamma 0.5, from the upper one at and above it
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** np.histogram_bin_edges(x, bins='fd') from numpy's documentation and source (numpy/lib/_histograms_impl.py). */
export function numpyFdEdges(values: readonly number[]): number[] {
  let first: number;
  let last: number;
  if (values.length === 0) [first, last] = [0, 1];
  else [first, last] = [Math.min(...values), Math.max(...values)];
  if (first === last) [first, last] = [first - 0.5, last + 0.5];
  let nBins = 1;
  if (values.length > 0) {
    const sorted = [...values].sort((p, q) => p - q);
    const iqr = npPercentileLinear(sorted, 0.75) - npPercentileLinear(sorted, 0.25);
    const width = 2.0 * iqr * Math.pow(values.length, -1.0 / 3.0);
    if (width) nBins = Math.ceil((last - first) / width);
  }
  // np.linspace(first, last, nBins + 1): start + i·step, endpoint exact
  const step = (last - first) / nBins;
  const edges = Array.from({ length: nBins + 1 }, (_, i) => i * step + first);
  edges[nBins] = last;
  return edges;
}

/** np.histogram counts for given edges: [e_i, e_{i+1}), the last bin closed. */
export function numpyCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    if (v < edges[0]! || v > edges[edges.length - 1]!) continue;
    let i = 0;
    while (i < counts.length - 1 && v >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}

/** A seeded Park–Miller generator for synthetic inputs (independent of d3's). */
export function parkMiller(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** The root's DOM hooks every figure must carry (other engineers' tests select on these). */
export function rootHooks(svg: SVGSVGElement): { figure: string | null; title: string | null; visibleTitle: string | null; width: number; height: number; viewBox: string | null; xmlns: string | null } {
  const titles = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'title');
  const visible = svg.querySelectorAll('text.figure-title');
  if (titles.length !== 1 || visible.length !== 1) throw new Error(`expected one <title> child and one text.figure-title (got ${titles.length}, ${visible.length})`);
  return {
    figure: svg.getAttribute('class') === 'figure' ? svg.getAttribute('data-figure') : null,
    title: titles[0]!.textContent,
    visibleTitle: visible[0]!.textContent,
    width: num(svg, 'width'),
    height: num(svg, 'height'),
    viewBox: svg.getAttribute('viewBox'),
    xmlns: svg.getAttribute('xmlns'),
  };
}
