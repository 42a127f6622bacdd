// Picks the execution provider a model runs on, the one code path for the CLI, the app and the corpus worker: a GPU
// provider is used only once the probe (or its cached verdict) shows it reproduces the CPU's log norms, and `auto`
// only uses one that is also faster than the CPU. Every provider passed over gets a note saying why.
import { NormscopeError } from '../errors.js';
import { passedReason, refusedNote, runProbe, slowerNote } from './probe.js';
import { PROVIDERS, unavailable } from './providers.js';
import { firstLine, matmulMs, type SessionSettings, type TapSession } from './session.js';
import { matmulMsIsolated } from './matmulProbeChild.js';
import type { ExecutionProvider, GraphVariant, ProviderChoice } from './types.js';
import type { Verdict, VerdictCache, VerdictKey } from './verdicts.js';

export interface ChooseContext {
  choice: ProviderChoice;
  /** what auto tries, in order */
  candidates: readonly ExecutionProvider[];
  variant: (p: ExecutionProvider) => GraphVariant;
  /** the weights file whose sha256 keys the verdicts */
  modelFile: string;
  /** where verdicts and weight hashes are kept (the caller's folder, or this process) */
  verdicts: VerdictCache;
  shape: { nPositions: number; vocabSize: number };
  /** every tap's norm output: what the probe compares */
  probeFetch: readonly string[];
  /** a session on a provider, for the probe's output set or the load's own request */
  open: (p: ExecutionProvider, set: 'probe' | 'request') => Promise<TapSession>;
  /** the load's request is the probe's output set, so a probed session can be kept */
  requestIsProbe: boolean;
  /** ignore cached verdicts (`normscope providers --recheck`) */
  recheck?: boolean;
  /** the CPU session's settings (threads), for the adapter probe's CPU side */
  settings?: SessionSettings;
}

/** The adapter probe refuses only a provider this many times slower than the CPU on plain MatMuls (a software adapter
 * is 10× or more); closer calls go to the model's own timing probe. */
const ADAPTER_MARGIN = 3;

export interface Chosen {
  session: TapSession;
  notes: string[];
  reason: string;
  probed: ExecutionProvider[];
  probeMs: number;
  /** sha256 of the weights, when a verdict needed it */
  modelSha: string | null;
}

const slower = (v: Verdict) => v.speed !== null && v.speed.gpu_ms >= v.speed.cpu_ms;
const usable = (v: Verdict, forced: boolean) => v.parity === 'pass' && (forced || (v.speed !== null && !slower(v)));
/** Whether a verdict answers the question this load asks (forced: parity; auto: parity and speed). */
const answers = (v: Verdict, forced: boolean) => v.parity === 'fail' || (v.parity === 'pass' && (forced || v.speed !== null)) || (!forced && slower(v));
const cachedSuffix = (v: Verdict) => ` (verdict cached ${v.checked.slice(0, 10)})`;
const refusal = (p: ExecutionProvider, v: Verdict) => (v.parity === 'fail' ? refusedNote(p, v.worst!) : slowerNote(p, v.speed!));

/** Runs the probe on one provider (its session on the probe's output set is returned open, or null when it did not start). */
async function probe(ctx: ChooseContext, p: ExecutionProvider, sha: string, cpu: () => Promise<TapSession>, forced: boolean):
  Promise<{ verdict: Verdict; gpu: TapSession } | { error: string }> {
  let gpu: TapSession;
  try {
    gpu = await ctx.open(p, 'probe');
  } catch (e) {
    return { error: `${p}: could not start: ${firstLine(e)}` };
  }
  try {
    const cpuSession = await cpu();
    const result = await runProbe(gpu.run.bind(gpu), cpuSession.run.bind(cpuSession), ctx.probeFetch, ctx.shape, !forced);
    return { verdict: await ctx.verdicts.store({ provider: p, variant: ctx.variant(p), model_sha256: sha }, result), gpu };
  } catch (e) {
    await gpu.release().catch(() => undefined);
    return { error: `${p}: failed during the parity probe: ${firstLine(e)}` };
  }
}

/** Where the adapter screen's verdict is cached: per provider and versions, under no model. */
export const adapterScreenKey = (provider: ExecutionProvider, variant: GraphVariant): VerdictKey => ({ provider, variant, model_sha256: 'adapter-matmul-probe' });

