// The model manager and the first-run screen end to end, in Chromium through the harness: an empty Hugging Face cache
// in a temporary HOME, a fake hub on 127.0.0.1 serving the tiny-a fixture as openai-community/gpt2, and the real core
// behind the page. One page walks the whole story — first run, demo, cancelled and finished downloads, import, default,
// provider, errors, another cache, removal — and every document analyzed on the way is checked against the model it
// should have run on.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTaps } from '../../electron/core/analysis/index.js';
import { loadModel } from '../../electron/core/model/index.js';
import { GPT2_FAMILY, listModels } from '../../electron/core/models/index.js';
import type { ModelPullProgress } from '../../shared/ipc.js';
import { generatedModel } from '../analysis/fixtures.js';
import { startHarness, type Harness } from '../harness/server.js';
import { COMMIT, FakeHub, repoFiles, type HubFile } from '../models/fake-hub.js';
import { testWorld, type TestWorld } from '../models/env.js';
import { ROOT, analyzeInPage, expected, openHarnessPage, tinyModel } from './fixtures.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const REPO = 'openai-community/gpt2';
const DEMO = 'demo (random weights)';
const DOC = 'lighthouse';
const VIEWPORT = { width: 1440, height: 900 };

function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

describe('model manager and first-run screen in Chromium', () => {
  let hub: FakeHub;
  let world: TestWorld;
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  let files: Map<string, HubFile>;
  let tiny: string;
  let labDir: string;
  let textFile: string;
  let repoDir: string;
  let problems: string[];

  const pullEvents = () => harness.hooks.events().filter((e) => e.event === 'models:progress').map((e) => e.payload as ModelPullProgress);
  const inUse = () => page.locator('[data-in-use-name]').textContent();
  const row = (name: string) => `[data-model="${name}"]`;

  /** Opens the fixture text through the toolbar and returns the DocumentView the page received. */
  const analyze = () => analyzeInPage(page, harness, textFile);

  async function showModels(): Promise<void> {
    await page.click('[data-view-tab="models"]');
    await page.waitForSelector('[data-view="models"]');
  }

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    if (!fs.existsSync(path.join(ROOT, 'resources', 'demo-model', 'model.safetensors'))) throw new Error('the demo model is missing: run `npm run build` first');
    tiny = tinyModel();
    files = repoFiles(tiny);
    hub = await FakeHub.start();
    hub.repos.set(REPO, files);
    world = testWorld('app-models', { HF_ENDPOINT: hub.endpoint, NORMSCOPE_RESOURCES: path.join(ROOT, 'resources') });
    process.env.HF_HUB_CACHE = world.hubCache;
    repoDir = path.join(world.hubCache, 'models--openai-community--gpt2');
    // a second, smaller GPT-2 to import, in a folder named as a person would name it
    labDir = path.join(world.home, 'models', 'lab-gpt2');
    fs.mkdirSync(labDir, { recursive: true });
    const lab = generatedModel('app-models-lab', '--layers 2 --heads 2 --embd 16 --positions 256 --seed 5');
    for (const f of fs.readdirSync(lab)) fs.copyFileSync(path.join(lab, f), path.join(labDir, f));
    textFile = path.join(world.root, `${DOC}.txt`);
    fs.writeFileSync(textFile, expected().documents[DOC]!.text);
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    harness = await startHarness({ dataDir: path.join(world.root, 'app-data') });
    ({ browser, page, problems } = await openHarnessPage(harness.url, VIEWPORT));
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await hub?.close();
    world?.restore();
  });

  it('shows the first-run screen with an empty cache: GPT-2 small with its size, the cache it reads, and the demo in use', async () => {
    await page.waitForSelector('[data-first-run]');
    const gpt2 = GPT2_FAMILY.find((e) => e.name === 'gpt2')!;
    expect(await page.locator('[data-download-size]').textContent()).toBe(`${(gpt2.downloadBytes / 1e6).toFixed(0)} MB`);
    expect(await page.locator('[data-first-run]').textContent()).toContain('~/.cache/huggingface/hub');
    for (const option of ['download', 'import', 'cache', 'demo']) expect(await page.locator(`[data-first-run-option="${option}"]`).count()).toBe(1);
    // the demo is loaded meanwhile, and named as the demo in the status bar
    await page.waitForSelector('footer [data-model-state="ready"]');
    expect(await page.locator('footer [data-model-state="ready"] strong').textContent()).toBe(DEMO);
    // looking in the (empty) cache again finds nothing, and says where it looked
    await page.click('[data-action="first-run-scan"]');
    await page.waitForSelector('[data-first-run] [data-scan-result="0"]');
    expect(await page.locator('[data-first-run] [data-scan-result]').textContent()).toContain('~/.cache/huggingface/hub');
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-first-run.png') });
  });

  it('is dismissed by "Continue with the demo", remembered across a reload, and a document then runs on the labelled demo', async () => {
    await page.click('[data-action="first-run-demo"]');
    await page.waitForSelector('[data-action="open-empty"]');
    expect(JSON.parse(fs.readFileSync(path.join(harness.dataDir, 'first-run.json'), 'utf8')).dismissed).toBe(true);
    await page.reload();
    await page.waitForSelector('[data-action="open-empty"]');
    expect(await page.locator('[data-first-run]').count()).toBe(0);
    const view = await analyze();
    expect(view.model).toMatchObject({ name: DEMO, demo: true });
    expect(await page.locator('footer [data-model-state="ready"] strong').textContent()).toBe(DEMO);
  });

  it('cancels a download half-way and leaves nothing half-done in the cache', async () => {
    await showModels();
    expect(await page.locator(`${row('gpt2')}`).getAttribute('data-status')).toBe('available');
    // 64 KiB every 40 ms: the weights take a few seconds, time enough to watch and cancel
    hub.trickle = { chunk: 64 * 1024, delayMs: 40 };
    const weights = files.get('model.safetensors')!.data.length;
    await page.click(`${row('gpt2')} [data-action="pull"]`);
    await page.waitForFunction(
      (w) => {
        const el = document.querySelector('[data-pull-progress="gpt2"][data-phase="downloading"]');
        const done = Number(el?.getAttribute('data-bytes') ?? 0);
        const total = Number(el?.getAttribute('data-total') ?? 0);
        return total > 0 && done > total - w + w * 0.2;
      },
      weights,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-models-downloading.png') });
    expect(await page.locator('[data-pull-badge]').count()).toBe(1);
    await page.click(`${row('gpt2')} [data-action="cancel-pull"]`);
    await page.waitForSelector(`${row('gpt2')}[data-status="available"]:not(:has([data-pull-progress]))`);
    await page.waitForSelector('[data-notice="info"]');
    expect(pullEvents().at(-1)!.phase).toBe('cancelled');
    // no blob, no partial file, no snapshot, no ref: the cache is as it was (huggingface_hub's .no_exist marks aside)
    expect(listTree(path.join(repoDir, 'blobs'))).toEqual([]);
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
    expect(fs.existsSync(path.join(repoDir, 'refs'))).toBe(false);
    const listed = (await listModels()).find((m) => m.name === 'gpt2')!;
    expect(listed).toMatchObject({ status: 'available', partialBytes: 0 });
  });

  it('downloads GPT-2 with progress events advancing to the total, ends installed, and the next document runs on it', async () => {
    hub.trickle = { chunk: 128 * 1024, delayMs: 30 };
    const from = pullEvents().length;
    await page.click(`${row('gpt2')} [data-action="pull"]`);
    // while the bytes flow the row shows the bar, a percentage and the time left
    await page.waitForSelector('[data-pull-progress="gpt2"][data-phase="downloading"] .eta', { timeout: 20_000 });
    await page.waitForSelector(`${row('gpt2')}[data-status="installed"]`, { timeout: 30_000 });
    const events = pullEvents().slice(from).filter((e) => e.name === 'gpt2');
    const total = [...files.values()].reduce((a, f) => a + f.data.length, 0);
    const downloading = events.filter((e) => e.phase === 'downloading');
    expect(new Set(downloading.map((e) => e.bytesDone)).size).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < downloading.length; i++) expect(downloading[i]!.bytesDone).toBeGreaterThanOrEqual(downloading[i - 1]!.bytesDone);
    expect(downloading.every((e) => e.bytesTotal === total && e.bytesDone <= total)).toBe(true);
    expect(downloading.some((e) => e.bytesPerSecond > 0 && e.etaSeconds !== null && e.etaSeconds > 0)).toBe(true);
    expect(downloading.some((e) => e.file === 'model.safetensors')).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', bytesDone: total, bytesTotal: total });
    expect(fs.readFileSync(path.join(repoDir, 'snapshots', COMMIT, 'model.safetensors')).equals(files.get('model.safetensors')!.data)).toBe(true);

    // the app was on the demo: the download is the default now, loaded for the next analysis
    await page.waitForFunction(() => document.querySelector('[data-in-use-name]')?.textContent === 'gpt2');
    expect(await page.locator(row('gpt2')).getAttribute('data-default')).toBe('true');
    const view = await analyze();
    expect(view.model).toMatchObject({ name: 'gpt2', demo: false, n_layer: 3 });
    // it really ran the downloaded weights: tiny-a's log norms (PyTorch, Hugging Face GPT-2) within 1e-4
    const want = expected().documents[DOC]!.taps;
    for (const l of view.layers) l.log_norms.forEach((v, t) => expect(Math.abs(v - want[l.tap]!.log_norms[t]!)).toBeLessThan(1e-4));
  });

  it('imports a folder chosen in the dialog, and makes it the default: the next document runs on it', async () => {
    await showModels();
    // a folder the engine refuses is reported with the core's code, and nothing is registered
    const broken = path.join(world.root, 'no-tokenizer');
    fs.mkdirSync(broken);
    fs.copyFileSync(path.join(labDir, 'config.json'), path.join(broken, 'config.json'));
    fs.copyFileSync(path.join(labDir, 'model.safetensors'), path.join(broken, 'model.safetensors'));
    harness.hooks.nextFolder(broken);
    await page.click('[data-action="import-model"]');
    await page.waitForSelector('[data-notice="error"][data-code="MISSING_TOKENIZER"]');
    expect((await listModels()).filter((m) => m.kind === 'imported')).toEqual([]);
    await page.click('[data-notice="error"] button');

    harness.hooks.nextFolder(labDir);
    await page.click('[data-action="import-model"]');
    await page.waitForSelector(`${row('lab-gpt2')}[data-kind="imported"][data-status="installed"]`);
    expect(await page.locator(`${row('lab-gpt2')}`).textContent()).toContain('2 layers · 2 heads · 16 wide');
    // an import does not take over from a real GPT-2
    expect(await inUse()).toBe('gpt2');
    // the whole list, without the notices of the steps before
    const dismiss = page.locator('[data-notice] button').first();
    while ((await dismiss.count()) > 0) await dismiss.click({ timeout: 2000 }).catch(() => undefined);
    await page.setViewportSize({ width: VIEWPORT.width, height: 1140 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'app-models.png') });
    await page.setViewportSize(VIEWPORT);

    await page.click(`${row('lab-gpt2')} [data-action="set-default"]`);
    await page.waitForSelector(`${row('lab-gpt2')}[data-default="true"]`);
    expect(await page.locator('[data-model][data-default="true"]').count()).toBe(1);
    await page.waitForFunction(() => document.querySelector('[data-in-use-name]')?.textContent === 'lab-gpt2');
    const view = await analyze();
    expect(view.model).toMatchObject({ name: 'lab-gpt2', source: 'imported', n_layer: 2, n_embd: 16 });
    // the app's log norms are the lab model's, computed here straight from the core
    const model = await loadModel(labDir);
    try {
      const taps = await computeTaps(model, expected().documents[DOC]!.text);
      const direct = taps.logNorms.attn;
      expect(view.layers.map((l) => l.tap)).toEqual(['h.0.attn', 'h.1.attn']);
      for (const l of view.layers) l.log_norms.forEach((v, t) => expect(Math.abs(v - direct[l.layer]![t]!)).toBeLessThan(1e-6));
    } finally {
      await model.dispose();
    }
  });

  it('shows the execution provider in use and the engine’s notes on the providers it passed over', async () => {
    await showModels();
    const status = await harness.service.handlers['model:status']!(undefined);
    const m = status.model!;
    expect(await page.locator('[data-provider]').getAttribute('data-provider')).toBe(m.execution_provider);
    expect((await page.locator('[data-provider-name]').textContent())!.toLowerCase()).toContain(m.execution_provider);
    expect(await page.locator('[data-provider-notes] li').allTextContents()).toEqual(m.providerNotes);
  });

  it("reports a failed download in the model's row with the core's code and message", async () => {
    // the fake hub has no gpt2-medium: the hub's 404
    await page.click(`${row('gpt2-medium')} [data-action="pull"]`);
    await page.waitForSelector(`${row('gpt2-medium')} [data-pull-error="HTTP_NOT_FOUND"]`);
    expect(await page.locator(`${row('gpt2-medium')} [data-pull-error]`).textContent()).toContain('openai-community/gpt2-medium');
    expect(pullEvents().at(-1)).toMatchObject({ name: 'gpt2-medium', phase: 'error', error: { code: 'HTTP_NOT_FOUND' } });
  });

  it('a gated suggested model: without HF_TOKEN its row says to accept the licence on the hub, then set HF_TOKEN', async () => {
    const gated = 'meta-llama/Llama-3.2-1B';
    hub.repos.set(gated, files);
    hub.gated.set(gated, 'hf_accepted');
    expect(await page.locator(`${row(gated)} [data-badge="gated"]`).count()).toBe(1);
    await page.click(`${row(gated)} [data-action="pull"]`);
    await page.waitForSelector(`${row(gated)} [data-pull-error="HTTP_NOT_FOUND"]`);
    expect(await page.locator(`${row(gated)} [data-pull-error]`).textContent()).toMatch(/accept the licence on the hub, then set HF_TOKEN.*HTTP 401/);
    // refused at the first request: the config's HEAD, and nothing after it
    expect(hub.log.filter((r) => r.url.includes('Llama-3.2-1B')).map((r) => `${r.method} ${r.url}`)).toEqual([`HEAD /${gated}/resolve/main/config.json`]);
  });

  it('finds the GPT-2s of another Hugging Face cache folder and imports them', async () => {
    // another HF_HOME, as Python left it: hub/models--ORG--NAME with a snapshot and refs/main
    const otherHome = path.join(world.root, 'other-hf-home');
    const snap = path.join(otherHome, 'hub', 'models--someone--tiny-gpt2', 'snapshots', COMMIT);
    fs.mkdirSync(snap, { recursive: true });
    for (const f of fs.readdirSync(tiny)) fs.symlinkSync(path.join(tiny, f), path.join(snap, f));
    fs.mkdirSync(path.join(otherHome, 'hub', 'models--someone--tiny-gpt2', 'refs'));
    fs.writeFileSync(path.join(otherHome, 'hub', 'models--someone--tiny-gpt2', 'refs', 'main'), COMMIT);
    harness.hooks.nextFolder(otherHome);
    await page.click('[data-action="scan-other-cache"]');
    await page.waitForSelector('[data-scan-result="1"]');
    expect(await page.locator('[data-scan-result]').textContent()).toContain('someone/tiny-gpt2');
    await page.waitForSelector(`${row('tiny-gpt2')}[data-kind="imported"][data-status="installed"]`);
    // a real GPT-2 was in use: nothing changes
    expect(await inUse()).toBe('lab-gpt2');
  });

  it('removes after a confirmation: an import is forgotten (its folder stays), a download leaves the cache', async () => {
    await page.click(`${row('lab-gpt2')} [data-action="remove"]`);
    await page.waitForSelector('[data-confirm-remove="lab-gpt2"]');
    await page.click('[data-action="cancel-remove"]');
    expect(await page.locator('[data-confirm-remove]').count()).toBe(0);
    expect(await page.locator(row('lab-gpt2')).count()).toBe(1);

    await page.click(`${row('lab-gpt2')} [data-action="remove"]`);
    await page.click('[data-action="confirm-remove"]');
    await page.waitForSelector(row('lab-gpt2'), { state: 'detached' });
    expect(fs.existsSync(path.join(labDir, 'model.safetensors'))).toBe(true);
    // the default went with it: back to the GPT-2 in the cache
    await page.waitForFunction(() => document.querySelector('[data-in-use-name]')?.textContent === 'gpt2');

    await page.click(`${row('gpt2')} [data-action="remove"]`);
    expect(await page.locator('[data-confirm-remove="gpt2"]').textContent()).toContain('Hugging Face cache');
    await page.click('[data-action="confirm-remove"]');
    await page.waitForSelector(`${row('gpt2')}[data-status="available"]`);
    expect(fs.existsSync(repoDir)).toBe(false);
    // the best model left is the import from the other cache, not the demo
    await page.waitForFunction(() => document.querySelector('[data-in-use-name]')?.textContent === 'tiny-gpt2');
    expect(await page.locator(row('tiny-gpt2')).getAttribute('data-default')).toBe('true');
    expect(problems, 'no page errors, no CSP violations').toEqual([]);
  });
});
