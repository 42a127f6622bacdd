// `normscope analyze --provider …`, NORMSCOPE_PROVIDER and `normscope providers`, through the built CLI, on this
// machine's WebGPU adapter (lavapipe on CI). Needs `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SITES } from '../../shared/taps.js';
import { normscope, tempDir, tinyAExpected, tinyAModel } from '../analysis/fixtures.js';
import { hasWebGpu } from './webgpu-adapter.js';

const expected = tinyAExpected();
const LAVAPIPE_ONLY = '/usr/share/vulkan/icd.d/lvp_icd.json';

interface Doc {
  model: { execution_provider: string };
  provenance: { execution_provider: string; provider_reason: string; provider_notes: string[] };
  documents: { path: string; layers: { tap: string; log_norms: number[] }[] }[];
}

describe.runIf(hasWebGpu)('normscope analyze --provider / NORMSCOPE_PROVIDER / normscope providers (tiny-a)', () => {
  let model: string, docs: string, env: NodeJS.ProcessEnv;
  beforeAll(() => {
    model = tinyAModel();
    docs = tempDir('gpu-docs');
    for (const [name, d] of Object.entries(expected.documents)) fs.writeFileSync(path.join(docs, `${name}.txt`), d.text);
    env = { NORMSCOPE_HOME: tempDir('gpu-cli-home'), NORMSCOPE_PROVIDER: '' };
  });
  const analyze = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = normscope(['analyze', '--model', model, ...args, docs], { env: { ...env, ...extra } });
    return { ...r, doc: r.status === 0 ? (JSON.parse(r.stdout) as Doc) : null };
  };

  for (const site of SITES) {
    it(`--provider webgpu --component ${site}: every layer's log norms within 1e-4 of expected.json`, () => {
      const r = analyze(['--provider', 'webgpu', '--component', site]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.doc!.model.execution_provider).toBe('webgpu');
      expect(r.doc!.provenance).toMatchObject({ execution_provider: 'webgpu', provider_reason: expect.stringMatching(/^webgpu, as asked: it reproduces the CPU's log norms/), provider_notes: [] });
      expect(r.stderr).toContain('normscope: model tiny-a on webgpu, as asked');
      for (const d of r.doc!.documents) {
        const want = expected.documents[path.basename(d.path, '.txt')]!;
        expect(d.layers).toHaveLength(3);
        for (const layer of d.layers) {
          const ref = want.taps[layer.tap]!.log_norms;
          const worst = Math.max(...layer.log_norms.map((v, t) => Math.abs(v - ref[t]!)));
          expect(worst, layer.tap).toBeLessThanOrEqual(1e-4);
        }
      }
    });
  }

  it('NORMSCOPE_PROVIDER=webgpu does what --provider webgpu does; --provider wins over it', () => {
    expect(analyze([], { NORMSCOPE_PROVIDER: 'webgpu' }).doc!.model.execution_provider).toBe('webgpu');
    expect(analyze(['--provider', 'cpu'], { NORMSCOPE_PROVIDER: 'webgpu' }).doc!.provenance).toMatchObject({ execution_provider: 'cpu', provider_reason: 'cpu, as asked', provider_notes: [] });
  });

  it.runIf(fs.existsSync(LAVAPIPE_ONLY))('auto on a machine whose only Vulkan device is lavapipe runs on the CPU and says why, on stderr and in the result', () => {
    const r = analyze(['--verbose'], { VK_ICD_FILENAMES: LAVAPIPE_ONLY, NORMSCOPE_HOME: tempDir('gpu-cli-lvp') });
    expect(r.status, r.stderr).toBe(0);
    expect(r.doc!.model.execution_provider).toBe('cpu');
    const note = r.doc!.provenance.provider_notes.find((n) => n.startsWith('webgpu:'))!;
    expect(note).toMatch(/^webgpu: not chosen by auto: it runs at 0\.\d+× the CPU's speed on a 1\.1-GFLOP MatMul probe \(/);
    expect(r.stderr).toContain(`normscope:   ${note}`);
    expect(r.stderr).toMatch(/normscope: {3}provider probe: \d+ ms \(webgpu; cached for next time\)/);
  });

  it('--out-dir --provider webgpu: the corpus worker runs on webgpu', () => {
    const forced = tempDir('gpu-out-webgpu');
    const r = normscope(['analyze', '--model', model, '--provider', 'webgpu', '--out-dir', forced, docs], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('normscope: model tiny-a on webgpu;');
    expect(JSON.parse(fs.readFileSync(path.join(forced, 'corpus-summary.json'), 'utf8'))).toMatchObject({ model: { execution_provider: 'webgpu' } });
  });

  it.runIf(fs.existsSync(LAVAPIPE_ONLY))('--out-dir on auto with lavapipe only: the corpus worker keeps the CPU and says why', () => {
    const auto = tempDir('gpu-out-auto');
    const a = normscope(['analyze', '--model', model, '--verbose', '--out-dir', auto, docs], { env: { ...env, VK_ICD_FILENAMES: LAVAPIPE_ONLY } });
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).toContain('normscope: model tiny-a on cpu;');
    expect(a.stderr).toMatch(/normscope: {3}webgpu: not chosen by auto: it runs at 0\.\d+× the CPU's speed/);
  });

  it('a forced provider that cannot start is a clear error (exit 2), not a silent CPU run', () => {
    const r = analyze(['--provider', 'webgpu'], { VK_ICD_FILENAMES: '/nonexistent/icd.json', NORMSCOPE_HOME: tempDir('gpu-cli-none') });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/normscope analyze: provider webgpu was asked for and cannot be used: webgpu: could not start: .*WebGPU adapter/);
  });

  it('bad values of --provider and NORMSCOPE_PROVIDER are usage errors (exit 2)', () => {
    const flag = analyze(['--provider', 'tpu']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("--provider must be one of auto, cuda, dml, coreml, webgpu, cpu, got 'tpu'");
    const envBad = analyze([], { NORMSCOPE_PROVIDER: 'gpu' });
    expect(envBad.status).toBe(2);
    expect(envBad.stderr).toContain("NORMSCOPE_PROVIDER must be one of auto, cuda, dml, coreml, webgpu, cpu, got 'gpu'");
  });

  it('normscope providers lists each provider: available, parity verdict, speed against the CPU, whether auto uses it, why', () => {
    const r = normscope(['providers', '--model', model, '--json'], { env });
    expect(r.status, r.stderr).toBe(0);
    const { providers } = JSON.parse(r.stdout) as { providers: { provider: string; available: boolean; parity: string; max_diff: number | null; speed_vs_cpu: number | null; auto: boolean; reason: string }[] };
    expect(providers.map((p) => p.provider)).toEqual(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
    const webgpu = providers.find((p) => p.provider === 'webgpu')!;
    expect(webgpu).toMatchObject({ available: true, parity: 'pass' });
    expect(webgpu.max_diff!).toBeLessThanOrEqual(1e-4);
    expect(webgpu.speed_vs_cpu!).toBeGreaterThan(0);
    // lavapipe is a software adapter: slower than the CPU, so auto keeps the CPU
    if (webgpu.speed_vs_cpu! < 1) expect(webgpu).toMatchObject({ auto: false, reason: expect.stringMatching(/^webgpu: not chosen by auto/) });
    expect(providers.find((p) => p.provider === 'cpu')).toMatchObject({ available: true, parity: 'reference', auto: !webgpu.auto });
    const table = normscope(['providers', '--model', model], { env });
    expect(table.stdout).toMatch(/^webgpu +yes +pass \(\S+\) +[\d.]+× +(yes|no)$/m);
    expect(table.stdout).toMatch(/\[cached\]$/m);
  });
});
