// The corpus view end to end in Debian's Chromium through the harness, on the tiny-a fixture model: a copy of the first
// 40 licenses of ../shared/corpus/licenses (two of them the same text) plus one file that is not UTF-8. A batch starts,
// its progress bar advances, Cancel stops it part-way with the store consistent; a reloaded window reopens the results
// folder and Resume completes the rest. The table, the corpus figures and the corpus table are held to the results
// folder's own files and to the core's summary of them; figures save, a row opens its document from the store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSize } from '../../electron/core/app/index.js';
import { CorpusStore, summarizeStore, type CorpusSummary } from '../../electron/core/corpus/index.js';
import { figureTitle } from '../../shared/figures/titles.js';
import { CORPUS_FIGURES, type CorpusStatus, type NormscopeBridge } from '../../shared/ipc.js';
import { DEFAULT_SETTINGS } from '../../shared/result.js';
import { startHarness, type Harness } from '../harness/server.js';
import { results, sha256File, tapsRecords, type PlainResult } from '../corpus/helpers.js';
import { readPdf } from '../figures/pdf.js';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, SHARED, tinyModel } from './fixtures.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const LICENSES = path.join(SHARED, 'corpus', 'licenses');
// 40: the batch is several packs long, so a Cancel or a Pause that lands a pack late still leaves work to hold
const GOOD = fs.readdirSync(LICENSES).sort().slice(0, 40);
const BAD = 'Broken-latin1.txt';
const N_DOCS = GOOD.length + 1;
const N_LAYERS = 3;
const { lags: LAGS } = DEFAULT_SETTINGS;

interface TableRow {
  index: number;
  name: string;
  status: string;
  code: string;
  tokens: string;
  betas: string[];
  r2: string[];
}

