// Models of other families in the app, end to end in Chromium through the harness: the first-run screen offers the
// suggested laptop-size models, the model manager lists an imported Qwen 3 and Pythia (GPT-NeoX) folder with their
// family, parameters, dtype and memory, and a document analysed with each shows its figures with the log norms of the
// family's float64 reference (test/model/families/expected.json).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_FAMILIES } from '../../electron/core/models/registry.js';
import { DOCUMENT_FIGURES } from '../../shared/ipc.js';
import { startHarness, type Harness } from '../harness/server.js';
import { familyExpected, familyFolder, familyText } from '../models/family-repo.js';
import { testWorld, type TestWorld } from '../models/env.js';
import { analyzeInPage, openHarnessPage, ROOT } from './fixtures.js';

const MODELS = [
  { name: 'qwen3-tiny', case: 'qwen3-qknorm-f16', family: 'qwen3', familyName: 'Qwen 3', dtype: 'F16', head: null },
  { name: 'pythia-tiny', case: 'neox-parallel-partial', family: 'gpt_neox', familyName: 'GPT-NeoX', dtype: 'F32', head: /^embed_out\./ },
] as const;

/** Parameters of a folder's checkpoint from its safetensors header: every tensor but an untied LM head. */
function headerParams(dir: string, head: RegExp | null): number {
  const buf = fs.readFileSync(path.join(dir, 'model.safetensors'));
  const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape?: number[] }>;
  return Object.entries(header).filter(([n, t]) => t.shape && !head?.test(n)).reduce((a, [, t]) => a + t.shape!.reduce((x, y) => x * y, 1), 0);
}

describe('models of other families in Chromium', () => {
  let world: TestWorld;
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  const dirs: Record<string, string> = {};
  let problems: string[];
  const row = (name: string) => `[data-model="${name}"]`;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    world = testWorld('app-families', { NORMSCOPE_RESOURCES: path.join(ROOT, 'resources') });
    process.env.HF_HUB_CACHE = world.hubCache;
    for (const m of MODELS) dirs[m.name] = familyFolder(m.case, path.join(world.home, 'models', m.name));
    harness = await startHarness({ dataDir: path.join(world.root, 'app-data') });
    ({ browser, page, problems } = await openHarnessPage(harness.url, { width: 1440, height: 1000 }));
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    world?.restore();
  });

  it('the first-run screen offers the suggested laptop-size models of the other families, the gated ones saying what they need', async () => {
    await page.waitForSelector('[data-first-run-option="laptop"]');
    const shown = await page.$$eval('[data-suggested]', (els) => els.map((e) => e.getAttribute('data-suggested')));
    expect(shown).toEqual(OTHER_FAMILIES.map((e) => e.name));
    expect(shown).toEqual(expect.arrayContaining(['EleutherAI/pythia-160m', 'Qwen/Qwen3-0.6B', 'meta-llama/Llama-3.2-1B', 'google/gemma-2-2b']));
    expect(await page.locator('[data-suggested="meta-llama/Llama-3.2-1B"]').textContent()).toContain('accept the licence on the hub, then set HF_TOKEN');
    expect(await page.locator('[data-suggested="EleutherAI/pythia-160m"]').textContent()).toContain('GPT-NeoX');
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'app-first-run-families.png'), fullPage: true });
  });

  it('lists an imported Qwen 3 and Pythia folder with family, parameters, dtype and memory', async () => {
    harness.hooks.nextFolder(dirs['qwen3-tiny']!);
    await page.click('[data-action="first-run-import"]');
    await page.waitForSelector('[data-action="open-empty"]');
    await page.click('[data-view-tab="models"]');
    harness.hooks.nextFolder(dirs['pythia-tiny']!);
    await page.click('[data-action="import-model"]');
    for (const m of MODELS) {
      const r = row(m.name);
      await page.waitForSelector(`${r}[data-kind="imported"][data-status="installed"][data-family="${m.family}"]`);
      expect(await page.locator(`${r} [data-family-name]`).textContent()).toBe(m.familyName);
      expect(Number(await page.getAttribute(`${r} [data-params]`, 'data-params'))).toBe(headerParams(dirs[m.name]!, m.head));
      expect(await page.locator(`${r} [data-dtype]`).getAttribute('data-dtype')).toBe(m.dtype);
      // float32 weights and more: the need is never less than the weights themselves
      expect(Number(await page.getAttribute(`${r} [data-memory]`, 'data-memory'))).toBeGreaterThan(4 * headerParams(dirs[m.name]!, null));
      expect(await page.locator(r).textContent()).toContain('2 layers');
    }
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'app-models-families.png') });
  });

  it.each(MODELS)('a document analysed with $name shows its figures, with the log norms of its float64 reference', async (m) => {
    await page.click('[data-view-tab="models"]');
    if ((await page.getAttribute(row(m.name), 'data-default')) !== 'true') await page.click(`${row(m.name)} [data-action="set-default"]`);
    await page.waitForFunction((name) => document.querySelector('[data-in-use-name]')?.textContent === name, m.name);
    // the panel of the model in use names its family and the window a forward pass takes (the tiny models' context)
    await page.waitForFunction((f) => document.querySelector('[data-in-use]')?.textContent?.includes(`${f} · 2 layers`), m.familyName);
    expect(await page.locator('[data-in-use]').textContent()).toContain('windows of 64 tokens');
    const text = path.join(world.root, `${m.name}.txt`);
    fs.writeFileSync(text, familyText(m.case));
    const view = await analyzeInPage(page, harness, text);
    const e = familyExpected(m.case);
    expect(view.model).toMatchObject({ name: m.name, n_layer: 2 });
    expect(view.tokens.map((t) => t.id)).toEqual(e.ids);
    for (const f of DOCUMENT_FIGURES) expect(await page.locator(`svg[data-figure="${f}"]`).count(), f).toBe(1);
    // the strip of attention norms: tokens 1..T-1 of each layer, each at its reference value
    const points = await page.$$eval('circle.strip-point', (els) =>
      els.map((el) => ({ layer: Number(el.getAttribute('data-layer')), token: Number(el.getAttribute('data-token')), value: Number(el.getAttribute('data-value')) })),
    );
    expect(points).toHaveLength(2 * (e.ids.length - 1));
    for (const p of points) expect(Math.abs(p.value - e.log_norms[`h.${p.layer}.attn`]![p.token]!), `layer ${p.layer} token ${p.token}`).toBeLessThan(1e-4);
    expect(problems, 'no page errors').toEqual([]);
  });
});
