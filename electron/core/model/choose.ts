// Picks the execution provider a model runs on, the one code path for the CLI, the app and the corpus worker: a GPU
// provider is used only once the probe (or its cached verdict) shows it reproduces the CPU's log norms, and `auto`
// only uses one that is also faster than the CPU. Every provider passed over gets a note saying why.
import { NormscopeError } from '../errors.js';
import { passedReason, refusedNote, runProbe, slowerNote } from './probe.js';
import { PROVIDERS, unavailable } from './providers.js';
import { firstLine, matmulMs, type SessionSettings, type TapSession } from './session.js';
import { matmulMsIsolated } from './matmulProbeChild.js';
import type { ExecutionProvider, GraphVariant, ProviderChoice } from './types.js';
import { cachedVerdict, fileSha256, storeVerdict, type Verdict, type VerdictKey } from './verdicts.js';

export interface ChooseContext {
  choice: ProviderChoice;
  /** what auto tries, in order */
  candidates: readonly ExecutionProvider[];
  variant: (p: ExecutionProvider) => GraphVariant;
  /** the weights file whose sha256 keys the verdicts */
  modelFile: string;
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
    return { verdict: await storeVerdict({ provider: p, variant: ctx.variant(p), model_sha256: sha }, result), gpu };
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
  const cached = ctx.recheck ? null : await cachedVerdict(key);
  if (cached?.speed) return { verdict: cached, fresh: false };
  const t0 = performance.now();
  try {
    // one timed run: the margin is wide, and a software adapter spends a second on each
    const gpu = await matmulMsIsolated(p);
    const cpu = await matmulMs('cpu', ctx.settings);
    const speed = { length: 128, gpu_ms: gpu, cpu_ms: cpu, probe: 'matmul' as const };
    return { verdict: await storeVerdict(key, { parity: 'unchecked', lengths: [], worst: null, speed, probe_ms: performance.now() - t0 }), fresh: true };
  } catch (e) {
    return { error: `${p}: could not start: ${firstLine(e)}` };
  }
}

export async function chooseSession(ctx: ChooseContext): Promise<Chosen> {
  const forced = ctx.choice !== 'auto';
  const candidates = forced ? [ctx.choice as ExecutionProvider] : ctx.candidates;
  const notes: string[] = [];
  const probed: ExecutionProvider[] = [];
  let probeMs = 0;
  let sha: string | null = null;
  let cpuRef: Promise<TapSession> | null = null;
  const cpu = () => (cpuRef ??= ctx.open('cpu', 'probe'));
  const fail = (code: 'PROVIDER_FAILED' | 'PROVIDER_REFUSED', note: string) =>
    new NormscopeError(code, `provider ${ctx.choice} was asked for and cannot be used: ${note}`, { provider: ctx.choice, note });
  let chosen: { session: TapSession; reason: string } | null = null;

  try {
    for (const p of candidates) {
      if (p === 'cpu') {
        try {
          const ref = cpuRef ? await cpuRef : null;
          const session = ref && ctx.requestIsProbe ? ref : await ctx.open('cpu', 'request');
          if (session === ref) cpuRef = null; // kept as the model's session
          const why = forced ? 'cpu, as asked' : `cpu, chosen by auto: ${notes.length ? 'no GPU provider passed (see the notes)' : 'no GPU provider to try'}`;
          chosen = { session, reason: why };
          break;
        } catch (e) {
          notes.push(`cpu: could not start: ${firstLine(e)}`);
          if (forced) throw fail('PROVIDER_FAILED', notes.at(-1)!);
          continue;
        }
      }
      const missing = unavailable(p);
      if (missing) {
        if (forced) throw fail('PROVIDER_FAILED', missing);
        notes.push(missing);
        continue;
      }
      if (!forced) {
        // the model-independent screen comes first, so a machine with no usable adapter never hashes the weights
        const screen = await adapterScreen(ctx, p);
        if ('error' in screen) {
          notes.push(screen.error);
          continue;
        }
        if (screen.fresh) {
          probed.push(p);
          probeMs += screen.verdict.probe_ms;
        }
        const s = screen.verdict.speed!;
        if (s.gpu_ms > ADAPTER_MARGIN * s.cpu_ms) {
          notes.push(slowerNote(p, s) + (screen.fresh ? '' : cachedSuffix(screen.verdict)));
          continue;
        }
      }
      sha ??= await fileSha256(ctx.modelFile);
      const cached = ctx.recheck ? null : await cachedVerdict({ provider: p, variant: ctx.variant(p), model_sha256: sha });
      let verdict: Verdict, gpu: TapSession | null = null, suffix = '';
      if (cached && answers(cached, forced)) {
        verdict = cached;
        suffix = cachedSuffix(cached);
      } else {
        const r = await probe(ctx, p, sha, cpu, forced);
        if ('error' in r) {
          if (forced) throw fail('PROVIDER_FAILED', r.error);
          notes.push(r.error);
          continue;
        }
        ({ verdict, gpu } = r);
        if (!probed.includes(p)) probed.push(p);
        probeMs += verdict.probe_ms;
      }
      if (!usable(verdict, forced)) {
        await gpu?.release();
        const note = refusal(p, verdict) + suffix;
        if (forced) throw fail(verdict.parity === 'fail' ? 'PROVIDER_REFUSED' : 'PROVIDER_FAILED', note);
        notes.push(note);
        continue;
      }
      try {
        let session = gpu;
        if (session && !ctx.requestIsProbe) {
          await session.release();
          session = null;
        }
        chosen = { session: session ?? (await ctx.open(p, 'request')), reason: passedReason(p, verdict, forced) + suffix };
        break;
      } catch (e) {
        const note = `${p}: could not start: ${firstLine(e)}`;
        if (forced) throw fail('PROVIDER_FAILED', note);
        notes.push(note);
      }
    }
  } finally {
    if (cpuRef) void (cpuRef as Promise<TapSession>).then((s) => s.release(), () => undefined);
  }
  if (!chosen) throw new NormscopeError('PROVIDER_FAILED', `no execution provider could start the model (${notes.join('; ')})`, { notes });
  return { ...chosen, notes, probed, probeMs, modelSha: sha };
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
      const sha = await fileSha256(ctx.modelFile);
      const cached = ctx.recheck ? null : await cachedVerdict({ provider: p, variant: ctx.variant(p), model_sha256: sha });
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
