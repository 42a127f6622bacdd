// No model given and no GPT-2 installed: the demo model (random weights), said on stderr and in model.name;
// and README's headless example, run as written.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument, DocumentOk } from '../../shared/result.js';
import { normscope, repoRoot, tempDir, tinyAExpected } from '../analysis/fixtures.js';

let home: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  home = tempDir('demo-home');
  // a machine with no settings and an empty Hugging Face cache
  env = { NORMSCOPE_HOME: path.join(home, 'normscope'), HF_HOME: path.join(home, 'hf'), HF_HUB_CACHE: path.join(home, 'hf', 'hub'), HF_HUB_OFFLINE: '1' };
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('normscope analyze FILE with no model anywhere', () => {
  let run: ReturnType<typeof normscope>;
  beforeAll(() => {
    const file = path.join(home, 'lighthouse.txt');
    fs.writeFileSync(file, tinyAExpected().documents['lighthouse']!.text);
    run = normscope(['analyze', file], { env });
  });

  it('uses the demo model and says so on stderr', () => {
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/demo model \(random weights\).*say nothing about GPT-2/s);
  });

  it('labels the result "demo (random weights)", with the demo’s shape and the weights the build generated', () => {
    const doc = JSON.parse(run.stdout) as AnalysisDocument;
    const marker = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources/demo-model/normscope-demo.json'), 'utf8')) as { model_sha256: string; recipe: { n_layer: number } };
    expect(doc.model).toMatchObject({ name: 'demo (random weights)', n_layer: marker.recipe.n_layer, n_positions: 1024, execution_provider: 'cpu' });
    expect(doc.provenance.model_sha256).toBe(marker.model_sha256);
    const res = doc.documents[0] as DocumentOk;
    expect(res.status).toBe('ok');
    expect(res.tokens.map((t) => t.id)).toEqual(tinyAExpected().documents['lighthouse']!.ids); // GPT-2's own tokenizer
    expect(res.layers).toHaveLength(marker.recipe.n_layer);
  });

  it('says it even with --quiet', () => {
    const quiet = normscope(['analyze', '--quiet', path.join(home, 'lighthouse.txt')], { env });
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toMatch(/demo model \(random weights\)/);
  });
});

describe('README’s headless example', () => {
  it('runs as written from the repository root', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const block = /<!-- headless-example[^>]*-->\s*```(?:sh|bash|shell)\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README.md has a ```sh block after <!-- headless-example -->').not.toBeNull();
    const commands = block![1]!.split('\n').filter((l) => l.startsWith('npx normscope analyze'));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const target = /> *(\S+)\s*$/.exec(command)?.[1];
      try {
        // npm_config_ignore_scripts: npx links the checkout into its cache without rebuilding dist/ under running tests
        const r = spawnSync('bash', ['-c', command], { cwd: repoRoot, env: { ...process.env, ...env, npm_config_ignore_scripts: 'true' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
        expect(r.status, r.stderr).toBe(0);
        const doc = JSON.parse(target ? fs.readFileSync(path.join(repoRoot, target), 'utf8') : r.stdout) as AnalysisDocument;
        expect(doc.model.name).toBe('demo (random weights)');
        expect(doc.documents.length).toBeGreaterThan(0);
        expect(doc.documents.every((d) => d.status === 'ok')).toBe(true);
      } finally {
        if (target) fs.rmSync(path.join(repoRoot, target), { force: true });
      }
    }
  });
});
