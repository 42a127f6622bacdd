// The only module that touches onnxruntime-node: says which providers this build has, creates a session on one,
// checks what a run asks for, runs, releases. Which provider to use is providers.ts's job.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { NormscopeError } from '../errors.js';
import { gqaFlashDefault, matmulIsa } from './cpu-isa.js';
import type { ExecutionProvider } from './types.js';

// which GroupQueryAttention kernel is faster depends on the ISA (cpu-isa.ts); onnxruntime reads this variable when it builds
// the kernel, and a user's own setting wins
process.env.ORT_GQA_DISABLE_FLASH_ATTENTION ??= gqaFlashDefault(matmulIsa());

const require = createRequire(import.meta.url);

// cuBLAS/cuDNN would otherwise use TF32 (10-bit mantissa) on Ampere and later, which no parity probe at 1e-4 passes. Set at
// import, on the main thread too: a worker thread's process.env is its own copy, while CUDA reads the process's environment.
process.env.NVIDIA_TF32_OVERRIDE ??= '0';

/** onnxruntime-node's version (part of every cached provider verdict: another runtime may compute differently). */
export const ORT_VERSION: string = ort.env.versions.node ?? ort.env.versions.common;

/** The providers this onnxruntime-node build knows, and whether each one's libraries are on this machine. */
export function backends(): { name: string; installed: boolean }[] {
  const bin = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return ort.listSupportedBackends().map((b) => ({
    name: b.name,
    // CUDA is an opt-in download into the binding's folder (npm run gpu:install-cuda)
    installed: b.bundled || (b.name === 'cuda' && ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll'].some((f) => fs.existsSync(path.join(bin, f)))),
  }));
}

/** The adapter probe's work: four chained [128×1024]·[1024×1024] MatMuls, 1.1 GFLOP, enough that a GPU's fixed cost per
 * run (dispatch, read-back) does not hide its arithmetic, small enough for a software adapter to finish in a second. */
const MATMUL = { T: 128, K: 1024, chain: 4 };

/** Best of `runs` warm runs of the MatMul chain on a provider, in ms (throws when the provider cannot start). */
export async function matmulMs(provider: ExecutionProvider, settings: SessionSettings = {}, runs = 2): Promise<number> {
  const { onnx } = onnxProto;
  const { T, K, chain } = MATMUL;
  // entries of ±1/K keep every product in range, so no run meets infinities or NaN
  const w = Float32Array.from({ length: K * K }, (_, i) => (((i * 2654435761) >>> 0) % 3 - 1) / K);
  const dim = (d: number) => ({ dimValue: d });
  const names = Array.from({ length: chain + 1 }, (_, i) => (i === 0 ? 'a' : i === chain ? 'y' : `h${i}`));
  const model = onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 10, opsetImport: [{ domain: '', version: 20 }],
    graph: {
      name: 'matmul_probe',
      node: names.slice(1).map((out, i) => ({ opType: 'MatMul', input: [names[i]!, 'w'], output: [out], name: `mm${i}` })),
      initializer: [{ name: 'w', dims: [K, K], dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(w.buffer) }],
      input: [{ name: 'a', type: { tensorType: { elemType: 1, shape: { dim: [dim(T), dim(K)] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [dim(T), dim(K)] } } } }],
    },
  })).finish();
  ort.env.logLevel = 'fatal';
  const s = await ort.InferenceSession.create(model, sessionOptions(provider, { graph: model }, settings));
  try {
    const a = new ort.Tensor('float32', Float32Array.from({ length: T * K }, (_, i) => ((i % 17) - 8) / 8), [T, K]);
    let best = Infinity;
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      await s.run({ a });
      if (r > 0) best = Math.min(best, performance.now() - t0); // the first run compiles
    }
    return best;
  } finally {
    await s.release();
  }
}

/** A graph and where its external weights live: a folder on disk (graph locations relative to it) and/or files in memory. */
export interface SessionSource {
  graph: Uint8Array;
  weightsFolder?: string;
  memoryFiles?: { path: string; data: Uint8Array }[];
}

export interface SessionSettings {
  /** intra-op threads; default: every core this process may use */
  threads?: number;
}

