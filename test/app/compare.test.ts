// The Compare view end to end in Debian's Chromium through the harness: the open document through two tiny GPT-2s of
// different depth and one model whose config is unsupported; per-model rows, the three linked figures, saving each
// figure and the JSON, and a cancel part-way through a second comparison.
import fs from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTaps, fitLayers } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import { importModel } from '../../electron/core/models/index.js';
import type { ComparisonDocument } from '../../shared/comparison.js';
import { figureTitle } from '../../shared/figures/titles.js';
import { COMPARE_VIEW_FIGURES, type CompareView, type Reply } from '../../shared/ipc.js';
import { DEFAULT_SETTINGS } from '../../shared/result.js';
import { generatedModel, sharedDir } from '../analysis/fixtures.js';
import { COMPARE_MODELS } from '../compare/fixtures.js';
import { startHarness, type Harness } from '../harness/server.js';
import { testWorld, type TestWorld } from '../models/env.js';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, expected, tinyModel } from './fixtures.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const BROKEN = 'cmp-unsupported';
/** Many short windows (64 positions, 12 layers): slow enough to be cancelled while it runs. */
const SLOW = 'cmp-slow';

describe('Compare view in Chromium', () => {
  let world: TestWorld;
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  let view: CompareView;
  const problems: string[] = [];

  async function openText(file: string): Promise<void> {
    harness.hooks.nextOpenFile(file);
    await page.click('[data-view-tab="document"]');
    await page.click('[data-action="open"]');
    await page.waitForSelector(`main[data-ready="true"]`, { timeout: 60_000 });
  }

  async function pick(names: string[]): Promise<void> {
    await page.click('[data-view-tab="compare"]');
    await page.waitForSelector('[data-view="compare"]');
    for (const name of names) await page.waitForSelector(`[data-compare-pick="${name}"]`);
    while ((await page.locator('[data-compare-pick]:checked').count()) > 0) await page.locator('[data-compare-pick]:checked').first().uncheck();
    for (const name of names) await page.check(`[data-compare-pick="${name}"]`);
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    const dirs = COMPARE_MODELS.map((m) => m.dir());
    const slow = generatedModel(SLOW, '--layers 12 --heads 4 --embd 256 --positions 64 --seed 9');
    world = testWorld('app-compare', { NORMSCOPE_RESOURCES: path.join(ROOT, 'resources') });
    for (const [i, m] of COMPARE_MODELS.entries()) await importModel(dirs[i]!, { name: m.label });
    await importModel(slow, { name: SLOW });
    // imported while valid, then its config names a family no adapter reads
    const broken = path.join(world.root, BROKEN);
    fs.cpSync(dirs[0]!, broken, { recursive: true });
    await importModel(broken, { name: BROKEN });
    const config = JSON.parse(fs.readFileSync(path.join(broken, 'config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ...config, model_type: 'bert' }));

    const text = path.join(world.root, 'hungarian-rock.txt');
    fs.writeFileSync(text, expected().documents['hungarian-rock']!.text);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startHarness({ modelSpec: tinyModel(), dataDir: path.join(world.root, 'app-data') });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, colorScheme: 'light' });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(harness.url);
    await openText(text);
    await pick([...COMPARE_MODELS.map((m) => m.label), BROKEN]);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/ipc/compare:start'), { timeout: 120_000 }), page.click('[data-action="compare-start"]')]);
    const reply = (await response.json()) as Reply<CompareView>;
    if (!reply.ok) throw new Error(`compare:start failed: ${reply.error.code} ${reply.error.message}`);
    view = reply.value;
    for (const f of COMPARE_VIEW_FIGURES) await page.waitForSelector(`[data-compare-figure="${f}"][data-rendered="true"]`);
  }, 180_000);

  afterAll(async () => {
    await page?.screenshot({ path: path.join(ARTIFACTS, 'app-compare.png'), fullPage: true }).catch(() => undefined);
    await browser?.close();
    await harness?.close();
    world?.restore();
  });

  it('shows each model\'s row: the fixture models done, the unsupported one with its typed error', async () => {
    const n = COMPARE_MODELS.length;
    expect(await page.locator('[data-compare-row]').count()).toBe(n + 1);
    for (let k = 0; k < n; k++) await page.waitForSelector(`[data-compare-row="${k}"][data-phase="done"]`);
    await page.waitForSelector(`[data-compare-row="${n}"][data-phase="error"]`);
    expect(await page.textContent(`[data-compare-row="${n}"] [data-compare-error]`)).toMatch(/^UNSUPPORTED_MODEL — .*model_type "bert"/);
    expect(view.comparison.models.map((m) => m.status)).toEqual([...COMPARE_MODELS.map(() => 'ok'), 'error']);
  });

  it('the results are the core\'s own fits of the text for each model, and were saved before they were shown', async () => {
    const text = expected().documents['hungarian-rock']!.text;
    for (const [k, m] of COMPARE_MODELS.entries()) {
      const model = await loadModel(m.dir());
      const layers = fitLayers(await computeTaps(model, text), DEFAULT_SETTINGS);
      await model.dispose();
      const r = view.comparison.documents[0]!.results.find((x) => x.model === k)!.result;
      expect(r.status).toBe('ok');
      if (r.status === 'ok') expect(r.layers.map((l) => l.fit.params)).toEqual(layers.map((l) => l.fit.params));
    }
    const dir = path.join(harness.dataDir, 'results', 'comparisons');
    const saved = fs.readdirSync(dir).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as ComparisonDocument);
    expect(saved).toContainEqual(view.comparison);
  });

  it('draws the three figures, each legend naming every model that ran', async () => {
    for (const figure of COMPARE_VIEW_FIGURES) {
      const names = await page.locator(`[data-compare-figure="${figure}"] .legend-entry[data-model]`).allTextContents();
      expect(names).toEqual(COMPARE_MODELS.map((m) => m.label));
    }
    expect(problems, 'no page errors, no CSP violations').toEqual([]);
  });

  it('hovering one model\'s line highlights that model in every figure', async () => {
    await page.hover('[data-compare-figure="compare-beta-depth"] circle.beta-marker[data-model="1"]');
    for (const figure of COMPARE_VIEW_FIGURES) {
      const svg = `[data-compare-figure="${figure}"] svg.figure`;
      await expect.poll(() => page.locator(`${svg}.linking-model`).count()).toBe(1);
      expect(await page.locator(`${svg} [data-model="1"].linked-model`).count()).toBeGreaterThan(0);
      expect(await page.locator(`${svg} [data-model="0"].linked-model`).count()).toBe(0);
    }
    await page.mouse.move(2, 2);
    await expect.poll(() => page.locator('svg.figure.linking-model').count()).toBe(0);
  });

  it('saves each figure as an SVG that parses, carries its title and names both models, and the comparison JSON', async () => {
    for (const figure of COMPARE_VIEW_FIGURES) {
      const file = path.join(world.root, `${figure}.svg`);
      harness.hooks.nextSavePath(file);
      await page.click(`[data-compare-save-menu="${figure}"]`);
      await page.click('[data-save="svg"]');
      await expect.poll(() => fs.existsSync(file), { timeout: 20_000 }).toBe(true);
      const root = new JSDOM(fs.readFileSync(file, 'utf8'), { contentType: 'image/svg+xml' }).window.document.documentElement;
      expect(root.querySelector('parsererror')).toBeNull();
      expect(root.getAttribute('data-figure')).toBe(figure);
      expect(root.querySelector('title')?.textContent).toBe(figureTitle(figure, 'attn'));
      expect([...root.querySelectorAll('.legend-entry[data-model]')].map((e) => e.textContent)).toEqual(COMPARE_MODELS.map((m) => m.label));
    }
    const json = path.join(world.root, 'comparison.json');
    harness.hooks.nextSavePath(json);
    await page.click('[data-action="compare-save-json"]');
    await expect.poll(() => fs.existsSync(json), { timeout: 20_000 }).toBe(true);
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual(view.comparison);
  });

  it('Cancel part-way: the finished model keeps its results, the one running and the ones after it are cancelled', async () => {
    const long = path.join(world.root, 'long.txt');
    // about 27,000 tokens: some 850 windows of the slow model (seconds on a fast machine), while a cancel takes under one
    const licenses = path.join(sharedDir, 'corpus/licenses');
    const gpl = fs.readdirSync(licenses).filter((f) => f.startsWith('GPL-3')).sort().map((f) => fs.readFileSync(path.join(licenses, f), 'utf8')).join('\n');
    fs.writeFileSync(long, gpl.repeat(Math.ceil(120_000 / gpl.length)).slice(0, 120_000));
    await openText(long);
    await pick([COMPARE_MODELS[0]!.label, SLOW, COMPARE_MODELS[1]!.label]);
    const response = page.waitForResponse((r) => r.url().endsWith('/ipc/compare:start'), { timeout: 120_000 });
    await page.click('[data-action="compare-start"]');
    await page.waitForSelector('[data-compare-row="0"][data-phase="done"]', { timeout: 60_000 });
    await page.waitForSelector('[data-compare-row="1"][data-phase="loading"], [data-compare-row="1"][data-phase="running"]');
    await page.click('[data-action="compare-cancel"]');
    const reply = (await (await response).json()) as Reply<CompareView>;
    if (!reply.ok) throw new Error(reply.error.message);
    const c = reply.value.comparison;
    const results = c.documents[0]!.results;
    expect(results.find((r) => r.model === 0)!.result.status).toBe('ok');
    const slow = results.find((r) => r.model === 1)!.result;
    expect(slow.status === 'error' && slow.error.code).toBe('CANCELLED');
    expect(c.models[2]).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
    await page.waitForSelector('[data-view="compare"][data-running="false"]');
    // progress comes as events, which may arrive just after the reply
    const phases = () => page.locator('[data-compare-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phase')));
    await expect.poll(phases, { timeout: 10_000 }).toEqual(['done', 'cancelled', 'cancelled']);
  }, 120_000);
});
