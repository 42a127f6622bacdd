#!/usr/bin/env node
// Writes README's compare sample, docs/figures/compare-beta-depth.svg: `normscope compare` of two tiny GPT-2s of
// different depth (random weights, from ../shared/tools/make-gpt2-folder.mjs) over four license texts. Run after
// `npm run build`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-compare-sample-'));
try {
  const models = [['gpt2-2-layers', '--layers 2 --heads 2 --embd 16 --seed 3'], ['gpt2-6-layers', '--layers 6 --heads 4 --embd 32 --seed 4']];
  for (const [name, args] of models) {
    execFileSync(process.execPath, [path.join(shared, 'tools/make-gpt2-folder.mjs'), '--out', path.join(work, name), ...args.split(' ')], { stdio: 'ignore' });
  }
  const texts = path.join(work, 'texts');
  fs.mkdirSync(texts);
  const corpus = path.join(shared, 'corpus/licenses');
  for (const f of fs.readdirSync(corpus).sort().slice(0, 4)) fs.copyFileSync(path.join(corpus, f), path.join(texts, f));
  const figures = path.join(work, 'figures');
  execFileSync(process.execPath, [path.join(root, 'bin/normscope.js'), 'compare', ...models.flatMap(([name]) => ['--model', path.join(work, name)]),
    '--out', path.join(work, 'comparison.json'), '--figures', figures, '--quiet', texts], { stdio: 'inherit' });
  fs.mkdirSync(path.join(root, 'docs/figures'), { recursive: true });
  fs.copyFileSync(path.join(figures, 'comparison.compare-beta-depth.svg'), path.join(root, 'docs/figures/compare-beta-depth.svg'));
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
