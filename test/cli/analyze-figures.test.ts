// --figures: the notebook's three figures per document, as SVG (parsed and counted) and PNG (decoded).
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { color, interpolatePlasma } from 'd3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { normscope, tempDir, tinyAExpected, tinyAModel, worstAbsolute } from '../analysis/fixtures.js';
import { readPdf } from '../figures/pdf.js';

const expected = tinyAExpected();
const names = Object.keys(expected.documents);
const FIGURES = {
  'attention-norm-strip': 'Attention norms',
  'attention-norm-histograms': 'Attention norm distributions',
  'beta-across-layers': 'Predicting token update from previous token updates',
} as const;

/** numpy's `bins='fd'` count, written for the test: width 2·IQR·n^(-1/3) (linear-interpolation percentiles), ceil(range / width), 1 when the width is 0. */
function numpyFdCount(values: readonly number[]): number {
  const a = [...values].sort((x, y) => x - y);
  const n = a.length;
  const percentile = (q: number) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    return a[lo]! + (h - lo) * (a[Math.min(lo + 1, n - 1)]! - a[lo]!);
  };
  const width = 2 * (percentile(0.75) - percentile(0.25)) * n ** (-1 / 3);
  return width > 0 ? Math.ceil((a[n - 1]! - a[0]!) / width) : 1;
}

