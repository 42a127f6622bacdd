// The only module that touches onnxruntime-node: creates a session on the first execution provider that starts
// (reporting why each earlier one did not), checks what a run asks for, runs, releases.
import os from 'node:os';
import ort from 'onnxruntime-node';
import { NormscopeError } from '../errors.js';
import type { ExecutionProvider } from './types.js';

// GroupQueryAttention's tiled flash kernel measured 16% slower than its row-by-row causal kernel on an AVX-512 Xeon (1 and 2
// threads, GPT-2-small shapes, T 74–900); onnxruntime reads this variable when it builds the kernel, and a user's own setting wins
process.env.ORT_GQA_DISABLE_FLASH_ATTENTION ??= '1';

/** Providers worth trying on this platform, in order: the GPU one(s) the platform has, then the CPU. */
export function defaultProviders(platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
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
    ...(source.memoryFiles?.length ? { externalData: source.memoryFiles } : {}),
    extra: { session },
  };
}

/** Creates a session on `provider` (throws onnxruntime's own error when that provider cannot start). */
export async function createSession(provider: ExecutionProvider, source: SessionSource, settings: SessionSettings = {}): Promise<TapSession> {
  // failures reach the caller as exceptions and provider notes; onnxruntime's console log (read when its first session
  // starts, after transformers.js has set it on import) would only repeat them
  ort.env.logLevel = 'fatal';
  const s = await ort.InferenceSession.create(source.graph, sessionOptions(provider, source, settings));
  return wrap(s, provider);
}

/**
 * Tries each provider in order with the graph and weights `sourceFor(provider)` gives; returns the first session that starts and a
 * note for every provider passed over. Throws PROVIDER_FAILED with all the reasons when none starts.
 */
export async function createFirstSession(
  providers: readonly ExecutionProvider[],
  sourceFor: (p: ExecutionProvider) => SessionSource,
  settings: SessionSettings = {},
): Promise<{ session: TapSession; notes: string[] }> {
  const notes: string[] = [];
  const available = new Set(ort.listSupportedBackends().map((b) => b.name));
  for (const p of providers) {
    if (!available.has(p)) {
      notes.push(`${p}: not available in this onnxruntime-node build for ${process.platform}-${process.arch}`);
      continue;
    }
    try {
      return { session: await createSession(p, sourceFor(p), settings), notes };
    } catch (e) {
      notes.push(`${p}: ${firstLine(e)}`);
    }
  }
  throw new NormscopeError('PROVIDER_FAILED', `no execution provider could start the model (${notes.join('; ')})`, { notes });
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0]!.slice(0, 300);
}

function wrap(s: ort.InferenceSession, provider: ExecutionProvider): TapSession {
  const inputNames = [...s.inputNames];
  const outputNames = [...s.outputNames];
  const outputs = new Set(outputNames);
  return {
    provider,
    inputNames,
    outputNames,
    async run(ids, fetch) {
      const unknown = fetch.filter((n) => !outputs.has(n));
      if (unknown.length) throw new NormscopeError('BAD_INPUT', `the graph has no output(s) ${unknown.join(', ')}`, { unknown });
      const data = new BigInt64Array(ids.length);
      for (let i = 0; i < ids.length; i++) data[i] = BigInt(ids[i]!);
      const feeds: Record<string, ort.Tensor> = {};
      feeds[inputNames[0]!] = new ort.Tensor('int64', data, [1, ids.length]);
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await s.run(feeds, [...fetch]);
      } catch (e) {
        throw new NormscopeError('MODEL_FAILED',
          `onnxruntime (${provider}) failed on ${inputNames[0]}: int64 [1, ${ids.length}]: ${firstLine(e)}`, { provider, dims: [1, ids.length] });
      }
      const out = new Map<string, Float32Array>();
      for (const name of fetch) out.set(name, result[name]!.data as Float32Array);
      return out;
    },
    release: () => s.release(),
  };
}
