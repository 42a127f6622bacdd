#!/usr/bin/env node
// Writes README's small sample of each figure style, docs/figures/<style>.png: the strip and the histograms
// side by side (the notebook's 12×4-inch canvas) over the β figure, for the tiny-a fixture's hungarian-rock
// text (its PyTorch log norms and statsmodels fits, ../shared), and docs/figures/sample.pdf: the three figures in the
// three styles as vector pages (what `analyze --format pdf --combine` writes). Run after `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { renderFigureSvg, svgToPdf, svgToPng } = await import(path.join(root, 'dist/electron/core/figures/index.js'));
const expected = JSON.parse(fs.readFileSync(path.join(root, '../shared/fixtures/tiny-a/expected.json'), 'utf8'));
const doc = expected.documents['hungarian-rock'];
const n = expected.model.n_layer;
const layers = Array.from({ length: n }, (_, l) => doc.taps[`h.${l}.attn`]);
const logNorms = { nLayers: n, component: 'attn', layers: layers.map((t, l) => ({ layer: l, logNorms: t.log_norms })) };
const beta = { lags: 2, component: 'attn', layers: layers.map((t, l) => ({ layer: l, params: t.ar2.params, pvalues: t.ar2.pvalues })) };

// the notebook's canvases in every style, so the three samples compare at one size
const [W, H] = [576, 384];
// 576 × 0.625 = 360 and 384 × 0.625 = 240: whole pixels, so no tile ends in a half-covered column
const SCALE = 0.625;
const out = path.join(root, 'docs', 'figures');
fs.mkdirSync(out, { recursive: true });
for (const theme of ['light', 'dark', 'notebook']) {
  const png = (figure, data, width) => svgToPng(renderFigureSvg(figure, data, { theme, width, height: H }), { scale: SCALE });
  const tiles = [
    { input: await png('attention-norm-strip', logNorms, W), left: 0, top: 0 },
    { input: await png('attention-norm-histograms', logNorms, W), left: Math.round(W * SCALE), top: 0 },
    { input: await png('beta-across-layers', beta, 2 * W), left: 0, top: Math.round(H * SCALE) },
  ];
  const file = path.join(out, `${theme}.png`);
  await sharp({ create: { width: Math.round(2 * W * SCALE), height: Math.round(2 * H * SCALE), channels: 3, background: theme === 'light' ? '#ffffff' : '#383838' } })
    .composite(tiles)
    .png({ compressionLevel: 9, palette: true, quality: 90 })
    .toFile(file);
  console.log(`${path.relative(root, file)}: ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
}

// the PDF sample: each style's three figures at the notebook's canvases, one page each; a fixed date keeps its bytes
const pages = ['light', 'dark', 'notebook'].flatMap((theme) => [
  renderFigureSvg('attention-norm-strip', logNorms, { theme, width: W, height: H }),
  renderFigureSvg('attention-norm-histograms', logNorms, { theme, width: W, height: H }),
  renderFigureSvg('beta-across-layers', beta, { theme, width: 2 * W, height: H }),
]);
const pdf = path.join(out, 'sample.pdf');
fs.writeFileSync(pdf, await svgToPdf(pages, { title: 'normscope figure samples', date: new Date('2026-12-03T00:00:00Z') }));
console.log(`${path.relative(root, pdf)}: ${(fs.statSync(pdf).size / 1024).toFixed(0)} KB`);
