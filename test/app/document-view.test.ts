// End to end in Debian's Chromium through the harness, on the tiny-a fixture model: open the
// `hungarian-rock` text as a file, wait for the figures, and hold what they and the summary show to
// the fit the core computes directly in this test (and to the fixture's statsmodels values).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTaps, fitLayers, type DocumentTaps } from '../../electron/core/analysis/index.js';
import { exportSize } from '../../electron/core/app/index.js';
import { loadModel, type Gpt2Model } from '../../electron/core/model/index.js';
import { figureTitle } from '../../shared/figures/titles.js';
import { DOCUMENT_FIGURES, type DocumentFigure, type NormscopeBridge } from '../../shared/ipc.js';
import { DEFAULT_SETTINGS, type LayerResult, type Settings } from '../../shared/result.js';
import { startHarness, type Harness } from '../harness/server.js';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, expected, tinyModel, type ExpectedDocument } from './fixtures.js';
import { readPdf } from '../figures/pdf.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const DOC = 'hungarian-rock';
const MLP: Settings = { ...DEFAULT_SETTINGS, component: 'mlp' };

/** numpy's histogram_bin_edges(x, 'fd') bin count: width 2·IQR·n^(-1/3) (linear-interpolated percentiles), ceil(range / width), 1 when IQR is 0. */
function numpyFdBins(values: number[]): number {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return x[lo]! + (h - lo) * (x[Math.min(lo + 1, n - 1)]! - x[lo]!);
  };
  const width = 2 * (q(0.75) - q(0.25)) * n ** (-1 / 3);
  return width > 0 ? Math.ceil((x[n - 1]! - x[0]!) / width) : 1;
}