export interface TapSession {
  readonly provider: ExecutionProvider;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph on int64 token ids [1, T] and returns the named float32 outputs. */
  run(ids: ArrayLike<number>, fetch: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Runs the graph on B rows of T ids each (`ids` row-major, length B·T); outputs are row-major [B, T, …]. */
  runRows(ids: ArrayLike<number>, rows: number, fetch: readonly string[]): Promise<Map<string, Float32Array>>;
  release(): Promise<void>;
}

function sessionOptions(provider: ExecutionProvider, source: SessionSource, settings: SessionSettings): ort.InferenceSession.SessionOptions {
  const session: Record<string, string> = {};
  if (source.weightsFolder) session.model_external_initializers_file_folder_path = source.weightsFolder;
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // the memory pattern is planned and kept per input shape: with every document a new length it only adds blocks
    // (peak RSS +200 MB over the licenses with GroupQueryAttention) and saves no time
    enableMemPattern: false,
    intraOpNumThreads: settings.threads ?? os.availableParallelism(),
    logSeverityLevel: 3,
    // a developer's per-operator profile (scripts/bench-profile.mjs): onnxruntime writes PREFIX_<date>.json at release
    ...(process.env.NORMSCOPE_ORT_PROFILE ? { enableProfiling: true, profileFilePrefix: process.env.NORMSCOPE_ORT_PROFILE } : {}),
    ...(source.memoryFiles?.length ? { externalData: source.memoryFiles } : {}),
    extra: { session },
  };
}

/** Creates a session on `provider` (throws onnxruntime's own error when that provider cannot start). */
export async function createSession(provider: ExecutionProvider, source: SessionSource, settings: SessionSettings = {}): Promise<TapSession> {
  // failures reach the caller as exceptions and provider notes; onnxruntime's console log (read when its first session
  // starts, after transformers.js has set it on import) would only repeat them
  ort.env.logLevel = 'fatal';
  const options = sessionOptions(provider, source, settings);
  const s = await ort.InferenceSession.create(source.graph, options);
  return wrap(s, provider, options.enableProfiling === true);
}

/** The first line of an error, short enough for a note. */
export function firstLine(e: unknown): string {
  // onnxruntime's failed checks start with the source location and the condition: the sentence after them is the reason
  return String(e instanceof Error ? e.message : e).split('\n')[0]!.replace(/^\/onnxruntime_src\/\S+ .*? was false\. /, '').slice(0, 300);
}

function wrap(s: ort.InferenceSession, provider: ExecutionProvider, profiling: boolean): TapSession {
  const inputNames = [...s.inputNames];
  const outputNames = [...s.outputNames];
  const outputs = new Set(outputNames);
  const runRows = async (ids: ArrayLike<number>, rows: number, fetch: readonly string[]): Promise<Map<string, Float32Array>> => {
    const unknown = fetch.filter((n) => !outputs.has(n));
    if (unknown.length) throw new NormscopeError('BAD_INPUT', `the graph has no output(s) ${unknown.join(', ')}`, { unknown });
    const dims = [rows, ids.length / rows];
    const data = new BigInt64Array(ids.length);
    for (let i = 0; i < ids.length; i++) data[i] = BigInt(ids[i]!);
    const feeds: Record<string, ort.Tensor> = {};
    feeds[inputNames[0]!] = new ort.Tensor('int64', data, dims);
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await s.run(feeds, [...fetch]);
    } catch (e) {
      throw new NormscopeError('MODEL_FAILED', `onnxruntime (${provider}) failed on ${inputNames[0]}: int64 [${dims.join(', ')}]: ${firstLine(e)}`, { provider, dims });
    }
    const out = new Map<string, Float32Array>();
    for (const name of fetch) out.set(name, result[name]!.data as Float32Array);
    return out;
  };
  return {
    provider,
    inputNames,
    outputNames,
    run: (ids, fetch) => runRows(ids, 1, fetch),
    runRows,
    release: async () => {
      // the profile is written now, and only for a session that was started with profiling on
      if (profiling) s.endProfiling();
      await s.release();
    },
  };
}
