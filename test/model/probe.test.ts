// The parity/timing probe and the provider notes, on sessions simulated from real CPU numbers: no GPU needed.
import { afterEach, describe, expect, it } from 'vitest';
import { PARITY_LIMIT, passedReason, probeIds, probeLengths, refusedNote, runProbe, slowerNote, type ProbeResult } from '../../electron/core/model/probe.js';
import { graphVariant, preferredProviders, providerChoice, unavailable } from '../../electron/core/model/providers.js';

const FETCH = ['h.0.attn.norm', 'h.0.norm', 'h.1.mlp.norm'];
const shape = { nPositions: 256, vocabSize: 50257 };

/** A "CPU" whose norms depend on id and position, and a "GPU" that returns them changed by `perturb`, each run costing `ms`. */
function sessions(perturb: (output: string, t: number, v: number) => number, gpuMs = 0, cpuMs = 0) {
  const calls: { who: string; length: number }[] = [];
  const norms = (ids: ArrayLike<number>, fetch: readonly string[], who: string, f: (o: string, t: number, v: number) => number) =>
    new Map(fetch.map((o, k) => [o, Float32Array.from(Array.from(ids), (id, t) => f(o, t, 1 + ((id * 31 + t * 7 + k) % 97) / 10))]));
  const busy = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  return {
    calls,
    gpu: async (ids: ArrayLike<number>, fetch: readonly string[]) => (calls.push({ who: 'gpu', length: ids.length }), busy(gpuMs), norms(ids, fetch, 'gpu', perturb)),
    cpu: async (ids: ArrayLike<number>, fetch: readonly string[]) => (calls.push({ who: 'cpu', length: ids.length }), busy(cpuMs), norms(ids, fetch, 'cpu', (_o, _t, v) => v)),
  };
}

describe('probeLengths(n_positions) / probeIds(length, vocab)', () => {
  it('probes one token, an odd length and a length beyond 64, the last also the timing length', () => {
    expect(probeLengths(1024)).toEqual({ parity: [256, 1, 37], timing: 256 });
    expect(probeLengths(100)).toEqual({ parity: [100, 1, 37], timing: 100 });
  });
  it('gives the same ids on every call, inside the vocabulary', () => {
    const ids = probeIds(256, 50257);
    expect(ids).toEqual(probeIds(256, 50257));
    expect(Math.max(...ids)).toBeLessThan(50257);
    expect(new Set(ids).size).toBe(256);
  });
});

describe('runProbe(gpu, cpu, fetch, shape, speedFirst)', () => {
  it('passes a provider whose log norms equal the CPU\'s within the limit, at every probe length', async () => {
    const s = sessions((_o, _t, v) => v * Math.exp(PARITY_LIMIT / 2));
    const r = await runProbe(s.gpu, s.cpu, FETCH, shape, false);
    expect(r.parity).toBe('pass');
    expect(r.lengths).toEqual([256, 1, 37]);
    // float32 norms: the difference is known to float32 rounding of each value (~1e-7)
    expect(r.worst!.diff).toBeCloseTo(PARITY_LIMIT / 2, 6);
    expect(r.speed).toMatchObject({ length: 256 });
  });

  it('refuses a provider with one wrong value, naming the output, the token and the difference', async () => {
    const s = sessions((o, t, v) => (o === 'h.0.norm' && t === 200 ? v * Math.exp(0.0999) : v));
    const r = await runProbe(s.gpu, s.cpu, FETCH, shape, false);
    expect(r.parity).toBe('fail');
    expect(r.worst).toMatchObject({ output: 'h.0.norm', position: 200, length: 256 });
    expect(r.worst!.diff).toBeCloseTo(0.0999, 5);
    // stops at the first failing length
    expect(r.lengths).toEqual([256]);
    expect(r.speed).toBeNull();
  });

  it('refuses a NaN or a zero norm as a non-finite difference', async () => {
    const s = sessions((o, t, v) => (o === 'h.1.mlp.norm' && t === 0 ? NaN : v));
    const r = await runProbe(s.gpu, s.cpu, FETCH, shape, false);
    expect(r).toMatchObject({ parity: 'fail', worst: { output: 'h.1.mlp.norm', position: 0, diff: Infinity } });
    expect(refusedNote('webgpu', r.worst!)).toContain('by a non-finite value at h.1.mlp, token 0');
  });

  it('for auto, times first and compares no further when the provider is slower than the CPU', async () => {
    const s = sessions((_o, _t, v) => v, 6, 1);
    const r = await runProbe(s.gpu, s.cpu, FETCH, shape, true);
    expect(r.parity).toBe('unchecked');
    expect(r.lengths).toEqual([256]);
    expect(r.speed!.gpu_ms).toBeGreaterThan(r.speed!.cpu_ms * 2);
    // one timed GPU run is enough when it already takes twice the CPU's time
    expect(s.calls.filter((c) => c.who === 'gpu')).toHaveLength(2);
  });

  it('for auto, checks every length once the provider is faster', async () => {
    const s = sessions((_o, _t, v) => v, 0, 4);
    const r = await runProbe(s.gpu, s.cpu, FETCH, shape, true);
    expect(r).toMatchObject({ parity: 'pass', lengths: [256, 1, 37] });
    expect(r.speed!.gpu_ms).toBeLessThan(r.speed!.cpu_ms);
  });
});

