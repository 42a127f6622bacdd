#!/usr/bin/env node
// `npm run bench:profile [-- --docs N] [--threads N] [--model DIR]`: onnxruntime's own per-operator profile of normscope's
// CPU session over the first N licenses (default 30), all 36 tap norms, one document a pass as `npm run bench` runs them.
// Prints each operator type's share of the kernel time and the last line as one JSON object. Profiling slows the run:
// its tokens/s are not comparable with `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs, count, text } from './bench-args.mjs';
import { benchModel, cpuInfo, ensureBuilt, licenseTexts } from './bench-model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const opts = benchArgs(process.argv.slice(2), { docs: count(30), threads: count(os.availableParallelism()), model: text() },
    'bench:profile [--docs N] [--threads N] [--model DIR]');
  ensureBuilt();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-profile-'));
  // read by session.ts when a session is created: set before the model loads
  process.env.NORMSCOPE_ORT_PROFILE = path.join(out, 'ort');
  const imp = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadModel } = await imp('electron/core/model/index.js');
  const { normscopeHome } = await imp('electron/core/home.js');
  const { allTaps } = await imp('electron/core/analysis/index.js');

  const dir = opts.model ? path.resolve(opts.model) : benchModel();
  const texts = licenseTexts(opts.docs);
  const model = await loadModel(dir, { provider: 'cpu', threads: opts.threads, verdictsDir: normscopeHome() });
  const taps = allTaps(model.config.n_layer);
  const idsOf = texts.map((t) => model.tokenize(t).ids);
  const tokens = idsOf.reduce((a, ids) => a + ids.length, 0);
  for (const ids of idsOf) await model.forward(ids, { norms: taps });
  await model.dispose();

  const files = fs.readdirSync(out).filter((f) => f.endsWith('.json'));
  const byOp = new Map();
  let total = 0;
  for (const f of files) {
    for (const e of JSON.parse(fs.readFileSync(path.join(out, f), 'utf8'))) {
      // one event per kernel run; the session's own events (loading, initialization, the whole run) are not operators
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const op = e.args?.op_name ?? 'unknown';
      byOp.set(op, (byOp.get(op) ?? 0) + e.dur);
      total += e.dur;
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  const shares = Object.fromEntries([...byOp].sort((a, b) => b[1] - a[1]).map(([op, us]) => [op, +(us / total).toFixed(4)]));
  const cpu = await cpuInfo();
  console.log(`${texts.length} documents, ${tokens} tokens, ${opts.threads} threads, ${cpu.cpu} (MLAS ${cpu.matmul_isa}); kernel time ${(total / 1e6).toFixed(2)} s:`);
  for (const [op, share] of Object.entries(shares)) console.log(`  ${op.padEnd(28)} ${(share * 100).toFixed(1)}%`);
  console.log(JSON.stringify({ documents: texts.length, tokens, threads: opts.threads, cpu: cpu.cpu, matmul_isa: cpu.matmul_isa, kernel_s: +(total / 1e6).toFixed(3), shares }));
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
