#!/usr/bin/env node
// `npm run bench:app [-- --runs N] [--tokens N] [--model DIR]`: the app's document view in Chromium through the
// test harness, with the GPT-2-small-shaped model loaded: the time from clicking Open on a 1,000-token file until
// all four figures are drawn (target < 2 s), split into IPC, model, fits, save and transfer + drawing. The first
// open after the model loads is reported apart from the following ones (onnxruntime warms up on it). Last line: JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { benchArgs, count, text } from './bench-args.mjs';
import { benchModel } from './bench-model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const TARGET_MS = 2000;

/** Text from the licenses corpus that the model's tokenizer splits into exactly `n` tokens. */
function textOfTokens(tokenizer, n) {
  const dir = path.join(shared, 'corpus/licenses');
  const corpus = fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n\n');
  let pieces = tokenizer.tokenize(corpus).texts.slice(0, n);
  for (let i = 0; i < 20; i++) {
    const text = pieces.join('');
    const count = tokenizer.tokenize(text).ids.length;
    if (count === n) return text;
    // merges across the cut can change the count by a token or two: trim or extend and try again
    pieces = count > n ? pieces.slice(0, pieces.length - (count - n)) : tokenizer.tokenize(corpus).texts.slice(0, pieces.length + (n - count));
  }
  throw new Error(`could not cut the corpus to exactly ${n} tokens`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;

async function main() {
  const o = benchArgs(process.argv.slice(2), { runs: count(5), tokens: count(1000), model: text() }, 'bench-app [--runs N] [--tokens N] [--model DIR]');
  if (!fs.existsSync(path.join(root, 'renderer/dist/index.html'))) throw new Error('renderer/dist is missing: run `npm run build` first');
  register();
  const { startHarness } = await import('../test/harness/server.ts');
  const { loadTokenizer } = await import('../electron/core/model/tokenizer.ts');
  const { chromium } = await import('playwright-core');
  const { CHROMIUM, CHROMIUM_ARGS } = await import('../test/app/fixtures.ts');

  const modelDir = o.model ?? benchModel();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-app-'));
  const file = path.join(work, `bench-${o.tokens}.txt`);
  fs.writeFileSync(file, textOfTokens(await loadTokenizer(modelDir), o.tokens));

  const harness = await startHarness({ modelSpec: modelDir });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(harness.url);
    const t0 = performance.now();
    await page.waitForSelector('[data-model-state="ready"]', { timeout: 120_000 });
    const loadMs = performance.now() - t0;
    const status = await page.evaluate(() => window.normscope.invoke['model:status'](null));
    const m = status.value.model;
    console.log(`model: ${m.name} (${m.n_layer} layers, ${m.n_head} heads, ${m.n_embd} wide) on ${m.execution_provider}, loaded in ${(loadMs / 1000).toFixed(2)} s`);
    console.log(`document: ${o.tokens} tokens; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0].toFixed(1)}`);
    console.log('\nrun     total        ipc      model       fits       save   transfer+draw');

    const runs = [];
    for (let run = 0; run <= o.runs; run++) {
      const before = harness.hooks.events().length;
      const previous = await page.getAttribute('main', 'data-doc').catch(() => null);
      harness.hooks.nextOpenFile(file);
      const start = performance.now();
      await page.click('[data-action="open"]');
      await page.waitForFunction((prev) => {
        const main = document.querySelector('main[data-ready="true"]');
        return main !== null && main.getAttribute('data-doc') !== prev;
      }, previous, { polling: 'raf', timeout: 60_000 });
      const end = performance.now();
      const at = (phase) => harness.hooks.events().slice(before).find((e) => e.event === 'document:progress' && e.payload.phase === phase)?.at;
      const r = {
        total: end - start,
        ipc: at('reading') - start,
        model: at('fitting') - at('running'),
        fits: at('saving') - at('fitting'),
        save: at('done') - at('saving'),
        draw: end - at('done'),
      };
      const tokens = await page.locator('table.token-table tr[data-token]').count();
      if (tokens !== o.tokens) throw new Error(`the document has ${tokens} tokens, not ${o.tokens}`);
      runs.push(r);
      console.log(`${run === 0 ? 'first' : String(run).padEnd(5)} ${ms(r.total)} ${ms(r.ipc)} ${ms(r.model)} ${ms(r.fits)} ${ms(r.save)} ${ms(r.draw)}`);
    }
    if (problems.length) throw new Error(`page errors: ${problems.join('; ')}`);
    const later = runs.slice(1);
    const summary = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, Math.round(median(later.map((r) => r[k])))]));
    const points = await page.locator('circle.strip-point').count();
    // what the app adds to the model's forward pass: IPC, fits, saving, transfer and drawing
    const overhead = Math.round(median(later.map((r) => r.total - r.model)));
    console.log(`\nopen → all figures drawn: first ${runs[0].total.toFixed(0)} ms, median of ${later.length} more ${summary.total} ms ` +
      `(target < ${TARGET_MS} ms: ${summary.total < TARGET_MS ? 'met' : 'MISSED'}); ${points} strip points drawn`);
    console.log(`the app's own share (everything but the model's forward pass): median ${overhead} ms; load average now ${os.loadavg()[0].toFixed(1)}`);
    console.log(JSON.stringify({
      bench: 'app-open-document', tokens: o.tokens, model: `${m.n_layer}x${m.n_head}x${m.n_embd}`, provider: m.execution_provider,
      model_load_ms: Math.round(loadMs), first_ms: Math.round(runs[0].total), median_ms: summary.total, breakdown_ms: summary, app_overhead_ms: overhead,
      load_average: +os.loadavg()[0].toFixed(2),
      target_ms: TARGET_MS, met: summary.total < TARGET_MS,
    }));
  } finally {
    await browser.close();
    await harness.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
