// Loads a model folder (any supported family) into a Gpt2Model: config, checked weights, tokenizer, and onnxruntime
// sessions built per output set.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isSite, normName, SITES } from '../../../shared/taps.js';
import { NormscopeError } from '../errors.js';
import { readConfig } from './config.js';
import { buildGraph, LOGITS, siteTaps, unknownTaps } from './graph.js';
import type { ArchitectureDescription } from './arch.js';
import { checkMemory, resolveContext } from './budget.js';
import { readCheckpoint, WEIGHTS_FILE, type Checkpoint } from './checkpoint.js';
import type { TensorEntry } from './safetensors.js';
import { chooseSession, surveyProviders, type ChooseContext, type ProviderRow } from './choose.js';
import { graphVariant, isProviderChoice, PROVIDER_CHOICES, PROVIDERS, preferredProviders, providerChoice } from './providers.js';
import { createSession, type TapSession } from './session.js';
import { loadTokenizer, type ModelTokenizer } from './tokenizer.js';
import type { ExecutionProvider, ForwardRequest, ForwardResult, GraphVariant, Gpt2Model, LoadOptions } from './types.js';
import { VerdictCache } from './verdicts.js';
import { LM_HEAD } from './families/names.js';
import { placeWeights, resolveWeights, type PlacedWeights } from './weights.js';

export { WEIGHTS_FILE };

/** Each session holds its own packed copy of the weights: keep two output sets for small models, one past 1 GiB. */
const maxSessions = (weightBytes: number): number => (weightBytes > 2 ** 30 ? 1 : 2);

async function requireDir(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new NormscopeError('MODEL_NOT_FOUND', `model folder ${dir} does not exist`, { path: dir });
  }
}

async function tokenizerFilesPresent(dir: string): Promise<void> {
  const exists = (f: string) => access(path.join(dir, f)).then(() => true, () => false);
  if (await exists('tokenizer.json')) return;
  if ((await exists('vocab.json')) && (await exists('merges.txt'))) return;
  throw new NormscopeError('MISSING_TOKENIZER', `${dir} has no tokenizer: it needs tokenizer.json, or vocab.json and merges.txt`, { path: dir });
}

/** Checks a model folder without loading weights: config, tokenizer files, the safetensors header and every expected tensor. */
export async function checkModelFolder(dir: string): Promise<{ config: ArchitectureDescription; tensorCount: number; bytes: number; dtype: 'F32' | 'F16' | 'BF16' }> {
  await requireDir(dir);
  const config = await readConfig(dir);
  await tokenizerFilesPresent(dir);
  const { shards } = await readCheckpoint(dir);
  const entries = resolveWeights(shards, config);
  const dtype = mainDtype(entries);
  return { config, tensorCount: shards.reduce((n, f) => n + f.tensors.size, 0), bytes: shards.reduce((n, f) => n + f.size, 0), dtype };
}

