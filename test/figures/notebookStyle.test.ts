// The `notebook` figure style against the notebook's matplotlib settings (issue 14): colours, fonts, hexagons,
// L0… ticks, left-edge histogram points, t-1/t-2 legends and white x marks where the fixture's statsmodels p ≥ .05.
import { color, interpolatePlasma } from 'd3';
import { describe, expect, it } from 'vitest';
import { attentionNormHistograms, attentionNormStrip, betaAcrossLayers, FIGURES, type BetaData } from '../../shared/figures/index.js';
import { sampleData } from './samples.js';
import { betaData, COMPONENTS, DOCS, logNormData, newDocument, num, numpyCounts, numpyFdEdges, tapOf, tinyA } from './support.js';

const NB = { theme: 'notebook' } as const;
const FACE = '#383838';
const INK = '#dde2f4';
/** Points to CSS pixels (72 pt, 96 px to the inch). */
const pt = (v: number) => (v * 96) / 72;
/** Python's round(): halves to even (matplotlib's to_hex rounds .7·255 = 178.5 to 178). */
const roundHalfEven = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
/** matplotlib's colour of an RGB triple in 0..1, as `to_hex` writes it. */
const rgb = (r: number, g: number, b: number) => color(`rgb(${roundHalfEven(r * 255)}, ${roundHalfEven(g * 255)}, ${roundHalfEven(b * 255)})`)!.formatHex();
const hex = (c: string | null) => color(c!)!.formatHex();

function allThree(doc: string, c: (typeof COMPONENTS)[number]): SVGSVGElement[] {
  return [attentionNormStrip(logNormData(doc, c), NB, newDocument()), attentionNormHistograms(logNormData(doc, c), NB, newDocument()), betaAcrossLayers(betaData(doc, c), NB, newDocument())];
}

/** An axis' tick labels and their pixel positions along the axis (less d3-axis' half-pixel crisp-edge offset). */
function ticks(svg: SVGSVGElement, axis: 'x' | 'y'): { label: string; at: number }[] {
  // the x domain is "M{x0},{offset}H{x1}", the y domain "M{offset},{y0}V{y1}"
  const domain = /^M(-?[\d.]+),(-?[\d.]+)/.exec(svg.querySelector(`g.axis-${axis} .domain`)!.getAttribute('d')!)!;
  const offset = Number(axis === 'x' ? domain[2] : domain[1]);
  return [...svg.querySelectorAll(`g.axis-${axis} g.tick`)].map((t) => {
    const [, tx, ty] = /translate\((-?[\d.]+),\s*(-?[\d.]+)\)/.exec(t.getAttribute('transform')!)!.map(Number);
    return { label: t.querySelector('text')!.textContent!, at: (axis === 'x' ? tx! : ty!) - offset };
  });
}

/** The axis scale as its ticks show it: value → pixel, through the first and last numeric tick. */
function scaleFromTicks(svg: SVGSVGElement, axis: 'x' | 'y'): (v: number) => number {
  const t = ticks(svg, axis).map((k) => ({ v: Number(k.label.replace('−', '-')), at: k.at }));
  const [a, b] = [t[0]!, t[t.length - 1]!];
  return (v) => a.at + ((v - a.v) * (b.at - a.at)) / (b.v - a.v);
}

/** The corners of a path of M, L, l, v and z commands, in absolute pixels. */
function corners(d: string): [number, number][] {
  const out: [number, number][] = [];
  let [x, y] = [0, 0];
  for (const [, cmd, args] of d.matchAll(/([MLlvz])([^MLlvz]*)/g)) {
    const v = args!.split(/[ ,]+/).filter(Boolean).map(Number);
    if (cmd === 'M' || cmd === 'L') [x, y] = [v[0]!, v[1]!];
    else if (cmd === 'l') [x, y] = [x + v[0]!, y + v[1]!];
    else if (cmd === 'v') y += v[0]!;
    else continue;
    out.push([x, y]);
  }
  return out;
}