describe('document view in Chromium (tiny-a, hungarian-rock)', () => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  let model: Gpt2Model;
  let taps: DocumentTaps;
  let fixture: ExpectedDocument;
  let work: string;
  let textFile: string;
  /** Page errors and console errors (CSP violations among them) over the whole session. */
  const problems: string[] = [];
  const fits = new Map<string, LayerResult[]>();

  /** The fit of a component as the core computes it, straight from the analysis API (not through the app). */
  const coreFit = (s: Settings) => {
    const key = JSON.stringify(s);
    if (!fits.has(key)) fits.set(key, fitLayers(taps, s));
    return fits.get(key)!;
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    const modelDir = tinyModel();
    fixture = expected().documents[DOC]!;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-app-test-'));
    textFile = path.join(work, `${DOC}.txt`);
    fs.writeFileSync(textFile, fixture.text);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    model = await loadModel(modelDir);
    taps = await computeTaps(model, fixture.text);
    harness = await startHarness({ modelSpec: modelDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(harness.url);
    await page.waitForSelector('[data-action="open-empty"]');
    await page.waitForSelector('[data-model-state="ready"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-empty-light.png') });
    harness.hooks.nextOpenFile(textFile);
    await page.click('[data-action="open"]');
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    expect(problems, 'no page errors, no CSP violations').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await model?.dispose();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists the tokens with their ids, as the fixture tokenizes the text', async () => {
    const ids = await page.locator('table.token-table tr[data-token] td.id').allTextContents();
    expect(ids.map(Number)).toEqual(fixture.ids);
  });

  it('strip plot: (T−1)·n_layers points, each at the log norm the core computed', async () => {
    const T = fixture.ids.length;
    const points = await page.$$eval('circle.strip-point', (els) =>
      els.map((e) => ({ layer: Number(e.getAttribute('data-layer')), token: Number(e.getAttribute('data-token')), value: Number(e.getAttribute('data-value')) })),
    );
    expect(points).toHaveLength((T - 1) * model.config.n_layer);
    const layers = coreFit(DEFAULT_SETTINGS);
    // data-value carries the renderer's 6 significant digits
    for (const p of points) {
      const v = layers[p.layer]!.log_norms[p.token]!;
      expect(Math.abs(p.value - v)).toBeLessThanOrEqual(5e-6 * Math.max(1, Math.abs(v)));
    }
    // the core's log norms are the fixture's (PyTorch, Hugging Face GPT-2) within 1e-4
    for (const l of layers) {
      const want = fixture.taps[l.tap]!.log_norms;
      l.log_norms.forEach((v, t) => expect(Math.abs(v - want[t]!)).toBeLessThan(1e-4));
    }
  });

  it("histograms: each layer's bin count is numpy's Freedman–Diaconis count", async () => {
    const hist = await page.$$eval('g.hist-layer', (els) =>
      els.map((e) => ({ layer: Number(e.getAttribute('data-layer')), bins: Number(e.getAttribute('data-bins')), markers: e.querySelectorAll('rect.hist-marker').length })),
    );
    const layers = coreFit(DEFAULT_SETTINGS);
    expect(hist.map((h) => h.layer)).toEqual(layers.map((l) => l.layer));
    for (const h of hist) {
      const want = numpyFdBins(layers[h.layer]!.log_norms.slice(1));
      expect(h.bins).toBe(want);
      expect(h.markers).toBe(want);
    }
  });

  const betaMarkers = () =>
    page.$$eval('.beta-marker', (els) =>
      els.map((e) => ({ layer: Number(e.getAttribute('data-layer')), lag: Number(e.getAttribute('data-lag')), significant: e.getAttribute('data-significant') })),
    );

  it('β plot marks exactly the layers whose p-values are below .05 (attention: all of them)', async () => {
    const markers = await betaMarkers();
    const layers = coreFit(DEFAULT_SETTINGS);
    expect(markers).toHaveLength(layers.length * DEFAULT_SETTINGS.lags);
    for (const m of markers) expect(m.significant).toBe(String(layers[m.layer]!.fit.pvalues[m.lag]! < 0.05));
  });

  it('refits from the stored taps when the component changes: MLP marks significant and x markers as its p-values say', async () => {
    const before = harness.hooks.events().filter((e) => e.event === 'document:progress').length;
    await page.click('button[data-component="mlp"]');
    await page.waitForFunction(() => document.querySelector('[data-summary-layer]')?.textContent?.includes('.mlp‖'));
    await page.waitForSelector('main[data-ready="true"]');
    const markers = await betaMarkers();
    const layers = coreFit(MLP);
    const significant = markers.filter((m) => m.significant === 'true');
    expect(significant.length).toBeGreaterThan(0);
    expect(significant.length).toBeLessThan(markers.length);
    for (const m of markers) expect(m.significant).toBe(String(layers[m.layer]!.fit.pvalues[m.lag]! < 0.05));
    // no model run: a refit sends no document progress
    expect(harness.hooks.events().filter((e) => e.event === 'document:progress').length).toBe(before);
  });

  it("summary table: every coefficient and statistic equals the core's fit, and the fixture's statsmodels values", async () => {
    const layers = coreFit(MLP);
    for (const l of layers) {
      await page.click(`.layer-tab[data-layer-tab="${l.layer}"]`);
      await page.waitForSelector(`[data-summary-layer="${l.layer}"]`);
      const rows = await page.$$eval('table.coef-table tbody tr', (trs) =>
        trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key, { value: Number(td.dataset.value), text: td.textContent!.trim() }]))),
      );
      const fit = l.fit;
      expect(rows).toHaveLength(fit.params.length);
      rows.forEach((r, i) => {
        const want = { coef: fit.params[i]!, 'std err': fit.bse[i]!, stat: fit.tvalues[i]!, p: fit.pvalues[i]!, ci_lo: fit.conf_int[i]![0], ci_hi: fit.conf_int[i]![1] };
        for (const [key, v] of Object.entries(want)) {
          expect(r[key]!.value, `${l.tap} ${key}[${i}]`).toBe(v);
          // the printed digits are the value rounded (4 decimals for coef, 3 for the rest)
          expect(Math.abs(Number(r[key]!.text) - v)).toBeLessThanOrEqual((key === 'coef' ? 0.5e-4 : 0.5e-3) + 1e-12);
        }
        // against statsmodels in the fixture: params 1e-3 relative, p-values 1e-4 absolute
        const sm = fixture.taps[l.tap]!.ar2;
        expect(Math.abs(r.coef!.value - sm.params[i]!)).toBeLessThanOrEqual(1e-3 * Math.abs(sm.params[i]!));
        expect(Math.abs(r.p!.value - sm.pvalues[i]!)).toBeLessThanOrEqual(1e-4);
      });
      const stats = await page.$$eval('[data-stat]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-stat'), e.getAttribute('data-value')])));
      const named: Record<string, number> = {
        'R-squared': fit.rsquared,
        'Adj. R-squared': fit.rsquared_adj,
        'F-statistic': fit.fvalue,
        'Prob (F-statistic)': fit.f_pvalue,
        'Log-Likelihood': fit.llf,
        AIC: fit.aic,
        BIC: fit.bic,
        'No. Observations': fit.nobs,
        'Df Residuals': fit.df_resid,
        'Df Model': fit.df_model,
        Omnibus: fit.omnibus,
        'Prob(Omnibus)': fit.omnibus_pvalue,
        Skew: fit.skew,
        Kurtosis: fit.kurtosis,
        'Durbin-Watson': fit.durbin_watson,
        'Jarque-Bera (JB)': fit.jarque_bera,
        'Prob(JB)': fit.jarque_bera_pvalue,
        'Cond. No.': fit.condition_number,
      };
      for (const [name, v] of Object.entries(named)) expect(Number(stats[name]), `${l.tap} ${name}`).toBe(v);
      expect(Math.abs(fit.rsquared - fixture.taps[l.tap]!.ar2.rsquared)).toBeLessThan(1e-4);
    }
  });

  it('copies the summary as statsmodels text and as TSV with the same numbers', async () => {
    const fit = coreFit(MLP)[2]!.fit;
    await page.click('.layer-tab[data-layer-tab="2"]');
    await page.click('button[data-copy="text"]');
    await expect.poll(() => harness.hooks.clipboard()?.includes('OLS Regression Results') ?? false).toBe(true);
    const text = harness.hooks.clipboard()!;
    const lines = text.split('\n');
    expect(lines.every((line) => line.length <= 78 || line.startsWith('[1]'))).toBe(true);
    expect(text).toMatch(new RegExp(`R-squared:\\s+${fit.rsquared.toFixed(3)}\\n`));
    const x1 = lines.find((line) => line.startsWith('x1'))!.trim().split(/\s+/);
    expect(Number(x1[1])).toBeCloseTo(fit.params[1]!, 4);
    expect(Number(x1[4])).toBeCloseTo(fit.pvalues[1]!, 3);

    await page.click('button[data-copy="tsv"]');
    await expect.poll(() => harness.hooks.clipboard()?.startsWith('layer\t') ?? false).toBe(true);
    const rows = harness.hooks.clipboard()!.split('\n').map((r) => r.split('\t'));
    const coef = rows.filter((r) => r[1] === 'h.2.mlp' && ['const', 'x1', 'x2'].includes(r[2]!));
    expect(coef.map((r) => Number(r[3]))).toEqual(fit.params);
    expect(coef.map((r) => Number(r[6]))).toEqual(fit.pvalues);
    expect(Number(rows.find((r) => r[2] === 'Durbin-Watson')![3])).toBe(fit.durbin_watson);
  });

  it('a start past the end of the document is refused (TOO_FEW_TOKENS) and the settings go back to the fit shown', async () => {
    await page.fill('input[data-setting="start"]', '200');
    await page.press('input[data-setting="start"]', 'Tab');
    await page.waitForSelector('[data-notice="error"][data-code="TOO_FEW_TOKENS"]');
    await expect.poll(() => page.inputValue('input[data-setting="start"]')).toBe('3');
    await page.waitForSelector('main[data-ready="true"]');
    expect(await page.locator('.beta-marker').count()).toBe(coreFit(MLP).length * MLP.lags);
  });

  it('hovering a heat-map cell lights up that token in the strip plot of every layer and in the token list', async () => {
    await page.hover('rect.heat-cell[data-layer="1"][data-token="12"]');
    await expect.poll(() => page.locator('circle.strip-point.linked').count()).toBe(model.config.n_layer);
    expect(await page.$$eval('circle.strip-point.linked', (els) => els.map((e) => e.getAttribute('data-token')))).toEqual(['12', '12', '12']);
    expect(await page.locator('tr[data-token="12"].hl').count()).toBe(1);
    await page.mouse.move(5, 500);
  });

  const saveVia = async (figure: DocumentFigure, choice: string, file: string) => {
    harness.hooks.nextSavePath(file);
    await page.click(`[data-save-menu="${figure}"]`);
    await page.click(`[data-save="${choice}"]`);
    await expect.poll(() => fs.existsSync(file), { timeout: 20_000 }).toBe(true);
  };

  it('saves every figure as SVG (parses, carries its title) and PNG (decodes at 1×, 2× and 300 dpi)', async () => {
    const n = model.config.n_layer;
    for (const figure of DOCUMENT_FIGURES) {
      const svgFile = path.join(work, `${figure}.svg`);
      await saveVia(figure, 'svg', svgFile);
      const dom = new JSDOM(fs.readFileSync(svgFile, 'utf8'), { contentType: 'image/svg+xml' });
      const root = dom.window.document.documentElement;
      expect(root.querySelector('parsererror')).toBeNull();
      expect(root.getAttribute('data-figure')).toBe(figure);
      expect(root.querySelector('title')?.textContent).toBe(figureTitle(figure, 'mlp'));
      // the clean light style by default
      expect(root.querySelector('rect.figure-background')?.getAttribute('fill')).toBe('#ffffff');

      const size = exportSize(figure, n);
      for (const [choice, factor] of [['png-1x', 1], ['png-2x', 2], ['png-300dpi', 300 / 96]] as const) {
        if (choice !== 'png-2x' && figure !== 'attention-norm-strip') continue;
        const pngFile = path.join(work, `${figure}.${choice}.png`);
        await saveVia(figure, choice, pngFile);
        const meta = await sharp(pngFile).metadata();
        expect(meta.format).toBe('png');
        expect(meta.width).toBe(Math.round(size.width * factor));
        expect(meta.height).toBe(Math.round(size.height * factor));
      }
    }
  });

  it('saves a vector PDF through core (no Electron printing): one page of the figure, its title as text', async () => {
    const file = path.join(fs.mkdtempSync(path.join(work, 'pdf-')), 'beta.pdf');
    harness.hooks.nextSavePath(file);
    await page.click('[data-save-menu="beta-across-layers"]');
    expect(await page.locator('[data-save="pdf"]').isDisabled()).toBe(false);
    await page.click('[data-save="pdf"]');
    await expect.poll(() => fs.existsSync(file), { timeout: 20_000 }).toBe(true);
    const [only, ...more] = await readPdf(fs.readFileSync(file));
    expect(more).toEqual([]);
    // the document shows the MLP fit since the refit above: the page carries that figure's title
    expect(only!.text.join(' ')).toContain(figureTitle('beta-across-layers', 'mlp'));
  });

  it('saves all figures into a chosen folder', async () => {
    const folder = fs.mkdtempSync(path.join(work, 'all-'));
    harness.hooks.nextFolder(folder);
    await page.click('[data-action="save-all"]');
    await page.click('[data-action="save-confirm"]');
    // poll the names, not the count: an atomic write's temporary file is in the folder for a moment
    await expect.poll(() => fs.readdirSync(folder).sort(), { timeout: 20_000 }).toEqual(DOCUMENT_FIGURES.map((f) => `${DOC}.${f}.svg`).sort());
  });

  it('saved the result before showing it: a normscope.analysis/1 file with the fit on screen', async () => {
    const dir = path.join(harness.dataDir, 'results');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    const docs = files.map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    const attn = docs.find((d) => d.settings.component === 'attn');
    expect(attn.schema).toBe('normscope.analysis/1');
    expect(attn.documents[0].layers[0].fit.params).toEqual(coreFit(DEFAULT_SETTINGS)[0]!.fit.params);
    const phases = harness.hooks.events().filter((e) => e.event === 'document:progress').map((e) => (e.payload as { phase: string }).phase);
    expect(phases.indexOf('saving')).toBeLessThan(phases.indexOf('done'));
  });

  it("follows the OS theme and toggles; the dark theme is the notebook's #383838 / #DDE2F4; screenshots of both themes", async () => {
    await page.$$eval('[data-notice] button[aria-label="Dismiss"]', (buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
    await page.click('button[data-component="attn"]');
    await page.waitForSelector('main[data-ready="true"]');
    await page.hover('rect.heat-cell[data-layer="2"][data-token="40"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-document-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForSelector('main[data-ready="true"]');
    for (const f of DOCUMENT_FIGURES) expect(await page.getAttribute(`svg[data-figure="${f}"] rect.figure-background`, 'fill'), f).toBe('#383838');
    // the chrome around the figures: the cards on the figures' face, the text in the notebook's ink
    const look = await page.evaluate(() => {
      const card = getComputedStyle(document.querySelector('.figure-card')!);
      return { card: card.backgroundColor, text: getComputedStyle(document.body).color };
    });
    expect(look).toEqual({ card: 'rgb(56, 56, 56)', text: 'rgb(221, 226, 244)' });
    await page.hover('rect.heat-cell[data-layer="2"][data-token="40"]');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-document-dark.png') });
    const shot = await sharp(path.join(ARTIFACTS, 'app-document-dark.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([shot.info.width, shot.info.height]).toEqual([1440, 1000]);
    let face = 0;
    for (let i = 0; i < shot.data.length; i += 3) if (shot.data[i] === 0x38 && shot.data[i + 1] === 0x38 && shot.data[i + 2] === 0x38) face++;
    // most of the window is the notebook's face: panels and figure grounds
    expect(face / (shot.data.length / 3)).toBeGreaterThan(0.3);
    await page.click('[data-action="toggle-theme"]');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.click('[data-action="toggle-theme"]');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  });

  it('the save dialog offers light, dark and notebook, light by default; the choice carries into the files', async () => {
    await page.click('[data-action="save-all"]');
    const styles = await page.$$eval('.modal [data-export-theme]', (els) => els.map((e) => [e.getAttribute('data-export-theme'), e.getAttribute('aria-pressed')]));
    expect(styles).toEqual([['light', 'true'], ['dark', 'false'], ['notebook', 'false']]);
    await page.click('.modal [data-export-theme="notebook"]');
    await expect.poll(() => page.getAttribute('.modal [data-export-theme="notebook"]', 'aria-pressed')).toBe('true');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-save-dialog-dark.png') });
    const folder = fs.mkdtempSync(path.join(work, 'notebook-'));
    harness.hooks.nextFolder(folder);
    await page.click('[data-action="save-confirm"]');
    await expect.poll(() => fs.readdirSync(folder).sort(), { timeout: 20_000 }).toEqual(DOCUMENT_FIGURES.map((f) => `${DOC}.${f}.svg`).sort());
    const svgOf = (f: string) => new JSDOM(fs.readFileSync(path.join(folder, `${DOC}.${f}.svg`), 'utf8'), { contentType: 'image/svg+xml' }).window.document.documentElement;
    const strip = svgOf('attention-norm-strip');
    expect(strip.querySelector('rect.figure-background')?.getAttribute('fill')).toBe('#383838');
    // the notebook's canvas and hexagons, one per token 1…T−1 and layer
    expect([strip.getAttribute('width'), strip.getAttribute('height')]).toEqual(['576', '384']);
    expect(strip.querySelectorAll('path.strip-point')).toHaveLength((fixture.ids.length - 1) * model.config.n_layer);
    expect([...svgOf('beta-across-layers').querySelectorAll('.legend-entry text')].map((t) => t.textContent)).toEqual(['t-1', 't-2']);
    // and back: the dark style from the preferences, then light again
    await page.click('button[title="Appearance and export"]');
    await page.click('.prefs [data-export-theme="dark"]');
    await page.keyboard.press('Escape');
    const darkSvg = path.join(work, 'dark-strip.svg');
    await saveVia('attention-norm-strip', 'svg', darkSvg);
    const dark = new JSDOM(fs.readFileSync(darkSvg, 'utf8'), { contentType: 'image/svg+xml' }).window.document.documentElement;
    expect(dark.querySelector('rect.figure-background')?.getAttribute('fill')).toBe('#383838');
    expect(dark.querySelectorAll('circle.strip-point')).toHaveLength((fixture.ids.length - 1) * model.config.n_layer);
    await page.click('button[title="Appearance and export"]');
    await page.click('.prefs [data-export-theme="light"]');
    await page.keyboard.press('Escape');
  });

  it('opens a dropped file, and reports an empty one with its code without losing the open document', async () => {
    const open = await page.getAttribute('main', 'data-doc');
    const drop = (name: string, text: string) =>
      page.evaluate(
        ([name, text]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([text!], name!, { type: 'text/plain' }));
          document.querySelector('.shell')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        },
        [name, text],
      );
    await drop('empty.txt', '');
    await page.waitForSelector('[data-notice="error"][data-code="EMPTY"]');
    expect(await page.getAttribute('main', 'data-doc')).toBe(open);
    await drop('lighthouse.txt', expected().documents['lighthouse']!.text);
    await expect.poll(() => page.getAttribute('main', 'data-doc'), { timeout: 30_000 }).not.toBe(open);
    await page.waitForSelector('main[data-ready="true"]');
    const ids = await page.locator('table.token-table tr[data-token] td.id').allTextContents();
    expect(ids.map(Number)).toEqual(expected().documents['lighthouse']!.ids);
  });

  it('logged no page error and no console error (CSP violations among them) in the whole session', () => {
    // expected failures (EMPTY, TOO_FEW_TOKENS) are notices, not console errors
    expect(problems).toEqual([]);
  });
});
