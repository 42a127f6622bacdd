#!/usr/bin/env node
// `npm run bench:scale [-- --docs N] [--model DIR] [--keep]`: a corpus at scale through the real CLI. It writes N
// distinct short documents (default 100,000; 60–140 words drawn from ../shared/corpus/licenses by a seeded generator,
// each opening with its own number), runs `normscope analyze DIR --out-dir OUT` on the 3-layer tiny-a fixture model
// (or --model), and samples the process's resident set every 100 ms. The batch ends at the CLI's "· done" progress
// line; the summary (corpus-summary.json, corpus-layers.csv, corpus-documents.csv) is the rest, to the exit.
// Targets: summary ≤ 10% of batch time; summary peak RSS ≤ 1.2× the batch's and < 1 GB; taps ≤ 4.5 bytes per value.
// The last line is one JSON object. A benchmark, not a test: figures depend on the machine and its load.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchArgs, count, flag, text } from './bench-args.mjs';
import { ensureBuilt } from './bench-model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');

/** tiny-a from its recipe (the same cache the tests use), checked against the recipe's sha256. */
function tinyA() {
  const recipe = JSON.parse(fs.readFileSync(path.join(shared, 'fixtures/tiny-a/recipe.json'), 'utf8'));
  const dir = path.join(root, 'node_modules/.cache/normscope-test/tiny-a');
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const r = spawnSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', tmp, ...recipe.args.split(' ')], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('make-gpt2-folder failed');
    fs.renameSync(tmp, dir);
  }
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'model.safetensors'))).digest('hex');
  if (sha !== recipe.made.sha256) throw new Error(`tiny-a weights ${sha} differ from the recipe's ${recipe.made.sha256}`);
  return dir;
}

/** mulberry32: a small seeded generator, so every run writes the same corpus. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** N distinct documents of 60–140 words in `dir`, words drawn from the licenses. */
function makeCorpus(dir, n) {
  const corpus = path.join(shared, 'corpus/licenses');
  const words = fs
    .readdirSync(corpus)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(corpus, f), 'utf8').split(/\s+/).filter(Boolean));
  const rand = random(20_251_202);
  const perFolder = 1000; // folders of 1,000 files keep directory listings quick
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, String(Math.floor(i / perFolder)).padStart(4, '0'));
    if (i % perFolder === 0) fs.mkdirSync(sub, { recursive: true });
    const count = 60 + Math.floor(rand() * 81);
    const out = [`Document ${i + 1}.`];
    for (let w = 0; w < count; w++) out.push(words[Math.floor(rand() * words.length)]);
    fs.writeFileSync(path.join(sub, `${String(i).padStart(6, '0')}.txt`), out.join(' ') + '\n');
  }
}

/** Resident set of `pid` in bytes (Linux /proc), or null when it is gone. */
function rss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

const mb = (bytes) => Math.round(bytes / 2 ** 20);

async function main() {
  const opts = benchArgs(process.argv.slice(2), { docs: count(100_000), model: text(), keep: flag() }, 'bench:scale [--docs N] [--model DIR] [--keep]');
  ensureBuilt();
  const model = opts.model ? path.resolve(opts.model) : tinyA();
  const nLayer = JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8')).n_layer;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-scale-'));
  const docs = path.join(work, 'docs');
  const out = path.join(work, 'out');
  try {
    console.log(`writing ${opts.docs.toLocaleString('en-US')} documents…`);
    makeCorpus(docs, opts.docs);
    console.log(`normscope analyze ${docs} --out-dir ${out} (model ${model})`);
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/normscope.js'), 'analyze', docs, '--out-dir', out, '--model', model], { stdio: ['ignore', 'ignore', 'pipe'] });
    let batchEnd = null;
    let peakBatch = 0;
    let peakSummary = 0;
    const sample = () => {
      const r = rss(child.pid);
      if (r === null) return;
      if (batchEnd === null) peakBatch = Math.max(peakBatch, r);
      else peakSummary = Math.max(peakSummary, r);
    };
    const timer = setInterval(sample, 100);
    let lastLine = '';
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      lastLine = line;
      if (batchEnd === null && / · done$/.test(line)) {
        sample();
        batchEnd = performance.now();
      }
      if (!/documents ·/.test(line) || / · done$/.test(line)) console.log(line);
    });
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    clearInterval(timer);
    const end = performance.now();
    if (batchEnd === null) throw new Error(`the batch did not finish (exit ${code}): ${lastLine}`);
    let tokens = 0;
    let documents = 0;
    for (const line of fs.readFileSync(path.join(out, 'results.jsonl'), 'utf8').split('\n')) {
      if (!line) continue;
      const rec = JSON.parse(line).record;
      documents++;
      tokens += rec.n_tokens ?? 0;
    }
    const size = (f) => (fs.existsSync(path.join(out, f)) ? fs.statSync(path.join(out, f)).size : 0);
    const values = tokens * nLayer * 3;
    const storeBytes = size('taps.bin') + size('results.jsonl') + size('manifest.json');
    const batchSeconds = (batchEnd - t0) / 1000;
    const summarySeconds = (end - batchEnd) / 1000;
    const result = {
      documents,
      tokens,
      n_layer: nLayer,
      exit_code: code,
      batch_seconds: Number(batchSeconds.toFixed(1)),
      summary_seconds: Number(summarySeconds.toFixed(2)),
      summary_share_of_batch: Number((summarySeconds / batchSeconds).toFixed(4)),
      batch_peak_rss_mb: mb(peakBatch),
      summary_peak_rss_mb: mb(peakSummary),
      store_bytes_per_value: Number((size('taps.bin') / values).toFixed(3)),
      store_bytes_per_value_with_results: Number((storeBytes / values).toFixed(3)),
      taps_mb: mb(size('taps.bin')),
      results_mb: mb(size('results.jsonl')),
      targets_met: {
        summary_within_10pct_of_batch: summarySeconds <= 0.1 * batchSeconds,
        summary_rss_within_1_2x_batch: peakSummary <= 1.2 * peakBatch,
        rss_under_1gb: Math.max(peakBatch, peakSummary) < 2 ** 30,
        bytes_per_value_at_most_4_5: size('taps.bin') / values <= 4.5,
      },
      cpu: os.cpus()[0]?.model ?? 'unknown',
    };
    if (opts.keep) console.log(`kept ${work}`);
    console.log(JSON.stringify(result));
  } finally {
    if (!opts.keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
