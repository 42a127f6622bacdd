// The app's provider setting in Chromium through the harness, on this machine's WebGPU adapter (lavapipe on CI):
// the model manager shows the provider in use and why; choosing WebGPU reloads the model on it after the probe;
// the corpus worker gets the same choice.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness/server.js';
import { testWorld, type TestWorld } from '../models/env.js';
import { CHROMIUM, CHROMIUM_ARGS, ROOT, tinyModel } from '../app/fixtures.js';
import { hasWebGpu } from './webgpu-adapter.js';

describe.runIf(hasWebGpu && fs.existsSync(CHROMIUM))('provider setting in the model manager (tiny-a)', () => {
  let world: TestWorld;
  let harness: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'renderer', 'dist', 'index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
    const model = tinyModel();
    world = testWorld('app-provider', { NORMSCOPE_RESOURCES: path.join(ROOT, 'resources') });
    const dataDir = path.join(world.root, 'app-data');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'first-run.json'), JSON.stringify({ dismissed: true }));
    harness = await startHarness({ modelSpec: model, dataDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(harness.url);
    await harness.service.handlers['model:load']!(undefined);
    await page.click('[data-view-tab="models"]');
    await page.waitForSelector('[data-view="models"]');
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    world?.restore();
  });

  it('on auto, shows the CPU in use, why, and the software adapter passed over with its speed', async () => {
    await page.waitForSelector('[data-provider="cpu"] [data-provider-reason]');
    expect(await page.locator('[data-provider-choice]').inputValue()).toBe('auto');
    expect(await page.locator('[data-provider-reason]').textContent()).toBe('cpu, chosen by auto: no GPU provider passed (see the notes)');
    const notes = await page.locator('[data-provider-notes] li').allTextContents();
    expect(notes.find((n) => n.startsWith('webgpu:'))).toMatch(/^webgpu: not chosen by auto: it runs at 0\.\d+× the CPU's speed/);
    const status = await harness.service.handlers['model:status']!(undefined);
    expect(status.model).toMatchObject({ execution_provider: 'cpu', providerChoice: 'auto', providerNotes: notes });
  });

  // lavapipe on two shared cores: the probe and the reload can take tens of seconds
  it('choosing WebGPU keeps the setting, reloads the model on webgpu after the parity probe and says why', { timeout: 180_000 }, async () => {
    await page.selectOption('[data-provider-choice]', 'webgpu');
    await page.waitForSelector('[data-provider="webgpu"] [data-provider-reason]', { timeout: 150_000 });
    expect(await page.locator('[data-provider-reason]').textContent()).toMatch(/^webgpu, as asked: it reproduces the CPU's log norms within \S+ at 3 probe lengths/);
    expect(JSON.parse(fs.readFileSync(path.join(harness.dataDir, 'prefs.json'), 'utf8'))).toMatchObject({ provider: 'webgpu' });
    expect((await harness.service.handlers['model:status']!(undefined)).model).toMatchObject({ execution_provider: 'webgpu', providerChoice: 'webgpu' });
    await page.selectOption('[data-provider-choice]', 'cpu');
    await page.waitForSelector('[data-provider="cpu"] [data-provider-reason]');
    expect(await page.locator('[data-provider-reason]').textContent()).toBe('cpu, as asked');
  });

  it.runIf(process.platform === 'linux')('a provider that cannot be used is an error in the model manager, naming the provider and why', async () => {
    await page.selectOption('[data-provider-choice]', 'dml');
    await page.waitForSelector('[data-provider-error]');
    expect(await page.locator('[data-provider-error]').textContent())
      .toBe(`provider dml was asked for and cannot be used: dml: not in this onnxruntime-node build for linux-${process.arch}`);
    expect(await harness.service.handlers['model:status']!(undefined)).toMatchObject({ state: 'error', error: { code: 'PROVIDER_FAILED' } });
  });
});
