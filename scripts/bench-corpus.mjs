#!/usr/bin/env node
// `npm run bench:corpus [-- --docs N] [--single S] [--rounds R] [--short N] [--model DIR]`: the corpus manager on a GPT-2-small-
// shaped model. A folder of N documents (default 1,000) is made by repeating ../shared/corpus/licenses, each copy given
// its own first line so every document is new to the store. It prints
//   - throughput: the single-document pipeline (analyzeFile in this thread) and a corpus run (worker thread, durable
//     store) over the same first S documents (default 20), in alternating order for R rounds (default 3) because the
//     machine is shared and its load drifts; the median ratio corpus ÷ single (target ≥ 0.9);
//   - packing: a corpus run over --short documents (default 300; the licenses' paragraphs, ~70 tokens each) with short
//     documents packed into batched forward passes, against the same run with every document alone; median gain;
//   - memory: resident set of one corpus run over all N documents, every 100 documents, document 100 vs the last
//     (target within 10%).
// The last line is one JSON object. It runs the compiled code in dist/, recompiling first when a source is newer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs, count, text } from './bench-args.mjs';
import { benchModel, cpuInfo, ensureBuilt } from './bench-model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const settings = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };

function parseOptions(argv) {
  const out = benchArgs(argv, { docs: count(1000), single: count(20), rounds: count(3), short: count(300), model: text() },
    'bench:corpus [--docs N] [--single S] [--rounds R] [--short N] [--model DIR]');
  if (!(out.docs >= 100)) throw new Error('--docs must be at least 100 (memory is compared from document 100 on)');
  out.single = Math.min(out.single, out.docs);
  return out;
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

/** N short documents: the licenses' paragraphs (over 80 characters), each numbered so that every one is new content. */
function makeShortFolder(n) {
  const corpus = path.join(shared, 'corpus/licenses');
  const paragraphs = fs.readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort()
    .flatMap((f) => fs.readFileSync(path.join(corpus, f), 'utf8').split(/\n\s*\n/)).map((p) => p.trim()).filter((p) => p.length > 80);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-short-'));
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}.txt`), `${i + 1}. ${paragraphs[i % paragraphs.length]}\n`);
  return dir;
}

const mb = (bytes) => Math.round(bytes / 2 ** 20);

/** analyzeFile over `files` in this thread: the single-document pipeline, every file timed (the model is loaded first). */
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

/**
 * One corpus run over `paths` into a fresh store, timed from the moment its worker has loaded the model (phase
 * 'analyzing') to its end, every token counted: packs return several results at once, so timing from the first result
 * would count the rest of the first pack for free.
 */
async function corpusRun(startCorpusRun, modelDir, paths, onDocument, pack) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-bench-store-'));
  try {
    const run = startCorpusRun({ paths, outDir, model: { dir: modelDir, name: 'gpt2-small-shape', source: 'folder', revision: null }, settings, ...(pack ? { pack } : {}) });
    let start = null;
    run.on('status', (s) => {
      if (start === null && s.phase === 'analyzing') start = performance.now();
    });
    run.on('document', (d) => {
      if (d.status !== 'ok') console.log(`document ${d.index + 1}: ${d.error?.code} ${d.error?.message}`);
      onDocument?.(d, run);
    });
    const outcome = await run.done;
    const end = performance.now();
    if (outcome.state !== 'done') throw new Error(`the corpus run ended ${outcome.state}: ${outcome.status.error?.message ?? ''}`);
    const storeBytes = fs.readdirSync(outDir).reduce((a, f) => a + fs.statSync(path.join(outDir, f)).size, 0);
    return { tokens: outcome.status.tokensDone, seconds: (end - start) / 1000, storeBytes };
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** R rounds of two measurements in alternating order (the machine is shared: its load drifts); tokens/s of each, per
 * round, each round reported as it ends. */
async function alternating(rounds, measure, [a, b], report) {
  const rates = { [a]: [], [b]: [] };
  for (let r = 0; r < rounds; r++) {
    const got = {};
    for (const which of r % 2 === 0 ? [a, b] : [b, a]) got[which] = await measure[which]();
    for (const which of [a, b]) rates[which].push(got[which].tokens / got[which].seconds);
    report(r, rates[a].at(-1), rates[b].at(-1));
  }
  return rates;
}

/** Throughput: the same documents through the single-document pipeline and a corpus run. */
async function throughput(core, modelDir, files, rounds) {
  const model = await core.loadModel(modelDir);
  await core.analyzeFile(model, files[0], settings); // onnxruntime sizes its arena on the first pass, as each corpus worker does once
  const measure = { single: () => singleDocument(core.analyzeFile, model, files), corpus: () => corpusRun(core.startCorpusRun, modelDir, files) };
  const rates = await alternating(rounds, measure, ['single', 'corpus'], (r, single, corpus) =>
    console.log(`round ${r + 1}/${rounds}, ${files.length} documents: single-document ${single.toFixed(0)} tokens/s, corpus ${corpus.toFixed(0)} tokens/s, ratio ${(corpus / single).toFixed(3)}`),
  );
  await model.dispose();
  return { singles: rates.single, corpora: rates.corpus, ratios: rates.corpus.map((c, i) => c / rates.single[i]) };
}

/** Packing: short documents through corpus runs with packs (batched forward passes) and with every document alone. */
async function packing(core, modelDir, n, rounds) {
  const short = makeShortFolder(n);
  try {
    const measure = { packed: () => corpusRun(core.startCorpusRun, modelDir, [short]), alone: () => corpusRun(core.startCorpusRun, modelDir, [short], undefined, { documents: 1 }) };
    const rates = await alternating(rounds, measure, ['packed', 'alone'], (r, packed, alone) =>
      console.log(`round ${r + 1}/${rounds}, ${n} short documents: packed ${packed.toFixed(0)} tokens/s, one at a time ${alone.toFixed(0)} tokens/s, gain ${(packed / alone).toFixed(3)}`),
    );
    return { packedRates: rates.packed, aloneRates: rates.alone, packGains: rates.packed.map((p, i) => p / rates.alone[i]) };
  } finally {
    fs.rmSync(short, { recursive: true, force: true });
  }
}

/** Memory: one long run over the whole folder, resident set sampled every 100 documents. */
async function memory(core, modelDir, folder, docs) {
  const rss = [];
  const long = await corpusRun(core.startCorpusRun, modelDir, [folder], (d, run) => {
    const n = d.index + 1;
    if (n % 100 === 0 || n === docs) {
      rss.push({ document: n, rss_mb: mb(process.memoryUsage().rss) });
      console.log(`  corpus: ${n}/${docs} documents · ${run.status().tokensPerSecond.toFixed(0)} tokens/s · RSS ${rss.at(-1).rss_mb} MB`);
    }
  });
  return { long, at100: rss.find((r) => r.document === 100).rss_mb, last: rss.at(-1) };
}

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  ensureBuilt();
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadModel } = await imp('electron/core/model/index.js');
  const { normscopeHome } = await imp('electron/core/home.js');
  const { analyzeFile, collectInputs } = await imp('electron/core/analysis/index.js');
  const { startCorpusRun: startRun } = await imp('electron/core/corpus/index.js');
  // the model and the corpus worker keep their provider verdicts in normscope's home, as the CLI's do
  const verdictsDir = normscopeHome();
  const core = {
    loadModel: (dir) => loadModel(dir, { verdictsDir }),
    analyzeFile,
    startCorpusRun: (o) => startRun({ ...o, loadOptions: { verdictsDir } }),
  };
  const modelDir = opts.model ? path.resolve(opts.model) : benchModel();
  const folder = makeFolder(opts.docs);
  const files = (await collectInputs([folder])).slice(0, opts.single);
  try {
    const { singles, corpora, ratios } = await throughput(core, modelDir, files, opts.rounds);
    const { packedRates, aloneRates, packGains } = await packing(core, modelDir, opts.short, opts.rounds);
    const { long, at100, last } = await memory(core, modelDir, folder, opts.docs);
    const result = {
      documents: opts.docs,
      single_tokens_per_s: Math.round(median(singles)),
      corpus_tokens_per_s: Math.round(median(corpora)),
      throughput_ratio: +median(ratios).toFixed(3),
      long_run_tokens_per_s: Math.round(long.tokens / long.seconds),
      rss_mb_doc_100: at100,
      rss_mb_doc_last: last.rss_mb,
      rss_growth: +((last.rss_mb - at100) / at100).toFixed(3),
      store_mb: mb(long.storeBytes),
      short_documents: opts.short,
      short_packed_tokens_per_s: Math.round(median(packedRates)),
      short_alone_tokens_per_s: Math.round(median(aloneRates)),
      packing_gain: +median(packGains).toFixed(3),
      ...(await cpuInfo()),
    };
    console.log(
      `throughput ratio ${result.throughput_ratio} (median of ${opts.rounds} rounds; target ≥ 0.9) · ` +
        `RSS ${at100} MB at document 100, ${last.rss_mb} MB at document ${last.document}: ${(100 * result.rss_growth).toFixed(1)}% (target within 10%) · ` +
        `long run ${result.long_run_tokens_per_s} tokens/s, store ${result.store_mb} MB · ` +
        `packing gain on short documents ${result.packing_gain}`,
    );
    console.log(JSON.stringify(result));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