function pathPoints(d: string): [number, number][] {
  return d.match(/-?[\d.]+,-?[\d.]+/g)!.map((p) => p.split(',').map(Number) as [number, number]);
}

describe('the notebook style (theme: notebook)', () => {
  it("draws on the notebook's #383838 face with #DDE2F4 text, spines and ticks, bold titles and labels, no top or right spine", () => {
    for (const svg of allThree('hungarian-rock', 'attn')) {
      const name = svg.getAttribute('data-figure');
      expect(hex(svg.querySelector('rect.figure-background')!.getAttribute('fill')), name!).toBe(FACE);
      const texts = [...svg.querySelectorAll('text')];
      expect(texts.length).toBeGreaterThan(8);
      for (const t of texts) expect(hex(t.getAttribute('fill') ?? t.closest('[fill]')!.getAttribute('fill')), `${name}: "${t.textContent}"`).toBe(INK);
      for (const t of svg.querySelectorAll('text.figure-title, text.axis-label')) expect(t.getAttribute('font-weight'), t.textContent!).toBe('bold');
      // only two spines: the x axis' domain is one horizontal stroke, the y axis' one vertical stroke
      expect(svg.querySelectorAll('.domain')).toHaveLength(2);
      expect(svg.querySelector('g.axis-x .domain')!.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+H[\d.]+$/);
      expect(svg.querySelector('g.axis-y .domain')!.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+V[\d.]+$/);
      for (const s of svg.querySelectorAll('.domain, g.tick line')) expect(hex(s.getAttribute('stroke'))).toBe(INK);
    }
  });

  it('attention norms: one white-edged plasma hexagon (10 pt, alpha 0.4, vertex up) per token 1…T−1, x = layer ± jitter', () => {
    for (const doc of DOCS) {
      const data = logNormData(doc, 'attn');
      const svg = attentionNormStrip(data, NB, newDocument());
      expect(svg.querySelectorAll('circle')).toHaveLength(0);
      const xTicks = new Map(ticks(svg, 'x').map((t) => [t.label, t.at]));
      const y = scaleFromTicks(svg, 'y');
      const unit = xTicks.get('L1')! - xTicks.get('L0')!;
      for (const g of svg.querySelectorAll('g.strip-layer')) {
        const layer = num(g, 'data-layer');
        expect(hex(g.getAttribute('fill'))).toBe(hex(interpolatePlasma(layer / data.nLayers)));
        expect(hex(g.getAttribute('stroke'))).toBe('#ffffff');
        expect([num(g, 'fill-opacity'), num(g, 'stroke-opacity')]).toEqual([0.4, 0.4]);
        const points = [...g.querySelectorAll('path.strip-point')];
        expect(points.map((p) => num(p, 'data-token'))).toEqual(Array.from({ length: data.layers[layer]!.logNorms.length - 1 }, (_, i) => i + 1));
        for (const p of points) {
          const hex6 = corners(p.getAttribute('d')!);
          expect(p.getAttribute('d')).toMatch(/z$/i);
          expect(hex6).toHaveLength(6);
          const [cx, cy] = [hex6.reduce((s, c) => s + c[0], 0) / 6, hex6.reduce((s, c) => s + c[1], 0) / 6];
          // a regular hexagon 10 pt across its corners, the first corner straight up
          for (const [px, py] of hex6) expect(Math.hypot(px - cx, py - cy)).toBeCloseTo(pt(10) / 2, 1);
          for (let k = 0; k < 6; k++) expect(Math.hypot(hex6[k]![0] - hex6[(k + 1) % 6]![0], hex6[k]![1] - hex6[(k + 1) % 6]![1])).toBeCloseTo(pt(10) / 2, 1);
          expect(hex6[0]![0]).toBeCloseTo(cx, 1);
          expect(hex6[0]![1]).toBeLessThan(cy);
          // at its log norm, and within 4 jitter SDs (0.08 of a layer) of its layer's tick
          expect(cy).toBeCloseTo(y(data.layers[layer]!.logNorms[num(p, 'data-token')]!), 0);
          expect(Math.abs(cx - xTicks.get(`L${layer}`)!)).toBeLessThan(4 * 0.08 * unit);
        }
      }
    }
  });

  it('labels layers L0…L{n−1} on the strip and β figures, with the notebook’s axis labels per component', () => {
    const want = { attn: 'Attention norm (log)', mlp: 'MLP norm (log)', block: 'Block output norm (log)' } as const;
    for (const c of COMPONENTS) {
      const [strip, hist, beta] = allThree('lighthouse', c);
      const n = tinyA().model.n_layer;
      for (const svg of [strip!, beta!]) expect(ticks(svg, 'x').map((t) => t.label)).toEqual(Array.from({ length: n }, (_, l) => `L${l}`));
      expect(strip!.querySelector('.axis-label-x')!.textContent).toBe('Transformer block');
      expect(strip!.querySelector('.axis-label-y')!.textContent).toBe(want[c]);
      expect(hist!.querySelector('.axis-label-x')!.textContent).toBe(want[c]);
      expect(hist!.querySelector('.axis-label-y')!.textContent).toBe('Count');
      expect(beta!.querySelector('.axis-label-y')!.textContent).toBe('Beta');
      expect(beta!.querySelector('.axis-label-x')).toBeNull();
    }
  });

  it("distributions: a plasma line with square markers through (left bin edge, count) of numpy's Freedman–Diaconis bins", () => {
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        const data = logNormData(doc, c);
        const svg = attentionNormHistograms(data, NB, newDocument());
        const [x, y] = [scaleFromTicks(svg, 'x'), scaleFromTicks(svg, 'y')];
        expect(svg.querySelector('.legend')).toBeNull();
        for (const g of svg.querySelectorAll('g.hist-layer')) {
          const layer = num(g, 'data-layer');
          const values = Array.from(data.layers[layer]!.logNorms).slice(1);
          const edges = numpyFdEdges(values);
          const counts = numpyCounts(values, edges);
          const colour = hex(interpolatePlasma(layer / data.nLayers));
          const line = g.querySelector('path.hist-line')!;
          expect(hex(line.getAttribute('stroke'))).toBe(colour);
          const vertices = pathPoints(line.getAttribute('d')!);
          const markers = [...g.querySelectorAll('rect.hist-marker')];
          expect(markers).toHaveLength(edges.length - 1);
          markers.forEach((m, i) => {
            const [mx, my] = [num(m, 'x') + num(m, 'width') / 2, num(m, 'y') + num(m, 'height') / 2];
            // x[:-1]: the left edge of bin i, in pixels as the axis' own ticks place it
            expect(num(m, 'data-left')).toBeCloseTo(edges[i]!, 10);
            expect(mx, `${doc} ${c} layer ${layer} bin ${i}`).toBeCloseTo(x(edges[i]!), 1);
            expect(my).toBeCloseTo(y(counts[i]!), 1);
            expect(vertices[i]![0]).toBeCloseTo(mx, 1);
            expect(vertices[i]![1]).toBeCloseTo(my, 1);
            // matplotlib's 6 pt square, edged in its own colour
            expect(num(m, 'width')).toBeCloseTo(pt(6), 1);
            expect([hex(m.getAttribute('fill')), hex(m.getAttribute('stroke'))]).toEqual([colour, colour]);
          });
        }
      }
    }
  });

  it('β: t-1 in (.9, .7, .7) and t-2 in (.7, .7, .9), 0.6 pt lines, a 14 pt legend, a dashed 0.1 pt grid and a grey zero line', () => {
    const svg = betaAcrossLayers(betaData('hungarian-rock', 'mlp'), NB, newDocument());
    const colours = [rgb(0.9, 0.7, 0.7), rgb(0.7, 0.7, 0.9)];
    const entries = [...svg.querySelectorAll('.legend-entry')];
    expect(entries.map((e) => e.querySelector('text')!.textContent)).toEqual(['t-1', 't-2']);
    entries.forEach((e, i) => {
      expect(num(e.querySelector('text')!, 'font-size')).toBeCloseTo(pt(14), 1);
      expect(hex(e.querySelector('line')!.getAttribute('stroke'))).toBe(colours[i]);
    });
    for (const line of svg.querySelectorAll('path.beta-line')) {
      expect(hex(line.getAttribute('stroke'))).toBe(colours[num(line, 'data-lag') - 1]);
      expect(num(line, 'stroke-width')).toBeCloseTo(pt(0.6), 1);
    }
    // the legend sits inside the axes
    const plot = svg.querySelector('g.plot')!;
    expect(plot.querySelector('.legend')).not.toBeNull();
    const grid = svg.querySelector('g.grid')!;
    expect(num(grid, 'stroke-width')).toBeCloseTo(pt(0.1), 1);
    expect(grid.getAttribute('stroke-dasharray')).toMatch(/^[\d.]+ [\d.]+$/);
    expect(grid.querySelectorAll('line').length).toBeGreaterThan(3);
    const zero = svg.querySelector('line.zero-line')!;
    expect(hex(zero.getAttribute('stroke'))).toBe('#808080');
    expect(num(zero, 'y1')).toBeCloseTo(scaleFromTicks(svg, 'y')(0), 1);
  });

  it('β: white x (6 pt) exactly at the layers and lags whose statsmodels p ≥ .05; squares (t-1) and circles (t-2) of 12 pt elsewhere', () => {
    let seen = { x: 0, filled: 0 };
    for (const doc of DOCS) {
      for (const c of COMPONENTS) {
        const data = betaData(doc, c);
        const svg = betaAcrossLayers(data, NB, newDocument());
        const xAt = new Map(ticks(svg, 'x').map((t) => [t.label, t.at]));
        const y = scaleFromTicks(svg, 'y');
        // the fixture's statsmodels fits, read here: every (layer, lag) whose p-value is not below .05
        const want = data.layers.flatMap((l) => [1, 2].filter((lag) => tinyA().documents[doc]!.taps[tapOf(l.layer, c)]!.ar2.pvalues[lag]! >= 0.05).map((lag) => `${l.layer}/${lag}`));
        const xs = [...svg.querySelectorAll('.beta-x')];
        expect(xs.map((m) => `${m.getAttribute('data-layer')}/${m.getAttribute('data-lag')}`).sort(), `${doc} ${c}`).toEqual(want.sort());
        for (const m of xs) {
          expect(hex(m.getAttribute('stroke'))).toBe('#ffffff');
          const [[x0, y0], [x1, y1]] = pathPoints(m.getAttribute('d')!);
          expect(x1! - x0!).toBeCloseTo(pt(6), 1);
          const layer = num(m, 'data-layer');
          // on the layer's tick (the notebook draws lags on the layer, not dodged) at its β
          expect((x0! + x1!) / 2).toBeCloseTo(xAt.get(`L${layer}`)!, 1);
          expect((y0! + y1!) / 2).toBeCloseTo(y(data.layers[layer]!.params[num(m, 'data-lag')]!), 1);
        }
        for (const m of svg.querySelectorAll('.beta-marker:not(.beta-x)')) {
          const lag = num(m, 'data-lag');
          expect(m.tagName.toLowerCase()).toBe(lag === 1 ? 'rect' : 'circle');
          expect(lag === 1 ? num(m, 'width') : 2 * num(m, 'r')).toBeCloseTo(pt(12), 1);
          expect(hex(m.getAttribute('fill'))).toBe(lag === 1 ? rgb(0.9, 0.7, 0.7) : rgb(0.7, 0.7, 0.9));
          seen = { ...seen, filled: seen.filled + 1 };
        }
        seen = { ...seen, x: seen.x + xs.length };
      }
    }
    // the fixture has both kinds, so both were checked
    expect(seen.x).toBeGreaterThan(0);
    expect(seen.filled).toBeGreaterThan(0);
  });

  it('continues lags beyond 2 as t-3, t-4 … in further colours', () => {
    const base = betaData('lighthouse', 'attn');
    const data: BetaData = { ...base, lags: 4, layers: base.layers.map((l) => ({ layer: l.layer, params: [...Array.from(l.params), 0.1, -0.1], pvalues: [...Array.from(l.pvalues), 0.01, 0.5] })) };
    const svg = betaAcrossLayers(data, NB, newDocument());
    const entries = [...svg.querySelectorAll('.legend-entry')];
    expect(entries.map((e) => e.querySelector('text')!.textContent)).toEqual(['t-1', 't-2', 't-3', 't-4']);
    expect(new Set(entries.map((e) => hex(e.querySelector('line')!.getAttribute('stroke')))).size).toBe(4);
    // p = .5 for lag 4 everywhere: an x at every layer
    expect(svg.querySelectorAll('.beta-x[data-lag="4"]')).toHaveLength(base.layers.length);
  });

  it("takes the notebook's canvases by default: 6×4 in for the strip and the histograms (one 12×4 canvas), 12×4 in for β", () => {
    const [strip, hist, beta] = allThree('lighthouse', 'attn');
    for (const svg of [strip!, hist!]) expect([num(svg, 'width'), num(svg, 'height')]).toEqual([6 * 96, 4 * 96]);
    expect([num(beta!, 'width'), num(beta!, 'height')]).toEqual([12 * 96, 4 * 96]);
    // a given size wins
    expect(num(attentionNormStrip(logNormData('lighthouse', 'attn'), { ...NB, width: 800 }, newDocument()), 'width')).toBe(800);
  });

  it('the heat map and the corpus figures take the style too: the face, the ink, bold labels, L0… and t-1/t-2', () => {
    for (const name of ['log-norm-heatmap', 'beta-distributions', 'share-significant'] as const) {
      const svg = FIGURES[name](sampleData(name).data as never, NB, newDocument());
      expect(hex(svg.querySelector('rect.figure-background')!.getAttribute('fill')), name).toBe(FACE);
      for (const t of svg.querySelectorAll('text')) expect(hex(t.getAttribute('fill') ?? t.closest('[fill]')!.getAttribute('fill')), `${name}: "${t.textContent}"`).toBe(INK);
      for (const t of svg.querySelectorAll('text.axis-label')) expect(t.getAttribute('font-weight'), `${name}: ${t.textContent}`).toBe('bold');
      const layerAxis = name === 'log-norm-heatmap' ? 'y' : 'x';
      expect(ticks(svg, layerAxis).every((t) => /^L\d+$/.test(t.label)), name).toBe(true);
      if (name !== 'log-norm-heatmap') expect([...svg.querySelectorAll('.legend-entry text')].map((t) => t.textContent).slice(0, 2), name).toEqual(['t-1', 't-2']);
    }
  });

  it("the dark style keeps normscope's marks on the notebook's palette", () => {
    const strip = attentionNormStrip(logNormData('lighthouse', 'attn'), { theme: 'dark' }, newDocument());
    expect(hex(strip.querySelector('rect.figure-background')!.getAttribute('fill'))).toBe(FACE);
    expect(hex(strip.querySelector('text.figure-title')!.getAttribute('fill'))).toBe(INK);
    expect(strip.querySelectorAll('circle.strip-point').length).toBeGreaterThan(0);
    expect(ticks(strip, 'x').map((t) => t.label)).toEqual(['0', '1', '2']);
  });
});