let model: string;
let dir: string;
let files: string[];
beforeAll(() => {
  model = tinyAModel();
  dir = tempDir('figures');
  files = names.map((name) => {
    const f = path.join(dir, `${name}.txt`);
    fs.writeFileSync(f, expected.documents[name]!.text);
    return f;
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('normscope analyze --figures DIR (SVG)', () => {
  let doc: AnalysisDocument;
  const figDir = () => path.join(dir, 'svg');
  const svgOf = (name: string, figure: string) => {
    const dom = new JSDOM(fs.readFileSync(path.join(figDir(), `${name}.${figure}.svg`), 'utf8'), { contentType: 'image/svg+xml' });
    return dom.window.document;
  };
  beforeAll(() => {
    const run = normscope(['analyze', '--model', model, '--figures', figDir(), ...files]);
    expect(run.status).toBe(0);
    doc = JSON.parse(run.stdout) as AnalysisDocument;
  });

  it('writes <document>.<figure>.svg for each document and figure, and nothing else', () => {
    expect(fs.readdirSync(figDir()).sort()).toEqual(names.flatMap((n) => Object.keys(FIGURES).map((f) => `${n}.${f}.svg`)).sort());
  });

  it.each(names)('%s: each SVG parses as XML and carries its figure name and title', (name) => {
    for (const [figure, title] of Object.entries(FIGURES)) {
      const svg = svgOf(name, figure).documentElement;
      expect(svg.localName).toBe('svg');
      expect(svg.getAttribute('data-figure')).toBe(figure);
      expect(svg.querySelector(':scope > title')?.textContent).toBe(title);
    }
  });

  it.each(names)('%s: the strip has (T−1)·n_layers points, with the log norms of tokens 1..T−1 (to the 6 decimals it writes)', (name) => {
    const res = doc.documents.find((d) => d.path.endsWith(`${name}.txt`)) as DocumentOk;
    const T = expected.documents[name]!.ids.length;
    const points = [...svgOf(name, 'attention-norm-strip').querySelectorAll('circle.strip-point')];
    expect(points).toHaveLength((T - 1) * 3);
    const layer2 = points.filter((p) => p.getAttribute('data-layer') === '2').map((p) => Number(p.getAttribute('data-value')));
    // data-value carries 6 decimals
    expect(worstAbsolute(layer2, res.layers[2]!.log_norms.slice(1))).toBeLessThanOrEqual(1e-6);
  });

  it.each(names)('%s: each layer’s histogram has numpy’s Freedman–Diaconis bin count', (name) => {
    const res = doc.documents.find((d) => d.path.endsWith(`${name}.txt`)) as DocumentOk;
    const layers = [...svgOf(name, 'attention-norm-histograms').querySelectorAll('g.hist-layer')];
    expect(layers).toHaveLength(3);
    for (const g of layers) {
      const layer = Number(g.getAttribute('data-layer'));
      const values = res.layers[layer]!.log_norms.slice(1);
      expect(values).toHaveLength(expected.documents[name]!.ids.length - 1);
      expect(Number(g.getAttribute('data-bins')), `layer ${layer}`).toBe(numpyFdCount(values));
    }
  });

  it.each(names)('%s: β markers significant exactly where the fit’s p < .05', (name) => {
    const res = doc.documents.find((d) => d.path.endsWith(`${name}.txt`)) as DocumentOk;
    const markers = [...svgOf(name, 'beta-across-layers').querySelectorAll('.beta-marker')];
    expect(markers).toHaveLength(3 * 2);
    for (const m of markers) {
      const fit = res.layers[Number(m.getAttribute('data-layer'))]!.fit;
      expect(m.getAttribute('data-significant')).toBe(String(fit.pvalues[Number(m.getAttribute('data-lag'))]! < 0.05));
    }
  });
});

describe('normscope analyze --figures DIR --format png', () => {
  it('PNGs decode at the requested size: --width 800 --height 500 --scale 2 → 1600 × 1000', async () => {
    const pngDir = path.join(dir, 'png');
    const run = normscope(['analyze', '--quiet', '--model', model, '--figures', pngDir, '--format', 'png', '--width', '800', '--height', '500', '--scale', '2', files[1]!]);
    expect(run.status).toBe(0);
    expect(fs.readdirSync(pngDir).sort()).toEqual(Object.keys(FIGURES).map((f) => `${names[1]}.${f}.png`).sort());
    for (const f of fs.readdirSync(pngDir)) {
      const { data, info } = await sharp(path.join(pngDir, f)).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height], f).toEqual([1600, 1000]);
      expect(new Set(data).size, `${f} is not blank`).toBeGreaterThan(2);
    }
  });

  it('--dpi 192 doubles the default 640 × 420', async () => {
    const pngDir = path.join(dir, 'dpi');
    const run = normscope(['analyze', '--quiet', '--model', model, '--figures', pngDir, '--format', 'png', '--dpi', '192', files[0]!]);
    expect(run.status).toBe(0);
    const meta = await sharp(path.join(pngDir, `${names[0]}.beta-across-layers.png`)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1280, 840]);
  });
});

describe('normscope analyze --figures DIR --format png --theme light|dark|notebook (hungarian-rock)', () => {
  const name = 'hungarian-rock';
  const PX_PER_INCH = 96;
  const ARTIFACTS = path.resolve('test-artifacts/cli-figures');
  /** The decoded PNG: its size, and how many pixels have exactly each colour. */
  const decode = async (file: string) => {
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const counts = new Map<string, number>();
    for (let i = 0; i < data.length; i += info.channels) {
      const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return { width: info.width, height: info.height, corner: [...data.subarray(0, 3)], counts, pixels: data.length / info.channels };
  };
  const rgbKey = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',');
  const shots = new Map<string, Awaited<ReturnType<typeof decode>>>();

  beforeAll(async () => {
    const file = files[names.indexOf(name)]!;
    for (const theme of ['light', 'dark', 'notebook']) {
      const out = path.join(dir, `theme-${theme}`);
      const run = normscope(['analyze', '--quiet', '--model', model, '--figures', out, '--format', 'png', '--theme', theme, file]);
      expect(run.status, run.stderr).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(Object.keys(FIGURES).map((f) => `${name}.${f}.png`).sort());
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      for (const f of Object.keys(FIGURES)) {
        shots.set(`${theme}/${f}`, await decode(path.join(out, `${name}.${f}.png`)));
        // looked at by a person: each figure in each style
        fs.copyFileSync(path.join(out, `${name}.${f}.png`), path.join(ARTIFACTS, `${name}.${theme}.${f}.png`));
      }
    }
  });

  it('light and dark at the default 640 × 420; notebook at its 6 × 4 in (strip, histograms) and 12 × 4 in (β) canvases', () => {
    for (const theme of ['light', 'dark']) for (const f of Object.keys(FIGURES)) expect([shots.get(`${theme}/${f}`)!.width, shots.get(`${theme}/${f}`)!.height], `${theme} ${f}`).toEqual([640, 420]);
    const nb = (f: string) => [shots.get(`notebook/${f}`)!.width, shots.get(`notebook/${f}`)!.height];
    expect(nb('attention-norm-strip')).toEqual([6 * PX_PER_INCH, 4 * PX_PER_INCH]);
    expect(nb('attention-norm-histograms')).toEqual([6 * PX_PER_INCH, 4 * PX_PER_INCH]);
    expect(nb('beta-across-layers')).toEqual([12 * PX_PER_INCH, 4 * PX_PER_INCH]);
  });

  it('the ground is white in light and the notebook’s #383838 in dark and notebook, corner to most of the canvas', () => {
    for (const [theme, ground] of [['light', '#ffffff'], ['dark', '#383838'], ['notebook', '#383838']] as const) {
      for (const f of Object.keys(FIGURES)) {
        const png = shots.get(`${theme}/${f}`)!;
        expect(png.corner.join(','), `${theme} ${f}`).toBe(rgbKey(ground));
        const share = (png.counts.get(rgbKey(ground)) ?? 0) / png.pixels;
        // mostly ground, and not only ground
        expect(share, `${theme} ${f}`).toBeGreaterThan(0.5);
        expect(share, `${theme} ${f}`).toBeLessThan(0.99);
      }
    }
  });

  it('notebook: the histograms’ solid squares in plasma(layer / 3), the β squares and circles in (.9, .7, .7) and (.7, .7, .9)', () => {
    const hist = shots.get('notebook/attention-norm-histograms')!;
    for (const layer of [0, 1, 2]) expect(hist.counts.get(rgbKey(color(interpolatePlasma(layer / 3))!.formatHex())) ?? 0, `plasma(${layer}/3)`).toBeGreaterThan(20);
    const beta = shots.get('notebook/beta-across-layers')!;
    const res = JSON.parse(normscope(['analyze', '--quiet', '--model', model, files[names.indexOf(name)]!]).stdout) as AnalysisDocument;
    const layers = (res.documents[0] as DocumentOk).layers;
    // matplotlib's to_hex rounds halves to even: .7·255 = 178.5 → 178 (0xb2), .9·255 = 229.5 → 230 (0xe6)
    for (const [lag, hex] of [[1, '#e6b2b2'], [2, '#b2b2e6']] as const) {
      const significant = layers.filter((l) => l.fit.pvalues[lag]! < 0.05).length;
      const filled = beta.counts.get(rgbKey(hex)) ?? 0;
      // a 12 pt (16 px) marker per significant layer: at least its inner 12 × 12 px are solid
      if (significant > 0) expect(filled, `lag ${lag}`).toBeGreaterThan(significant * 100);
      expect(shots.get('dark/beta-across-layers')!.counts.get(rgbKey(hex)) ?? 0).toBe(0);
    }
  });

  it('refuses an unknown --theme, and --theme without --figures (exit 2)', () => {
    const bad = normscope(['analyze', '--model', model, '--figures', path.join(dir, 'x'), '--theme', 'sepia', files[0]!]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--theme must be one of light, dark, notebook, got 'sepia'/);
    const alone = normscope(['analyze', '--model', model, '--theme', 'dark', files[0]!]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/--theme needs --figures DIR/);
  });
});

describe('normscope analyze --figures DIR --format pdf', () => {
  it('one vector PDF per figure, a page of --width × --height at 96 px to the inch, the title and axis labels as text', async () => {
    const out = path.join(dir, 'pdf');
    const run = normscope(['analyze', '--quiet', '--model', model, '--figures', out, '--format', 'pdf', '--width', '800', '--height', '500', '--theme', 'notebook', ...files]);
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(names.flatMap((n) => Object.keys(FIGURES).map((f) => `${n}.${f}.pdf`)).sort());
    for (const [figure, title] of Object.entries(FIGURES)) {
      const pages = await readPdf(fs.readFileSync(path.join(out, `${names[0]}.${figure}.pdf`)));
      expect(pages.map((p) => p.size)).toEqual([[600, 375]]);
      expect(pages[0]!.text.join(' ')).toContain(title);
    }
    const strip = await readPdf(fs.readFileSync(path.join(out, `${names[0]}.attention-norm-strip.pdf`)));
    expect(strip[0]!.text.join(' ')).toMatch(/Transformer block.*Attention norm \(log\)|Attention norm \(log\).*Transformer block/);
  });

  it('--combine: one <document>.figures.pdf of three pages, in the notebook’s order', async () => {
    const out = path.join(dir, 'pdf-combined');
    const run = normscope(['analyze', '--quiet', '--model', model, '--figures', out, '--format', 'pdf', '--combine', ...files]);
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(names.map((n) => `${n}.figures.pdf`).sort());
    const pages = await readPdf(fs.readFileSync(path.join(out, `${names[0]}.figures.pdf`)));
    // the light style's default 640 × 420 px = 480 × 315 pt
    expect(pages.map((p) => p.size)).toEqual([[480, 315], [480, 315], [480, 315]]);
    Object.values(FIGURES).forEach((title, i) => expect(pages[i]!.text.join(' ')).toContain(title));
  });
});
