// Whether this machine has a WebGPU adapter (on CI: Mesa's lavapipe from bookworm-backports, which .ci/run installs).
// Without one the WebGPU tests skip, unless NORMSCOPE_TEST_WEBGPU=require (set by .ci/run), where they must run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** Starts a one-node WebGPU session in a child process (a failed adapter request must not touch the test process). */
function probeAdapter(): { ok: boolean; why: string } {
  const script = `
    const ort = require('onnxruntime-node');
    const { onnx } = require('onnx-proto');
    const t = (n) => ({ name: n, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 4 }] } } } });
    const m = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 10, opsetImport: [{ domain: '', version: 20 }],
      graph: { name: 'g', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], input: [t('x')], output: [t('y')] } })).finish();
    ort.InferenceSession.create(m, { executionProviders: ['webgpu'] }).then(() => process.exit(0), (e) => { console.error(String(e.message).split('\\n')[0]); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, why: (r.stderr ?? '').trim().split('\n').at(-1) ?? '' };
}

const adapter = probeAdapter();
if (!adapter.ok && process.env.NORMSCOPE_TEST_WEBGPU === 'require') {
  throw new Error(`NORMSCOPE_TEST_WEBGPU=require but no WebGPU adapter starts here: ${adapter.why}`);
}
/** True when WebGPU runs here; the tests that need it use describe.runIf(hasWebGpu). */
export const hasWebGpu = adapter.ok;
