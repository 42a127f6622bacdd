#!/usr/bin/env node
// `npm run bench:corpus [-- --docs N] [--single S] [--model DIR]`: the corpus manager on a GPT-2-small-shaped model.
// A folder of N documents (default 1,000) is made by repeating ../shared/corpus/licenses, each copy given its own first
// line so every document is new to the store. It prints
//   - the single-document pipeline's tokens/s (analyzeFile over the first S documents in this thread, measured before
//     and after the corpus run, averaged, as the machine is shared) and the corpus run's tokens/s over the same S
//     documents (worker thread, durable store), and their ratio (target ≥ 0.9);
//   - resident memory at document 100 and at document N (target: within 10%), with a sample every 100 documents.
// The last line is one JSON object. It runs the compiled code in dist/, recompiling first when a source is newer.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };

function parseArgs(argv) {
  const out = { docs: 1000, single: 78, model: undefined };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[++i];
    if (!(key in out) || value === undefined) throw new Error(`usage: bench:corpus [--docs N] [--single S] [--model DIR] (got ${argv[i - 1]})`);
    out[key] = key === 'model' ? value : Number(value);
  }
  if (!(out.docs >= 100)) throw new Error('--docs must be at least 100 (memory is compared from document 100 on)');
  out.single = Math.min(out.single, out.docs);
  return out;
}

/** The GPT-2-small-shaped model `npm run bench` uses, generated once into node_modules/.cache. */
function benchModel() {
  const args = ['--layers', '12', '--heads', '12', '--embd', '768', '--positions', '1024', '--seed', '1'];
  const dir = path.join(root, 'node_modules/.cache/normscope-bench/gpt2-small-shape');
  const marker = path.join(dir, 'normscope-bench.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === JSON.stringify(args)) return dir;
  console.log('generating the GPT-2-small-shaped model (once)…');
  execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', dir, ...args], { stdio: 'ignore' });
  fs.writeFileSync(marker, JSON.stringify(args));
  return dir;
}

/** N documents from the licenses, copy k of each prefixed with its own line (distinct content, same token mix). */
function makeFolder(n) {
  const corpus = path.join(shared, 'corpus/licenses');
  const names = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-corpus-'));
  for (let i = 0; i < n; i++) {
    const name = names[i % names.length];
    const text = fs.readFileSync(path.join(corpus, name), 'utf8');
    fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}-${name}`), `Copy ${Math.floor(i / names.length) + 1} of ${name}\n${text}`);
  }
  return dir;
}

/** Compiles with tsc when dist/ is missing or older than a source of the modules the bench runs. */
function ensureBuilt() {
  const sources = ['electron/core/model', 'electron/core/analysis', 'electron/core/stats', 'electron/core/corpus', 'electron/core/models', 'shared']
    .flatMap((d) => fs.readdirSync(path.join(root, d), { recursive: true }).map((f) => path.join(d, String(f))))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  const stale = sources.some((f) => {
    const js = path.join(root, 'dist', f.replace(/\.ts$/, '.js'));
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(root, f)).mtimeMs;
  });
  if (!stale) return;
  console.log('dist/ is older than the sources: compiling with tsc…');
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'ignore' });
  } catch {
    console.log('tsc reported type errors (files are still emitted); running what it wrote');
  }
}

const mb = (bytes) => Math.round(bytes / 2 ** 20);

/** analyzeFile over `files` in this thread: the single-document pipeline. */
async function singleDocument(analyzeFile, model, files) {
  let tokens = 0;
  const t0 = performance.now();
  for (const file of files) {
    const { result } = await analyzeFile(model, file, settings);
    if (result.status !== 'ok') throw new Error(`${file}: ${result.error.code} ${result.error.message}`);
    tokens += result.tokens.length;
  }
  return { tokens, seconds: (performance.now() - t0) / 1000 };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureBuilt();
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadModel } = await imp('electron/core/model/index.js');
  const { analyzeFile, collectInputs } = await imp('electron/core/analysis/index.js');
  const { startCorpusRun } = await imp('electron/core/corpus/index.js');

  const modelDir = opts.model ? path.resolve(opts.model) : benchModel();
  const folder = makeFolder(opts.docs);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-store-'));
  const files = (await collectInputs([folder])).slice(0, opts.single);
  try {
    const model = await loadModel(modelDir);
    await analyzeFile(model, files[0], settings); // first run allocates onnxruntime's arena
    const before = await singleDocument(analyzeFile, model, files);
    console.log(`single-document pipeline, ${files.length} documents: ${(before.tokens / before.seconds).toFixed(0)} tokens/s`);

    const run = startCorpusRun({ paths: [folder], outDir, model: { dir: modelDir, name: 'gpt2-small-shape', source: 'folder', revision: null }, settings });
    let analyzingAt = null;
    let sameDocs = null;
    const rss = [];
    run.on('status', (s) => {
      if (analyzingAt === null && s.phase === 'analyzing') analyzingAt = performance.now();
    });
    run.on('document', (d) => {
      const n = d.index + 1;
      if (d.status !== 'ok') console.log(`document ${n}: ${d.error?.code} ${d.error?.message}`);
      if (n === files.length) sameDocs = { tokens: run.status().tokensDone, seconds: (performance.now() - analyzingAt) / 1000 };
      if (n % 100 === 0 || n === opts.docs) {
        rss.push({ document: n, rss_mb: mb(process.memoryUsage().rss) });
        const s = run.status();
        console.log(`  corpus: ${n}/${opts.docs} documents · ${s.tokensPerSecond.toFixed(0)} tokens/s · RSS ${rss.at(-1).rss_mb} MB`);
      }
    });
    const outcome = await run.done;
    if (outcome.state !== 'done') throw new Error(`the corpus run ended ${outcome.state}: ${outcome.status.error?.message ?? ''}`);
    const allSeconds = (performance.now() - analyzingAt) / 1000;

    const after = await singleDocument(analyzeFile, model, files);
    console.log(`single-document pipeline again: ${(after.tokens / after.seconds).toFixed(0)} tokens/s`);
    await model.dispose();

    const single = (before.tokens + after.tokens) / (before.seconds + after.seconds);
    const corpusSame = sameDocs.tokens / sameDocs.seconds;
    const corpusAll = outcome.status.tokensDone / allSeconds;
    const at100 = rss.find((r) => r.document === 100).rss_mb;
    const atEnd = rss.at(-1).rss_mb;
    const result = {
      documents: opts.docs,
      tokens: outcome.status.tokensDone,
      single_tokens_per_s: Math.round(single),
      corpus_tokens_per_s_same_docs: Math.round(corpusSame),
      corpus_tokens_per_s_all: Math.round(corpusAll),
      throughput_ratio: +(corpusSame / single).toFixed(3),
      rss_mb_doc_100: at100,
      rss_mb_doc_last: atEnd,
      rss_growth: +((atEnd - at100) / at100).toFixed(3),
      store_mb: mb(fs.readdirSync(outDir).reduce((a, f) => a + fs.statSync(path.join(outDir, f)).size, 0)),
    };
    console.log(
      `corpus ${result.corpus_tokens_per_s_same_docs} tokens/s on the same ${files.length} documents vs single-document ${result.single_tokens_per_s}: ` +
        `ratio ${result.throughput_ratio} (target ≥ 0.9); all ${opts.docs}: ${result.corpus_tokens_per_s_all} tokens/s; ` +
        `RSS ${at100} MB at document 100, ${atEnd} MB at document ${rss.at(-1).document}: ${(100 * result.rss_growth).toFixed(1)}% (target within 10%)`,
    );
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