describe('provider notes', () => {
  const result: ProbeResult = { parity: 'pass', lengths: [256, 1, 37], worst: { output: 'h.2.mlp.norm', position: 3, length: 256, diff: 5.2e-7 },
    speed: { length: 256, gpu_ms: 20, cpu_ms: 62 }, probe_ms: 400 };

  it('refusedNote names tap, position, probe length, difference and the limit', () => {
    expect(refusedNote('webgpu', { output: 'h.1.attn.norm', position: 36, length: 37, diff: 0.0999 }))
      .toBe("webgpu: refused for this model: its log norms differ from the CPU's by 0.10 at h.1.attn, token 36 of a 37-token probe (limit 1e-4)");
    expect(refusedNote('cuda', { output: 'h.0.norm', position: 0, length: 1, diff: 0.000123 }))
      .toBe("cuda: refused for this model: its log norms differ from the CPU's by 0.00012 at h.0, token 0 of a 1-token probe (limit 1e-4)");
  });

  it('slowerNote gives the speed ratio, both times and the likely cause', () => {
    expect(slowerNote('webgpu', { length: 256, gpu_ms: 85.2, cpu_ms: 2.7 }))
      .toBe("webgpu: not chosen by auto: it runs at 0.032× the CPU's speed on a 256-token probe (85 ms against 2.7 ms), as a software adapter (lavapipe, SwiftShader) or a GPU slower than this CPU does");
  });

  it('slowerNote names the MatMul probe when the adapter probe decided', () => {
    expect(slowerNote('webgpu', { length: 128, gpu_ms: 127, cpu_ms: 3.2, probe: 'matmul' }))
      .toBe("webgpu: not chosen by auto: it runs at 0.025× the CPU's speed on a 1.1-GFLOP MatMul probe (127 ms against 3.2 ms), as a software adapter (lavapipe, SwiftShader) or a GPU slower than this CPU does");
  });

  it('passedReason says who chose it, the largest difference and the speed', () => {
    expect(passedReason('webgpu', result, false))
      .toBe("webgpu, chosen by auto: it reproduces the CPU's log norms within 5.2e-7 at 3 probe lengths; it runs at 3.10× the CPU's speed on a 256-token probe");
    expect(passedReason('cuda', { ...result, speed: null }, true)).toBe("cuda, as asked: it reproduces the CPU's log norms within 5.2e-7 at 3 probe lengths");
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('unavailable() says what is missing on linux-x64', () => {
    expect(unavailable('dml')).toBe('dml: not in this onnxruntime-node build for linux-x64');
    expect(unavailable('coreml')).toBe('coreml: not in this onnxruntime-node build for linux-x64');
    expect(unavailable('webgpu')).toBeNull();
    expect(unavailable('cpu')).toBeNull();
    const cuda = unavailable('cuda');
    // null only where `npm run gpu:install-cuda` has put onnxruntime's CUDA provider in place
    if (cuda !== null) expect(cuda).toBe('cuda: onnxruntime’s CUDA provider is not installed (`npm run gpu:install-cuda` downloads it; it needs CUDA 12 and cuDNN 9)');
  });
});

describe('preferredProviders(platform) / graphVariant(provider) / providerChoice()', () => {
  afterEach(() => {
    delete process.env.NORMSCOPE_PROVIDER;
  });
  it('puts CUDA, then the native GPU provider, then WebGPU before the CPU', () => {
    expect(preferredProviders('linux')).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(preferredProviders('win32')).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(preferredProviders('darwin')).toEqual(['coreml', 'webgpu', 'cpu']);
  });
  it('gives WebGPU and CoreML the standard graph, the CPU the GroupQueryAttention one, the others the fused one, unless overridden', () => {
    expect(graphVariant('webgpu')).toBe('standard');
    expect(graphVariant('coreml')).toBe('standard');
    expect(graphVariant('cpu')).toBe('gqa');
    expect(graphVariant('dml')).toBe('fused');
    expect(graphVariant('cuda')).toBe('fused');
    expect(graphVariant('webgpu', { webgpu: 'fused' })).toBe('fused');
  });
  it('reads NORMSCOPE_PROVIDER when no choice is given, and refuses a bad value', () => {
    expect(providerChoice()).toBe('auto');
    process.env.NORMSCOPE_PROVIDER = 'WebGPU';
    expect(providerChoice()).toBe('webgpu');
    expect(providerChoice('cpu')).toBe('cpu');
    process.env.NORMSCOPE_PROVIDER = 'gpu';
    expect(() => providerChoice()).toThrow(expect.objectContaining({ code: 'BAD_USAGE', message: expect.stringContaining("got 'gpu'") }));
  });
});
