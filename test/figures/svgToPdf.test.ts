// svgToPdf: every figure in every style as a vector PDF, read back with pdf.js (size, text, paths) and drawn by poppler
// against the PNG export of the same figure.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderFigureSvg, svgToPdf, svgToPng } from '../../electron/core/figures/index.js';
import { FIGURE_NAMES, NOTEBOOK_FIGURES, THEME_NAMES, type FigureName } from '../../shared/figures/index.js';
import { pdftoppm, readPdf, svgParts } from './pdf.js';
import { sampleData } from './samples.js';

const svgOf = (name: FigureName, theme: (typeof THEME_NAMES)[number], size = { width: 600, height: 400 }, seed?: number) =>
  renderFigureSvg(name, sampleData(name).data as never, { ...size, theme, ...(seed !== undefined ? { seed } : {}) });

/** Mean |a − b| over the RGB channels of two same-size images, on 0–255, each flattened onto its figure's own ground. */
async function meanAbsDiff(a: Buffer, b: Buffer): Promise<number> {
  const raw = (img: Buffer) => sharp(img).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [x, y] = await Promise.all([raw(a), raw(b)]);
  expect([x.info.width, x.info.height]).toEqual([y.info.width, y.info.height]);
  let sum = 0;
  for (let i = 0; i < x.data.length; i++) sum += Math.abs(x.data[i]! - y.data[i]!);
  return sum / x.data.length;
}

describe('svgToPdf(svg)', () => {
  it.each(THEME_NAMES.flatMap((theme) => FIGURE_NAMES.map((name) => [theme, name] as const)))(
    '%s %s: a page of the figure’s size in points, its text as text, one path per SVG shape',
    async (theme, name) => {
      const svg = svgOf(name, theme);
      const [page, ...more] = await readPdf(await svgToPdf(svg));
      expect(more).toEqual([]);
      // 600 × 400 CSS px at 96 px to the inch = 450 × 300 pt
      expect(page!.size).toEqual([450, 300]);
      const { shapes, texts } = svgParts(svg);
      expect(texts.length).toBeGreaterThan(3);
      // the title, the axis labels, the ticks and the legend: every word the SVG draws, selectable in the PDF (pdf.js
      // joins runs that sit close together, such as two tick labels, so words are compared, not runs)
      const words = (runs: string[]) => runs.join(' ').split(/\s+/).sort();
      expect(words(page!.text)).toEqual(words(texts));
      expect(page!.text.join(' ')).toContain(sampleData(name).title);
      // every mark, tick and spine is a path of its own (plus the page's clip)
      expect(page!.paths).toBe(shapes + 1);
    },
  );

  it('embeds its font (a subset of DejaVu Sans), so the PDF looks the same on a machine without it', async () => {
    const pdf = (await svgToPdf(svgOf('beta-across-layers', 'notebook'))).toString('latin1');
    expect(pdf).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold/);
    // no unembedded standard font (a viewer would substitute its own)
    expect(pdf).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('makes one page per figure, each its own size', async () => {
    const sizes = [{ width: 576, height: 384 }, { width: 1152, height: 384 }, { width: 640, height: 420 }];
    const pages = await readPdf(await svgToPdf(sizes.map((s, i) => svgOf(FIGURE_NAMES[i]!, 'light', s))));
    expect(pages.map((p) => p.size)).toEqual([[432, 288], [864, 288], [480, 315]]);
    expect(pages[1]!.text).toContain(sampleData(FIGURE_NAMES[1]!).title);
  });

  it('refuses an SVG without a size', async () => {
    expect(() => svgToPdf('<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

// The PDF embeds DejaVu Sans in every style (the last named font of the light and dark styles' list, the notebook's
// own), so the PNG it is compared with is the same figure drawn in that font: librsvg would otherwise take the list's
// first installed font (Liberation Sans for Arial on Debian), and the words alone would move the mean by 1–3.
// The bound: poppler (thin lines drawn as their shape, as librsvg does) and librsvg antialias edges differently:
// measured 0.83–1.24 of 255 over the three styles and three figures. The same PNG moved by one pixel, left or down,
// is 2.1–4.3 away, so 1.75 passes two renderers of one drawing and fails a drawing a pixel off. Which marks and
// words the page holds is checked exactly above, by pdf.js.
const MAD_BOUND = 1.75;

const inPdfFont = (svg: string) => svg.replace(/font-family="[^"]*"/g, 'font-family="DejaVu Sans"');

async function shifted(png: Buffer, by: { left: number; top: number }, ground: string): Promise<Buffer> {
  // two pipelines: within one, sharp extracts before it extends
  const meta = await sharp(png).metadata();
  const wider = await sharp(png).extend({ ...by, background: ground }).png().toBuffer();
  return sharp(wider).extract({ left: 0, top: 0, width: meta.width!, height: meta.height! }).png().toBuffer();
}

describe('the PDF drawn by poppler’s pdftoppm against the PNG of the same figure', () => {
  it.each(THEME_NAMES.flatMap((theme) => NOTEBOOK_FIGURES.map((name) => [theme, name] as const)))(
    '%s %s: mean absolute pixel difference under 1.75 of 255, and over it a pixel off',
    async (theme, name) => {
      const svg = svgOf(name, theme);
      const page = pdftoppm(await svgToPdf(svg));
      const meta = await sharp(page).metadata();
      expect([meta.width, meta.height]).toEqual([600, 400]);
      const png = await svgToPng(inPdfFont(svg));
      expect(await meanAbsDiff(page, png)).toBeLessThan(MAD_BOUND);
      const ground = theme === 'light' ? '#ffffff' : '#383838';
      for (const by of [{ left: 1, top: 0 }, { left: 0, top: 1 }]) expect(await meanAbsDiff(page, await shifted(png, by, ground))).toBeGreaterThan(MAD_BOUND);
    },
  );
});