describe('corpus view in Chromium (tiny-a, 40 licenses and a file that is not UTF-8)', () => {
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  let work: string;
  let docs: string;
  let out: string;
  /** Rows stored when the batch was cancelled. */
  let cancelledAt = 0;
  const problems: string[] = [];

  const progress = () => page.locator('[data-corpus-progress]');
  const tableRows = () =>
    page.$$eval('[data-document-table] tbody tr[data-row-index]', (trs) =>
      trs.map((tr) => {
        const cell = (key: string) => tr.querySelector(`td[data-key="${key}"]`);
        const layers = [...tr.querySelectorAll('td[data-key^="beta-"]')].map((td) => td.getAttribute('data-key')!.slice(5));
        return {
          index: Number(tr.getAttribute('data-row-index')),
          name: cell('name')!.textContent!.trim(),
          status: tr.getAttribute('data-status')!,
          code: tr.getAttribute('data-code')!,
          tokens: cell('tokens')!.getAttribute('data-value')!,
          betas: layers.map((l) => cell(`beta-${l}`)!.getAttribute('data-value')!),
          r2: layers.map((l) => cell(`r2-${l}`)!.getAttribute('data-value')!),
        };
      }),
    );
  /** The results log read plainly (test/corpus/helpers), keyed by content sha256. */
  const stored = () => {
    const recs = results(out);
    return { recs, bySha: new Map(recs.map((r) => [r.sha256, r])) };
  };
  const shaOf = (name: string) => sha256File(path.join(docs, name));

  async function chooseResults(): Promise<void> {
    harness.hooks.nextFolder(out);
    await page.click('[data-action="corpus-results"]');
    await page.waitForSelector('[data-results-name]');
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    const modelDir = tinyModel();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-app-corpus-'));
    docs = path.join(work, 'licenses');
    out = path.join(work, 'results');
    fs.mkdirSync(docs);
    fs.mkdirSync(out);
    for (const f of GOOD) fs.copyFileSync(path.join(LICENSES, f), path.join(docs, f));
    fs.writeFileSync(path.join(docs, BAD), Buffer.from('Copyright \xa9 1999 the caf\xe9 authors. All rights reserved.', 'latin1'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startHarness({ modelSpec: modelDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(harness.url);
    await page.waitForSelector('[data-model-state="ready"]');
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('starts a batch: the progress bar advances, and Cancel stops it part-way with every stored result whole', async () => {
    await page.click('[data-view-tab="corpus"]');
    await page.waitForSelector('[data-view="corpus"]');
    expect(await page.locator('[data-action="corpus-start"]').isDisabled()).toBe(true);
    harness.hooks.nextFolder(docs);
    await page.click('[data-action="corpus-folder"]');
    expect(await page.locator('[data-folder-name]').textContent()).toBe('licenses');
    await chooseResults();
    // a new, empty results folder shows nothing yet
    expect(await progress().count()).toBe(0);

    // the page records every value the bar shows, and presses Cancel as soon as it shows 2 documents
    await page.evaluate(() => {
      const w = window as unknown as { seen: [number, string, string | null][]; pressed: boolean };
      w.seen = [];
      w.pressed = false;
      new MutationObserver(() => {
        const el = document.querySelector<HTMLElement>('[data-corpus-progress]');
        if (!el) return;
        const done = Number(el.dataset.done);
        w.seen.push([done, el.dataset.state!, el.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')]);
        if (!w.pressed && el.dataset.state === 'running' && done >= 2) {
          w.pressed = true;
          document.querySelector<HTMLButtonElement>('[data-action="corpus-cancel"]')!.click();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-state'] });
    });
    await page.click('[data-action="corpus-start"]');
    await page.waitForSelector('[data-corpus-progress][data-state="cancelled"]', { timeout: 60_000 });

    const seen = await page.evaluate(() => (window as unknown as { seen: [number, string, string | null][] }).seen);
    const done = seen.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBeGreaterThanOrEqual(3);
    expect(seen.every(([d, , aria]) => aria === String(d))).toBe(true);
    expect(seen.map(([, s]) => s)).toContain('running');
    const el = progress();
    cancelledAt = Number(await el.getAttribute('data-done'));
    expect(cancelledAt).toBeGreaterThanOrEqual(2);
    expect(cancelledAt).toBeLessThan(N_DOCS);
    expect(Number(await el.getAttribute('data-total'))).toBe(N_DOCS);
    expect(await page.locator('[data-notice="info"]').textContent()).toContain(`Cancelled after ${cancelledAt} of ${N_DOCS}`);

    // the table shows what the results folder holds: each finished document once, under its content's hash, whole
    const rows = await tableRows();
    expect(rows).toHaveLength(N_DOCS);
    const finished = rows.filter((r) => r.status === 'ok' || r.status === 'error');
    expect(finished).toHaveLength(cancelledAt);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(N_DOCS - cancelledAt);
    const { recs, bySha } = stored();
    expect(recs).toHaveLength(cancelledAt);
    expect(new Set(recs.map((r) => r.sha256)).size).toBe(recs.length);
    expect(new Set(finished.map((r) => shaOf(r.name)))).toEqual(new Set(recs.map((r) => r.sha256)));
    for (const r of finished) expect(bySha.get(shaOf(r.name))!.status).toBe(r.status);
    const taps = new Set(tapsRecords(out).map((t) => t.sha256));
    for (const r of recs.filter((x) => x.status === 'ok')) expect(taps.has(r.sha256!)).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.runs.at(-1)).toMatchObject({ state: 'cancelled', counts: { documents: N_DOCS, done: cancelledAt } });
    expect(fs.existsSync(path.join(out, '.lock'))).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-corpus-cancelled.png') });
  });

  it('a reloaded window reopens the results folder with its stored rows; Resume goes on, Pause holds it, Resume completes the rest', async () => {
    await page.reload();
    await page.waitForSelector('[data-model-state="ready"]');
    await page.click('[data-view-tab="corpus"]');
    await chooseResults();
    await page.waitForSelector('[data-corpus-progress][data-state="cancelled"]');
    // the recorded folder of texts is shown, as a suggestion only: the rows are what the results folder holds, and the
    // texts are not read until the user chooses their folder again (Resume asks)
    expect(await page.locator('[data-folder-name]').textContent()).toBe('licenses');
    const before = await tableRows();
    expect(Number(await progress().getAttribute('data-done'))).toBe(before.length);
    expect(before.every((r) => r.status === 'ok' || r.status === 'error')).toBe(true);
    expect(new Set(before.map((r) => shaOf(r.name)))).toEqual(new Set(stored().recs.map((r) => r.sha256)));
    harness.hooks.nextFolder(docs);

    const seen = harness.hooks.events().length;
    // Pause as soon as the resumed batch has stored two more: the document in flight finishes, then nothing moves
    await page.evaluate((at) => {
      let pressed = false;
      new MutationObserver(() => {
        const el = document.querySelector<HTMLElement>('[data-corpus-progress]');
        if (!pressed && el?.dataset.state === 'running' && Number(el.dataset.done) >= at) {
          pressed = true;
          document.querySelector<HTMLButtonElement>('[data-action="corpus-pause"]')!.click();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-done', 'data-state'] });
    }, cancelledAt + 2);
    await page.click('[data-action="corpus-resume"]');
    // a batch that ends before Pause lands fails here, saying so, rather than waiting out the test
    await page.waitForSelector('[data-corpus-progress]:is([data-state="paused"], [data-state="done"])', { timeout: 45_000 });
    expect(await progress().getAttribute('data-state'), `Pause pressed at ${cancelledAt + 2} of ${N_DOCS} did not hold the batch`).toBe('paused');
    const pausedAt = Number(await progress().getAttribute('data-done'));
    expect(pausedAt).toBeGreaterThanOrEqual(cancelledAt + 2);
    expect(pausedAt).toBeLessThan(N_DOCS);
    // paused means settled: what the table shows as finished is exactly what the results folder holds
    await new Promise((r) => setTimeout(r, 300));
    expect(Number(await progress().getAttribute('data-done'))).toBe(pausedAt);
    const finished = (await tableRows()).filter((r) => r.status === 'ok' || r.status === 'error');
    expect(finished).toHaveLength(pausedAt);
    expect(new Set(stored().recs.map((r) => r.sha256))).toEqual(new Set(finished.map((r) => shaOf(r.name))));
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-corpus-paused.png') });

    await page.click('[data-action="corpus-resume"]');
    await page.waitForSelector('[data-corpus-progress][data-state="done"]', { timeout: 60_000 });
    expect(Number(await progress().getAttribute('data-done'))).toBe(N_DOCS);
    expect(Number(await progress().getAttribute('data-failed'))).toBe(1);
    const last = harness.hooks.events().slice(seen).filter((e) => e.event === 'corpus:progress').at(-1)!.payload as CorpusStatus;
    // the stored ones and the second copy of one text were skipped, not run again
    expect(last).toMatchObject({ state: 'done', documentsDone: N_DOCS, documentsSkipped: cancelledAt + 1, documentsFailed: 1 });

    const { recs } = stored();
    const distinct = new Set([...GOOD, BAD].map(shaOf));
    expect(distinct.size).toBe(N_DOCS - 1);
    expect(recs.map((r) => r.sha256).sort()).toEqual([...distinct].sort());
  }, 120_000);

  it('the table: one row per document with its stored fit (the bad one with its code); headers sort it', async () => {
    const rows = await tableRows();
    expect(rows.map((r) => r.name).sort()).toEqual([...GOOD, BAD].sort());
    const { bySha } = stored();
    for (const r of rows) {
      const rec: PlainResult = bySha.get(shaOf(r.name))!;
      if (r.name === BAD) {
        expect(r).toMatchObject({ status: 'error', code: 'BAD_ENCODING', tokens: '' });
        expect(rec.error!.code).toBe('BAD_ENCODING');
        continue;
      }
      expect(r.status).toBe('ok');
      expect(Number(r.tokens)).toBe(rec.n_tokens);
      expect(r.betas.map(Number)).toEqual(rec.layers!.map((l) => l.fit.params[1]));
      expect(r.r2.map(Number)).toEqual(rec.layers!.map((l) => l.fit.rsquared));
    }
    const bad = page.locator(`tr[data-code="BAD_ENCODING"]`);
    expect(await bad.locator('td[data-key="status"]').textContent()).toContain('BAD_ENCODING');

    await page.click('th[data-sort="tokens"]');
    const tokens = (await tableRows()).map((r) => r.tokens);
    const numbers = tokens.filter((t) => t !== '').map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(tokens.at(-1)).toBe('');
    await page.click('th[data-sort="tokens"]');
    const up = (await tableRows()).map((r) => r.tokens).filter((t) => t !== '').map(Number);
    expect(up).toEqual([...numbers].sort((a, b) => a - b));

    await page.click('th[data-sort="beta:2"]');
    const b2 = (await tableRows()).map((r) => r.betas[2]!).filter((b) => b !== '').map(Number);
    expect(b2).toEqual([...b2].sort((a, b) => b - a));

    // the lag switch shows lag 2's β
    await page.click('[data-table-lag="2"]');
    for (const r of await tableRows()) {
      if (r.status === 'ok') expect(r.betas.map(Number)).toEqual(bySha.get(shaOf(r.name))!.layers!.map((l) => l.fit.params[2]));
    }
    await page.click('[data-table-lag="1"]');
    await page.click('th[data-sort="index"]');
  });

  describe('against the core’s summary of the results folder', () => {
    let summary: CorpusSummary;
    beforeAll(async () => {
      const store = await CorpusStore.open(out, { readOnly: true });
      const model = store.getManifest().models[0]!;
      ({ summary } = await summarizeStore(store, model, DEFAULT_SETTINGS));
      expect(summary.documents).toEqual({ total: N_DOCS - 1, ok: N_DOCS - 2, failed: 1 });
    });

    it('β distributions: one box per layer and lag over every fitted document; share bars at the core’s shares', async () => {
      for (const f of CORPUS_FIGURES) await page.waitForSelector(`[data-corpus-figure="${f}"][data-rendered="true"]`);
      const boxes = await page.$$eval('[data-corpus-figure="beta-distributions"] g.beta-dist', (gs) =>
        gs.map((g) => ({ layer: Number(g.getAttribute('data-layer')), lag: Number(g.getAttribute('data-lag')), n: Number(g.getAttribute('data-n')), points: g.querySelectorAll('circle.beta-dist-point').length })),
      );
      expect(boxes).toHaveLength(N_LAYERS * LAGS);
      for (const b of boxes) {
        const coef = summary.layers[b.layer]!.coefficients[b.lag]!;
        expect(b.n).toBe(coef.betas.filter(Number.isFinite).length);
        expect(b.n).toBe(N_DOCS - 2);
        expect(b.points).toBe(b.n);
      }
      const bars = await page.$$eval('[data-corpus-figure="share-significant"] rect.share-bar', (rs) =>
        rs.map((r) => ({ layer: Number(r.getAttribute('data-layer')), lag: Number(r.getAttribute('data-lag')), share: Number(r.getAttribute('data-share')), n: Number(r.getAttribute('data-n')) })),
      );
      expect(bars).toHaveLength(N_LAYERS * LAGS);
      for (const b of bars) {
        expect(b.share).toBe(summary.layers[b.layer]!.coefficients[b.lag]!.share_significant);
        expect(b.n).toBe(summary.layers[b.layer]!.n_documents);
      }
    });

    it('the corpus table shows the weighted means with their intervals, the shares and the pooled fits as the core computed them', async () => {
      for (const l of summary.layers) {
        for (const c of l.coefficients.filter((x) => x.index > 0)) {
          const row = page.locator(`tr[data-summary-row="${l.layer}:${c.index}"]`);
          const value = (key: string, attr = 'data-value') => row.locator(`td[data-key="${key}"]`).getAttribute(attr).then(Number);
          expect(await value('n')).toBe(c.n);
          expect(await value('share')).toBe(c.share_significant);
          expect(await value('median')).toBe(c.quantiles.median);
          expect(await value('ivw')).toBe(c.weighted!.mean);
          expect(await value('ivw-ci', 'data-low')).toBe(c.weighted!.conf_int[0]);
          expect(await value('ivw-ci', 'data-high')).toBe(c.weighted!.conf_int[1]);
          const pooled = l.pooled as { params: number[]; bse: number[]; pvalues: number[] };
          expect(await value('pooled')).toBe(pooled.params[c.index]);
          expect(await value('pooled-se')).toBe(pooled.bse[c.index]);
          expect(await value('pooled-p')).toBe(pooled.pvalues[c.index]);
          const fe = l.fixed_effects as { params: number[]; bse: number[] };
          expect(await value('fe')).toBe(fe.params[c.index - 1]);
          expect(await value('fe-se')).toBe(fe.bse[c.index - 1]);
          // the printed digits are the value rounded to 4 decimals
          expect(Math.abs(Number(await row.locator('td[data-key="ivw"]').textContent()) - c.weighted!.mean)).toBeLessThanOrEqual(0.5e-4 + 1e-12);
        }
      }
      // without document fixed effects the columns go; the intercept rows come on request
      await page.click('[data-toggle="fixed-effects"]');
      expect(await page.locator('td[data-key="fe"]').count()).toBe(0);
      await page.click('[data-toggle="fixed-effects"]');
      await page.click('[data-toggle="intercept"]');
      expect(await page.locator('tr[data-summary-row$=":0"]').count()).toBe(N_LAYERS);
      await page.click('[data-toggle="intercept"]');
    });

    it('saves each corpus figure as SVG (parses, carries its title) and PNG (decodes at its size); exports the summary files', async () => {
      for (const figure of CORPUS_FIGURES) {
        const svgFile = path.join(work, `${figure}.svg`);
        harness.hooks.nextSavePath(svgFile);
        await page.click(`[data-corpus-save-menu="${figure}"]`);
        await page.click('[data-save="svg"]');
        await expect.poll(() => fs.existsSync(svgFile), { timeout: 20_000 }).toBe(true);
        const root = new JSDOM(fs.readFileSync(svgFile, 'utf8'), { contentType: 'image/svg+xml' }).window.document.documentElement;
        expect(root.querySelector('parsererror')).toBeNull();
        expect(root.getAttribute('data-figure')).toBe(figure);
        expect(root.querySelector('title')?.textContent).toBe(figureTitle(figure, 'attn'));
        expect(root.querySelector('rect.figure-background')?.getAttribute('fill')).toBe('#ffffff');
        expect(root.querySelectorAll(figure === 'beta-distributions' ? 'g.beta-dist' : 'rect.share-bar')).toHaveLength(N_LAYERS * LAGS);

        const pngFile = path.join(work, `${figure}.png`);
        harness.hooks.nextSavePath(pngFile);
        await page.click(`[data-corpus-save-menu="${figure}"]`);
        await page.click('[data-save="png-2x"]');
        await expect.poll(() => fs.existsSync(pngFile), { timeout: 20_000 }).toBe(true);
        const meta = await sharp(pngFile).metadata();
        const size = exportSize(figure, N_LAYERS);
        expect(meta).toMatchObject({ format: 'png', width: size.width * 2, height: size.height * 2 });
      }
      // PDF through core's svgToPdf, in the harness as in the window: one page, the figure's title as text
      const pdfFile = path.join(work, 'share-significant.pdf');
      harness.hooks.nextSavePath(pdfFile);
      await page.click('[data-corpus-save-menu="share-significant"]');
      expect(await page.locator('[data-save="pdf"]').isDisabled()).toBe(false);
      await page.click('[data-save="pdf"]');
      await expect.poll(() => fs.existsSync(pdfFile), { timeout: 20_000 }).toBe(true);
      const [only, ...more] = await readPdf(fs.readFileSync(pdfFile));
      expect(more).toEqual([]);
      expect(only!.text.join(' ')).toContain(figureTitle('share-significant', 'attn'));

      await page.click('[data-action="corpus-export"]');
      // the notice comes once all three files are written
      await page.waitForSelector('[data-notice="success"]:has-text("corpus-documents.csv")', { timeout: 20_000 });
      const file = path.join(out, 'corpus-summary.json');
      const written = JSON.parse(fs.readFileSync(file, 'utf8')) as CorpusSummary;
      expect(written.documents).toEqual(summary.documents);
      expect(written.layers.map((l) => l.coefficients[1]!.weighted!.mean)).toEqual(summary.layers.map((l) => l.coefficients[1]!.weighted!.mean));
      const csv = fs.readFileSync(path.join(out, 'corpus-layers.csv'), 'utf8').trim().split('\r\n');
      expect(csv).toHaveLength(1 + N_LAYERS * (LAGS + 1));
    });
  });

  it('a row opens its document in the document view from the store (its tokens, no model run); the bad one says why', async () => {
    await page.locator('[data-notice] button[aria-label="Dismiss"]').evaluateAll((bs) => bs.forEach((b) => (b as HTMLButtonElement).click()));
    await page.locator('.corpus').evaluate((el) => el.scrollTo(0, 0));
    await page.setViewportSize({ width: 1440, height: 1760 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-corpus.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    for (const f of CORPUS_FIGURES) await page.waitForSelector(`[data-corpus-figure="${f}"][data-rendered="true"]`);
    expect(await page.getAttribute('[data-corpus-figure="beta-distributions"] rect.figure-background', 'fill')).toBe('#383838');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-corpus-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.setViewportSize({ width: 1440, height: 1000 });

    const name = 'BSD.01.txt';
    const progressBefore = harness.hooks.events().filter((e) => e.event === 'document:progress').length;
    await page.click(`tr[data-row-index]:has(td[data-key="name"]:text-is("${name}"))`);
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
    const ids = (await page.locator('table.token-table tr[data-token] td.id').allTextContents()).map(Number);
    const want = tapsRecords(out).find((t) => t.sha256 === shaOf(name))!;
    expect(ids).toEqual(want.tokens.map((t) => t.id));
    expect(await page.locator('circle.strip-point').count()).toBe((ids.length - 1) * N_LAYERS);
    expect(harness.hooks.events().filter((e) => e.event === 'document:progress').length).toBe(progressBefore);

    await page.click('[data-view-tab="corpus"]');
    await page.click('tr[data-code="BAD_ENCODING"]');
    await page.waitForSelector('[data-notice="error"][data-code="BAD_ENCODING"]');
    expect(await page.locator('[data-view="corpus"]').count()).toBe(1);
  });

  it('new settings start a batch that refits the stored taps: no token goes through the model, and the table shows the new fits', async () => {
    await page.click('button[data-component="mlp"]');
    await page.waitForSelector('[data-settings-changed]');
    const seen = harness.hooks.events().length;
    await page.click('[data-action="corpus-start"]');
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLElement>('[data-corpus-progress]');
      return el?.dataset.state === 'done' && document.querySelector('[data-settings-changed]') === null;
    }, undefined, { timeout: 60_000 });
    const last = harness.hooks.events().slice(seen).filter((e) => e.event === 'corpus:progress').at(-1)!.payload as CorpusStatus;
    // every good text refit from its taps; the second copy found stored; the bad one read again (its error is its content's)
    expect(last).toMatchObject({ state: 'done', documentsDone: N_DOCS, documentsRefit: N_DOCS - 2, documentsFailed: 1, tokensDone: 0, settings: { component: 'mlp' } });
    await page.waitForSelector('[data-corpus-figure="beta-distributions"][data-rendered="true"]');
    expect(await page.locator('[data-corpus-figure="beta-distributions"] svg title').first().textContent()).toBe(figureTitle('beta-distributions', 'mlp'));
    const mlp = new Map(results(out).filter((r) => r.settings.component === 'mlp').map((r) => [r.sha256, r]));
    for (const r of await tableRows()) {
      if (r.status === 'ok') expect(r.betas.map(Number)).toEqual(mlp.get(shaOf(r.name))!.layers!.map((l) => l.fit.params[1]));
    }
  });

  it('refuses what a page could forge: unknown handles and jobs, figures and formats outside the contract', async () => {
    const replies = await page.evaluate(async () => {
      const b = (window as unknown as { normscope: NormscopeBridge }).normscope.invoke;
      const settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' } as const;
      return [
        await b['corpus:start']({ folder: 'a'.repeat(32), resultsFolder: 'b'.repeat(32), settings }),
        await b['corpus:start']({ folder: '../etc', resultsFolder: 'b'.repeat(32), settings }),
        await b['corpus:status']({ jobId: 'c'.repeat(32) }),
        await b['corpus:saveFigure']({ jobId: 'c'.repeat(32), figure: 'attention-norm-strip' as never, format: 'svg', theme: 'light' }),
        await b['corpus:openDocument']({ jobId: 'c'.repeat(32), index: -1 }),
      ];
    });
    for (const r of replies) expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(problems, 'no page errors, no CSP violations').toEqual([]);
  });
});