/** Auto's first, model-independent look at a provider: MatMul time against the CPU's, cached per provider and versions. */
async function adapterScreen(ctx: ChooseContext, p: ExecutionProvider): Promise<{ verdict: Verdict; fresh: boolean } | { error: string }> {
  const key = adapterScreenKey(p, ctx.variant(p));
  const cached = ctx.recheck ? null : await ctx.verdicts.cached(key);
  if (cached?.speed) return { verdict: cached, fresh: false };
  const t0 = performance.now();
  try {
    // one timed run: the margin is wide, and a software adapter spends a second on each
    const gpu = await matmulMsIsolated(p);
    const cpu = await matmulMs('cpu', ctx.settings);
    const speed = { length: 128, gpu_ms: gpu, cpu_ms: cpu, probe: 'matmul' as const };
    return { verdict: await ctx.verdicts.store(key, { parity: 'unchecked', lengths: [], worst: null, speed, probe_ms: performance.now() - t0 }), fresh: true };
  } catch (e) {
    return { error: `${p}: could not start: ${firstLine(e)}` };
  }
}

/** What one chooseSession run has gathered so far: notes on the providers passed over, the probes run and their cost,
 * the weights' sha256 once a verdict needed it, and the CPU session the probes compare against. */
interface Run {
  ctx: ChooseContext;
  forced: boolean;
  notes: string[];
  probed: ExecutionProvider[];
  probeMs: number;
  sha: string | null;
  cpuRef: Promise<TapSession> | null;
}

const cpuOf = (run: Run): Promise<TapSession> => (run.cpuRef ??= run.ctx.open('cpu', 'probe'));

const fail = (ctx: ChooseContext, code: 'PROVIDER_FAILED' | 'PROVIDER_REFUSED', note: string) =>
  new NormscopeError(code, `provider ${ctx.choice} was asked for and cannot be used: ${note}`, { provider: ctx.choice, note });

type Picked = { session: TapSession; reason: string } | null;

/** The CPU as the model's session (the probes' CPU session kept when the request is the probe's set); null, noted,
 * when it does not start under auto. */
async function tryCpu(run: Run): Promise<Picked> {
  try {
    const ref = run.cpuRef ? await run.cpuRef : null;
    const session = ref && run.ctx.requestIsProbe ? ref : await run.ctx.open('cpu', 'request');
    if (session === ref) run.cpuRef = null; // kept as the model's session
    const why = run.forced ? 'cpu, as asked' : `cpu, chosen by auto: ${run.notes.length ? 'no GPU provider passed (see the notes)' : 'no GPU provider to try'}`;
    return { session, reason: why };
  } catch (e) {
    run.notes.push(`cpu: could not start: ${firstLine(e)}`);
    if (run.forced) throw fail(run.ctx, 'PROVIDER_FAILED', run.notes.at(-1)!);
    return null;
  }
}

/** Auto's adapter screen: whether p may go on to the model's own probe (a note says why not). */
async function passesScreen(run: Run, p: ExecutionProvider): Promise<boolean> {
  const screen = await adapterScreen(run.ctx, p);
  if ('error' in screen) {
    run.notes.push(screen.error);
    return false;
  }
  if (screen.fresh) {
    run.probed.push(p);
    run.probeMs += screen.verdict.probe_ms;
  }
  const s = screen.verdict.speed!;
  if (s.gpu_ms > ADAPTER_MARGIN * s.cpu_ms) {
    run.notes.push(slowerNote(p, s) + (screen.fresh ? '' : cachedSuffix(screen.verdict)));
    return false;
  }
  return true;
}

/** p's verdict on this model: the cached one when it answers, else a probe's (with p's probe session, left open);
 * null, noted, when the probe fails under auto. */
async function modelVerdict(run: Run, p: ExecutionProvider): Promise<{ verdict: Verdict; gpu: TapSession | null; suffix: string } | null> {
  const { ctx } = run;
  run.sha ??= await ctx.verdicts.fileSha256(ctx.modelFile);
  const cached = ctx.recheck ? null : await ctx.verdicts.cached({ provider: p, variant: ctx.variant(p), model_sha256: run.sha });
  if (cached && answers(cached, run.forced)) return { verdict: cached, gpu: null, suffix: cachedSuffix(cached) };
  const r = await probe(ctx, p, run.sha, () => cpuOf(run), run.forced);
  if ('error' in r) {
    if (run.forced) throw fail(ctx, 'PROVIDER_FAILED', r.error);
    run.notes.push(r.error);
    return null;
  }
  if (!run.probed.includes(p)) run.probed.push(p);
  run.probeMs += r.verdict.probe_ms;
  return { verdict: r.verdict, gpu: r.gpu, suffix: '' };
}