/** The dtype holding most of the weights' bytes. */
function mainDtype(entries: ReadonlyMap<string, TensorEntry>): 'F32' | 'F16' | 'BF16' {
  const bytesByDtype = new Map<string, number>();
  for (const t of entries.values()) bytesByDtype.set(t.dtype, (bytesByDtype.get(t.dtype) ?? 0) + t.end - t.begin);
  return [...bytesByDtype].sort((a, b) => b[1] - a[1])[0]![0] as 'F32' | 'F16' | 'BF16';
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Output set of a request (tap names unique), as a stable key and the graph outputs it fetches. */
function outputSet(r: { norms: readonly string[]; vectors: readonly string[]; logits: boolean }): { key: string; fetch: string[] } {
  const norms = [...r.norms].sort(), vectors = [...r.vectors].sort();
  return {
    key: JSON.stringify([norms, vectors, r.logits]),
    fetch: [...norms.map(normName), ...vectors, ...(r.logits ? [LOGITS] : [])],
  };
}

class LoadedGpt2 implements Gpt2Model {
  private readonly sessions = new Map<string, Promise<TapSession>>();
  private hashCache: Promise<{ model: string; tokenizer: string }> | null = null;
  private disposed = false;
  /** Forward passes run one at a time, so a session is never released under a running pass. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    readonly config: ArchitectureDescription,
    readonly executionProvider: ExecutionProvider,
    readonly providerNotes: string[],
    readonly providerReason: string,
    readonly providerProbe: { probed: ExecutionProvider[]; ms: number },
    private readonly tokenizer: ModelTokenizer,
    private readonly weights: PlacedWeights,
    first: { key: string; session: TapSession },
    private readonly threads: number | undefined,
    private readonly maxSessions: number,
    private readonly variant: GraphVariant,
    private readonly modelSha: string | null,
    readonly context: number,
    private readonly checkpoint: Checkpoint,
    readonly dtype: 'F32' | 'F16' | 'BF16',
    private readonly verdicts: VerdictCache,
  ) {
    this.sessions.set(first.key, Promise.resolve(first.session));
  }

  hashes(): Promise<{ model: string; tokenizer: string }> {
    this.hashCache ??= (async () => {
      // the provider choice may have hashed the weights already; else the memo by path, size and mtime spares a 0.5–6 GB read
      const model = this.modelSha ?? (await checkpointSha256(this.checkpoint, this.verdicts));
      const parts = await Promise.all(this.tokenizer.files.map(sha256File));
      // a vocab.json + merges.txt tokenizer is identified by the hash of its two hashes
      const tokenizer = parts.length === 1 ? parts[0]! : createHash('sha256').update(parts.join('\n')).digest('hex');
      return { model, tokenizer };
    })();
    return this.hashCache;
  }

  get addedSpecialTokens(): string[] {
    return this.tokenizer.added;
  }

  tokenize(text: string) {
    return this.tokenizer.tokenize(text);
  }

  private session(request: { norms: string[]; vectors: string[]; logits: boolean }, key: string): Promise<TapSession> {
    const cached = this.sessions.get(key);
    if (cached) {
      // most recently used last: Map keeps insertion order
      this.sessions.delete(key);
      this.sessions.set(key, cached);
      return cached;
    }
    const created = openSession({ config: this.config, weights: this.weights, context: this.context, checkpoint: this.checkpoint, dtype: this.dtype },
      this.executionProvider, this.variant, request, this.threads);
    this.sessions.set(key, created);
    created.catch(() => this.sessions.delete(key));
    while (this.sessions.size > this.maxSessions) {
      const [oldKey, oldest] = this.sessions.entries().next().value!;
      this.sessions.delete(oldKey);
      void oldest.then((s) => s.release(), () => undefined);
    }
    return created;
  }

  async forward(ids: ArrayLike<number>, request: ForwardRequest): Promise<ForwardResult> {
    return (await this.forwardRows([ids], request))[0]!;
  }

  async forwardRows(rows: readonly ArrayLike<number>[], request: ForwardRequest): Promise<ForwardResult[]> {
    if (this.disposed) throw new NormscopeError('BAD_USAGE', 'forward() on a disposed model');
    if (rows.length === 0) return [];
    for (const ids of rows) this.checkIds(ids);
    const norms = [...new Set(request.norms ?? [])], vectors = [...new Set(request.vectors ?? [])], logits = request.logits ?? false;
    const unknown = unknownTaps(this.config, [...norms, ...vectors]);
    if (unknown.length) throw new NormscopeError('BAD_INPUT', `unknown tap(s) for a ${this.config.n_layer}-layer ${this.config.family}: ${unknown.join(', ')}`);
    if (logits && !this.config.tieWordEmbeddings && !this.weights.refs.has(LM_HEAD)) {
      throw new NormscopeError('BAD_INPUT', `this model's LM head is untied and was not loaded: load it with logits: true for logits`);
    }
    if (!norms.length && !vectors.length && !logits) return rows.map(() => ({ norms: new Map(), vectors: new Map() }));
    const { key, fetch } = outputSet({ norms, vectors, logits });
    // one [B, T] input, each row right-padded with its own last id (any id would do: causal attention keeps padding
    // from the real tokens before it); copied now, since the caller may reuse its arrays while this pass waits its turn
    const T = Math.max(...rows.map((ids) => ids.length));
    const input = new Array<number>(rows.length * T);
    rows.forEach((ids, r) => {
      for (let i = 0; i < T; i++) input[r * T + i] = ids[Math.min(i, ids.length - 1)]!;
    });
    const run = this.queue.then(async () => {
      if (this.disposed) throw new NormscopeError('BAD_USAGE', 'forward() on a disposed model');
      return (await this.session({ norms, vectors, logits }, key)).runRows(input, rows.length, fetch);
    });
    this.queue = run.catch(() => undefined);
    const out = await run;
    // each row's part of the outputs, as views: row r's tokens are [r·T, r·T + length) of the B·T positions
    const part = (values: Float32Array, r: number, length: number, width: number) => values.subarray(r * T * width, (r * T + length) * width);
    return rows.map((ids, r) => {
      const result: ForwardResult = {
        norms: new Map(norms.map((t) => [t, part(out.get(normName(t))!, r, ids.length, 1)])),
        vectors: new Map(vectors.map((t) => [t, part(out.get(t)!, r, ids.length, this.config.n_embd)])),
      };
      if (logits) result.logits = part(out.get(LOGITS)!, r, ids.length, this.config.vocab_size);
      return result;
    });
  }

  private checkIds(ids: ArrayLike<number>): void {
    const T = ids.length;
    if (T === 0 || T > this.context) {
      throw new NormscopeError('BAD_INPUT', `forward needs 1 to ${this.context} token ids, got ${T}`);
    }
    for (let i = 0; i < T; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.config.vocab_size) {
        throw new NormscopeError('BAD_INPUT', `token id ${id} at position ${i} is outside the vocabulary 0..${this.config.vocab_size - 1}`);
      }
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.queue;
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((p) => p.then((s) => s.release(), () => undefined)));
  }
}

/** A session on one provider for one output set, with that provider's graph variant. */
function openSession(
  m: Prepared, provider: ExecutionProvider, variant: GraphVariant,
  request: { norms: readonly string[]; vectors: readonly string[]; logits: boolean }, threads: number | undefined,
): Promise<TapSession> {
  const { config, weights, context } = m;
  const source = { graph: buildGraph({ config, weights: weights.refs, ...request, ops: variant, context }), weightsFolder: weights.folder, memoryFiles: weights.memoryFiles };
  return createSession(provider, source, threads === undefined ? {} : { threads });
}

/** What the provider choice needs of a model: how to open sessions on it, and what the probe compares. */
function chooseContext(m: Prepared, options: LoadOptions,
  request: { norms: string[]; vectors: string[]; logits: boolean }): Omit<ChooseContext, 'choice' | 'candidates'> {
  const variant = (p: ExecutionProvider) => graphVariant(p, options.variants);
  const probeRequest = { norms: siteTaps(m.config, SITES), vectors: [] as string[], logits: false };
  return {
    variant,
    modelFile: m.checkpoint.file,
    verdicts: new VerdictCache(options.verdictsDir ?? null),
    shape: { nPositions: m.context, vocabSize: m.config.vocab_size },
    probeFetch: probeRequest.norms.map(normName),
    open: (p, set) => openSession(m, p, variant(p), set === 'probe' ? probeRequest : request, options.threads),
    requestIsProbe: outputSet(request).key === outputSet(probeRequest).key,
    ...(options.threads === undefined ? {} : { settings: { threads: options.threads } }),
  };
}

function checkLoadOptions(o: LoadOptions): void {
  const bad = (message: string) => new NormscopeError('BAD_INPUT', `loadModel: ${message}`);
  if (o.sites && (!o.sites.length || !o.sites.every(isSite))) throw bad(`sites must list some of ${SITES.join(', ')}, got ${JSON.stringify(o.sites)}`);
  const known: readonly string[] = PROVIDERS;
  if (o.providers && (!o.providers.length || !o.providers.every((p) => known.includes(p)))) {
    throw bad(`providers must list some of ${known.join(', ')}, got ${JSON.stringify(o.providers)}`);
  }
  if (o.provider !== undefined && !isProviderChoice(o.provider)) throw bad(`provider must be one of ${PROVIDER_CHOICES.join(', ')}, got ${JSON.stringify(o.provider)}`);
  for (const [p, v] of Object.entries(o.variants ?? {})) {
    if (!known.includes(p) || !['gqa', 'fused', 'standard'].includes(v as string)) throw bad(`variants maps a provider to gqa, fused or standard, got ${p}: ${JSON.stringify(v)}`);
  }
  if (o.threads !== undefined && !(Number.isSafeInteger(o.threads) && o.threads > 0)) throw bad(`threads must be a positive integer, got ${o.threads}`);
  if (o.verdictsDir !== undefined && !(typeof o.verdictsDir === 'string' && o.verdictsDir)) throw bad(`verdictsDir must be a folder path, got ${JSON.stringify(o.verdictsDir)}`);
}

/** A model folder made ready for sessions: description, context, checked checkpoint, weights placed as float32. */
interface Prepared {
  config: ArchitectureDescription;
  dtype: 'F32' | 'F16' | 'BF16';
  context: number;
  checkpoint: Checkpoint;
  weights: PlacedWeights;
}

/** Config, context and memory check, checkpoint headers and every tensor checked, all before the weights are read;
 * `beforeWeights` runs last before that large allocation. */
async function prepare(root: string, options: LoadOptions, beforeWeights: (config: ArchitectureDescription) => Promise<void> = async () => {}): Promise<Prepared> {
  await requireDir(root);
  const config = await readConfig(root);
  const context = resolveContext(config, options.context);
  const logits = options.logits ?? false;
  checkMemory(config, context, path.basename(root), { logits });
  const checkpoint = await readCheckpoint(root);
  // an untied LM head is read (and held) only when logits are asked for
  const entries = resolveWeights(checkpoint.shards, config, { logits });
  await beforeWeights(config);
  return { config, dtype: mainDtype(entries), context, checkpoint, weights: await placeWeights(checkpoint.shards, entries) };
}

/** sha256 of the weights: of model.safetensors, or of a sharded checkpoint's shard hashes joined by newlines, in index order. */
async function checkpointSha256(c: Checkpoint, verdicts: VerdictCache): Promise<string> {
  if (c.shards.length === 1 && c.file === c.shards[0]!.path) return verdicts.fileSha256(c.file);
  const parts: string[] = [];
  for (const shard of c.shards) parts.push(await verdicts.fileSha256(shard.path));
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Loads a GPT-2 model folder (config.json, model.safetensors, tokenizer) and starts a session for the default output set. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<Gpt2Model> {
  checkLoadOptions(options);
  const root = path.resolve(dir);
  let tokenizer: ModelTokenizer | undefined;
  const m = await prepare(root, options, async (config) => {
    tokenizer = await loadTokenizer(root);
    if (tokenizer.maxId >= config.vocab_size) {
      throw new NormscopeError('BAD_TOKENIZER', `${root}: the tokenizer has ids up to ${tokenizer.maxId}, beyond config.json's vocab_size ${config.vocab_size}`, { path: root });
    }
  });
  const { config, weights } = m;
  const request = { norms: siteTaps(config, options.sites ?? SITES), vectors: [] as string[], logits: options.logits ?? false };
  const ctx = chooseContext(m, options, request);
  const chosen = await chooseSession({
    ...ctx,
    choice: providerChoice(options.provider),
    candidates: options.providers ?? preferredProviders(),
  });
  const { session } = chosen;
  const weightBytes = [...weights.refs.values()].reduce((a, r) => a + r.length, 0);
  return new LoadedGpt2(root, config, session.provider, chosen.notes, chosen.reason, { probed: chosen.probed, ms: chosen.probeMs }, tokenizer!,
    weights, { key: outputSet(request).key, session }, options.threads, maxSessions(weightBytes), graphVariant(session.provider, options.variants),
    // the choice hashed the file that keys verdicts: the weights themselves only when they are one file
    m.checkpoint.file === m.checkpoint.shards[0]!.path ? chosen.modelSha : null, m.context, m.checkpoint, m.dtype, ctx.verdicts);
}

/** `normscope providers`: every provider's availability and verdict for a model folder (probing where no verdict is cached). */
export async function surveyModelProviders(dir: string, options: { recheck?: boolean; threads?: number; verdictsDir?: string } = {}): Promise<ProviderRow[]> {
  const root = path.resolve(dir);
  const loadOptions = {
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.verdictsDir === undefined ? {} : { verdictsDir: options.verdictsDir }),
  };
  const m = await prepare(root, loadOptions);
  const request = { norms: siteTaps(m.config, SITES), vectors: [] as string[], logits: false };
  const { requestIsProbe: _r, ...ctx } = chooseContext(m, loadOptions, request);
  return surveyProviders({ ...ctx, ...(options.recheck ? { recheck: true } : {}) });
}
