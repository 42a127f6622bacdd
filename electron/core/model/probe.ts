// The parity and timing probe: fixed token ids through a candidate provider's session and the CPU's, every tap's
// log norm compared, and both timed on a representative length. A provider is trusted only on this evidence.
import type { ExecutionProvider } from './types.js';

/** Largest |ln‖tap‖ on the provider − ln‖tap‖ on the CPU| that still counts as the same numbers. */
export const PARITY_LIMIT = 1e-4; // written as 1e-4 in refusedNote

type Run = (ids: ArrayLike<number>, fetch: readonly string[]) => Promise<Map<string, Float32Array>>;

/** Where two sessions differ most: norm output, token position, probe length, difference (Infinity for a non-finite value). */
export interface Worst {
  output: string;
  position: number;
  length: number;
  diff: number;
}

export interface ProbeResult {
  parity: 'pass' | 'fail' | 'unchecked';
  /** the lengths whose parity was compared */
  lengths: number[];
  worst: Worst | null;
  /** best-of-two warm run times at the timing length (one GPU run when it is already twice the CPU's time) */
  speed: { length: number; gpu_ms: number; cpu_ms: number; probe?: 'matmul' } | null;
  /** wall time of the probe itself */
  probe_ms: number;
}

/** The probe lengths: one token, an odd length, and one beyond 64 (the representative length the timing uses too). */
export function probeLengths(nPositions: number): { parity: number[]; timing: number } {
  const timing = Math.min(nPositions, 256);
  return { parity: [...new Set([timing, 1, Math.min(37, nPositions)])], timing };
}

/** Fixed ids spread over the vocabulary (a Weyl sequence), the same on every machine. */
export function probeIds(length: number, vocabSize: number): number[] {
  return Array.from({ length }, (_, i) => (i * 40503 + 7) % vocabSize);
}

/** Compares the log norms of `fetch` outputs, position by position. */
function compare(gpu: Map<string, Float32Array>, cpu: Map<string, Float32Array>, fetch: readonly string[], length: number): Worst {
  let worst: Worst = { output: fetch[0]!, position: 0, length, diff: 0 };
  for (const name of fetch) {
    const g = gpu.get(name)!, c = cpu.get(name)!;
    for (let t = 0; t < length; t++) {
      const d = g[t] === c[t] ? 0 : Math.abs(Math.log(g[t]!) - Math.log(c[t]!));
      const diff = Number.isFinite(d) ? d : Infinity; // a NaN or a zero norm on one side only
      if (diff > worst.diff) worst = { output: name, position: t, length, diff };
    }
  }
  return worst;
}

async function timed(run: Run, ids: number[], fetch: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await run(ids, fetch);
  return performance.now() - t0;
}

/**
 * Runs the probe. `speedFirst` (auto): the timing length's parity and the timing come first, and a provider slower than
 * the CPU is not compared further (auto will not use it anyway). Otherwise every parity length runs, then the timing.
 * Parity stops at the first length over the limit.
 */
export async function runProbe(
  gpu: Run, cpu: Run, fetch: readonly string[], shape: { nPositions: number; vocabSize: number }, speedFirst: boolean,
): Promise<ProbeResult> {
  const t0 = performance.now();
  const { parity: lengths, timing } = probeLengths(shape.nPositions);
  const result: ProbeResult = { parity: 'unchecked', lengths: [], worst: null, speed: null, probe_ms: 0 };
  const check = async (length: number): Promise<boolean> => {
    const ids = probeIds(length, shape.vocabSize);
    const w = compare(await gpu(ids, fetch), await cpu(ids, fetch), fetch, length);
    result.lengths.push(length);
    if (!result.worst || w.diff > result.worst.diff) result.worst = w;
    return w.diff <= PARITY_LIMIT;
  };
  const time = async () => {
    const ids = probeIds(timing, shape.vocabSize);
    const cpuMs = Math.min(await timed(cpu, ids, fetch), await timed(cpu, ids, fetch));
    // a second run only when the first leaves the comparison open (a software adapter costs seconds per run)
    let gpuMs = await timed(gpu, ids, fetch);
    if (gpuMs < 2 * cpuMs) gpuMs = Math.min(gpuMs, await timed(gpu, ids, fetch));
    result.speed = { length: timing, gpu_ms: gpuMs, cpu_ms: cpuMs };
  };
  const finish = () => ({ ...result, probe_ms: performance.now() - t0 });

  // the timing length comes first either way: its first run compiles the provider's kernels for that shape
  if (!(await check(lengths[0]!))) return { ...finish(), parity: 'fail' };
  if (speedFirst) {
    await time();
    if (result.speed!.gpu_ms >= result.speed!.cpu_ms) return finish();
  }
  for (const length of lengths.slice(1)) if (!(await check(length))) return { ...finish(), parity: 'fail' };
  result.parity = 'pass';
  if (!speedFirst) await time();
  return finish();
}

/** `h.1.attn.norm` → `h.1.attn`: the tap a norm output belongs to, as notes name it. */
const tapOf = (output: string) => output.replace(/\.norm$/, '');

const sci = (x: number) => (x === Infinity ? 'a non-finite value' : x.toPrecision(2).replace(/e([+-])(\d)$/, 'e$1$2'));
const ms = (x: number) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const ratio = (s: { gpu_ms: number; cpu_ms: number }) => {
  const r = s.cpu_ms / s.gpu_ms;
  return `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`;
};

/** A parity failure, naming tap, position and difference. */
export function refusedNote(provider: ExecutionProvider, w: Worst): string {
  return `${provider}: refused for this model: its log norms differ from the CPU's by ${sci(w.diff)} at ${tapOf(w.output)}, ` +
    `token ${w.position} of a ${w.length}-token probe (limit 1e-4)`;
}

/** Why auto passed over a provider that reproduces the CPU's numbers (or was not compared further) but is slower. */
export function slowerNote(provider: ExecutionProvider, s: NonNullable<ProbeResult['speed']>): string {
  const on = s.probe === 'matmul' ? 'a 1.1-GFLOP MatMul probe' : `a ${s.length}-token probe`;
  return `${provider}: not chosen by auto: it runs at ${ratio(s)} the CPU's speed on ${on} ` +
    `(${ms(s.gpu_ms)} against ${ms(s.cpu_ms)}), as a software adapter (lavapipe, SwiftShader) or a GPU slower than this CPU does`;
}

/** Why a provider that passed is in use. */
export function passedReason(provider: ExecutionProvider, r: ProbeResult, forced: boolean): string {
  const speed = r.speed ? `; it runs at ${ratio(r.speed)} the CPU's speed on a ${r.speed.length}-token probe` : '';
  const head = forced ? `${provider}, as asked` : `${provider}, chosen by auto`;
  return `${head}: it reproduces the CPU's log norms within ${sci(r.worst?.diff ?? 0)} at ${r.lengths.length} probe lengths${speed}`;
}