/** A GPU provider as the model's session once its verdict allows it; null, noted, when auto passes over it. */
async function tryGpu(run: Run, p: ExecutionProvider): Promise<Picked> {
  const { ctx, forced } = run;
  const missing = unavailable(p);
  if (missing) {
    if (forced) throw fail(ctx, 'PROVIDER_FAILED', missing);
    run.notes.push(missing);
    return null;
  }
  // the model-independent screen comes first, so a machine with no usable adapter never hashes the weights
  if (!forced && !(await passesScreen(run, p))) return null;
  const v = await modelVerdict(run, p);
  if (!v) return null;
  const { verdict, gpu, suffix } = v;
  if (!usable(verdict, forced)) {
    await gpu?.release();
    const note = refusal(p, verdict) + suffix;
    if (forced) throw fail(ctx, verdict.parity === 'fail' ? 'PROVIDER_REFUSED' : 'PROVIDER_FAILED', note);
    run.notes.push(note);
    return null;
  }
  try {
    let session = gpu;
    if (session && !ctx.requestIsProbe) {
      await session.release();
      session = null;
    }
    return { session: session ?? (await ctx.open(p, 'request')), reason: passedReason(p, verdict, forced) + suffix };
  } catch (e) {
    const note = `${p}: could not start: ${firstLine(e)}`;
    if (forced) throw fail(ctx, 'PROVIDER_FAILED', note);
    run.notes.push(note);
    return null;
  }
}

export async function chooseSession(ctx: ChooseContext): Promise<Chosen> {
  const forced = ctx.choice !== 'auto';
  const run: Run = { ctx, forced, notes: [], probed: [], probeMs: 0, sha: null, cpuRef: null };
  let chosen: Picked = null;
  try {
    for (const p of forced ? [ctx.choice as ExecutionProvider] : ctx.candidates) {
      chosen = p === 'cpu' ? await tryCpu(run) : await tryGpu(run, p);
      if (chosen) break;
    }
  } finally {
    if (run.cpuRef) void (run.cpuRef as Promise<TapSession>).then((s) => s.release(), () => undefined);
  }
  if (!chosen) throw new NormscopeError('PROVIDER_FAILED', `no execution provider could start the model (${run.notes.join('; ')})`, { notes: run.notes });
  return { ...chosen, notes: run.notes, probed: run.probed, probeMs: run.probeMs, modelSha: run.sha };
}

/** One row of `normscope providers`. */
export interface ProviderRow {
  provider: ExecutionProvider;
  available: boolean;
  /** pass / fail / unchecked (cpu: the reference) */
  parity: 'pass' | 'fail' | 'unchecked' | 'reference';
  max_diff: number | null;
  /** the provider's speed over the CPU's on the timing probe (> 1: faster) */
  speed_vs_cpu: number | null;
  /** whether auto would use it (before the CPU) */
  auto: boolean;
  source: 'cache' | 'probe' | null;
  reason: string;
}

/** Every provider's availability and verdict for one model, probing those without a cached one. */
export async function surveyProviders(ctx: Omit<ChooseContext, 'choice' | 'candidates' | 'requestIsProbe'>): Promise<ProviderRow[]> {
  const rows: ProviderRow[] = [];
  let cpuRef: Promise<TapSession> | null = null;
  const cpu = () => (cpuRef ??= ctx.open('cpu', 'probe'));
  const c: ChooseContext = { ...ctx, choice: 'auto', candidates: [], requestIsProbe: true };
  try {
    let sha: string | undefined;
    for (const p of PROVIDERS) {
      const base = { provider: p, max_diff: null, speed_vs_cpu: null, source: null, auto: false };
      if (p === 'cpu') {
        rows.push({ ...base, available: true, parity: 'reference', speed_vs_cpu: 1, reason: 'the reference every other provider is checked against' });
        continue;
      }
      const missing = unavailable(p);
      if (missing) {
        rows.push({ ...base, available: false, parity: 'unchecked', reason: missing });
        continue;
      }
      // hashed once, for the first provider that needs it (a memo lookup after, but no reason to ask per provider)
      sha ??= await ctx.verdicts.fileSha256(ctx.modelFile);
      const cached = ctx.recheck ? null : await ctx.verdicts.cached({ provider: p, variant: ctx.variant(p), model_sha256: sha });
      let verdict: Verdict, source: 'cache' | 'probe' = 'cache';
      if (cached && answers(cached, true) && cached.speed) verdict = cached;
      else {
        const r = await probe(c, p, sha, cpu, true);
        if ('error' in r) {
          rows.push({ ...base, available: true, parity: 'unchecked', reason: r.error });
          continue;
        }
        await r.gpu.release();
        ({ verdict } = r);
        source = 'probe';
      }
      const auto = usable(verdict, false);
      rows.push({
        ...base, available: true, parity: verdict.parity, source, auto,
        max_diff: verdict.worst?.diff ?? null,
        speed_vs_cpu: verdict.speed ? verdict.speed.cpu_ms / verdict.speed.gpu_ms : null,
        reason: auto || (verdict.parity === 'pass' && !verdict.speed) ? passedReason(p, verdict, false) : refusal(p, verdict),
      });
    }
  } finally {
    if (cpuRef) void (cpuRef as Promise<TapSession>).then((s) => s.release(), () => undefined);
  }
  // auto's last resort
  rows.find((r) => r.provider === 'cpu')!.auto = !rows.some((r) => r.auto);
  return rows;
}
