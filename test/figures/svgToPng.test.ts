import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { figureFileName, renderFigureSvg, svgToPng } from '../../electron/core/figures/index.js';
import { isNormscopeError } from '../../electron/core/errors.js';
import { FIGURE_NAMES, type FigureName } from '../../shared/figures/index.js';
import { sampleData } from './samples.js';

const ARTIFACTS = path.resolve(process.cwd(), 'test-artifacts/figures');

describe('svgToPng(svg, { width | scale | dpi })', () => {
  it.each(FIGURE_NAMES.map((n) => [n]))('rasterizes %s at 1×, 2× and 300 dpi, to the pixel', async (name: FigureName) => {
    const svg = renderFigureSvg(name, sampleData(name).data as never, { width: 640, height: 420 });
    for (const [opts, w, h, density] of [
      [{}, 640, 420, 96],
      [{ scale: 2 }, 1280, 840, 192],
      // 300/96 of the CSS size: 640·3.125, 420·3.125
      [{ dpi: 300 }, 2000, 1313, 300],
      [{ width: 1000 }, 1000, 656, 150],
    ] as const) {
      const png = await svgToPng(svg, opts);
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height], JSON.stringify(opts)).toEqual(['png', w, h]);
      expect(meta.density).toBeCloseTo(density, 0);
    }
  });

  it('draws the figure: ink on a white ground, and the dark and notebook styles on the notebook’s #383838', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const name of FIGURE_NAMES) {
      for (const theme of ['light', 'dark', 'notebook'] as const) {
        const svg = renderFigureSvg(name, sampleData(name).data as never, { theme });
        const png = await svgToPng(svg, { scale: 2 });
        // looked at by a person: one file per figure and theme
        writeFileSync(path.join(ARTIFACTS, figureFileName(`tiny-a-${theme}`, name, 'png')), png);
        const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const ground = theme === 'light' ? [255, 255, 255] : [0x38, 0x38, 0x38];
        let onGround = 0;
        let dark = 0;
        for (let i = 0; i < data.length; i += info.channels) {
          if (data[i] === ground[0] && data[i + 1] === ground[1] && data[i + 2] === ground[2]) onGround++;
          if (data[i]! + data[i + 1]! + data[i + 2]! < 150) dark++;
        }
        const pixels = data.length / info.channels;
        // the corners are ground; something is drawn (the title and axes at least)
        expect([...data.subarray(0, 3)], `${name} ${theme}`).toEqual(ground);
        expect(onGround / pixels).toBeGreaterThan(theme === 'light' ? 0.3 : 0.2);
        expect(onGround / pixels).toBeLessThan(0.995);
        if (theme === 'light') expect(dark).toBeGreaterThan(500);
      }
    }
  });

  it('refuses two sizes at once, a non-positive size, and input that is not an SVG', async () => {
    const svg = renderFigureSvg('share-significant', sampleData('share-significant').data as never);
    const code = async (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isNormscopeError(e) ? e.code : String(e)));
    expect(await code(svgToPng(svg, { scale: 2, dpi: 300 }))).toBe('BAD_INPUT');
    expect(await code(svgToPng(svg, { scale: 0 }))).toBe('BAD_INPUT');
    expect(await code(svgToPng('not an svg'))).toBe('BAD_INPUT');
  });
});
