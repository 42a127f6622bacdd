// Throughput of the OLS engine on the analysis' shape: the AR(2) design of a ~900-token document
// (900 × 3). Run: npx tsx test/stats/ols.bench.ts. Prints fits per CPU-second; not a test.
import { fitOls } from '../../electron/core/stats/index.js';

const T = 903;
let state = 42;
const uniform = (): number => (state = (1664525 * state + 1013904223) % 2 ** 32) / 2 ** 32;
const series = new Float64Array(T);
for (let t = 0; t < T; t++) series[t] = (t > 1 ? 0.4 * series[t - 1]! + 0.2 * series[t - 2]! : 0) + uniform();
const y = series.slice(3);
const X = Array.from({ length: T - 3 }, (_, i) => Float64Array.of(1, series[i + 2]!, series[i + 1]!));

// CPU time of this process (process.cpuUsage) rather than wall time: the build machines are shared,
// and CPU time does not count the waits for a core
function rate(label: string, run: () => unknown, seconds = 1.5): number {
  for (let i = 0; i < 200; i++) run(); // warm up the JIT
  let n = 0;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - wall < seconds * 1000) {
    run();
    n++;
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const perSecond = (n / cpuMs) * 1000;
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(0).padStart(7)} fits per CPU-second  (${(cpuMs / n).toFixed(3)} ms each)`);
  return perSecond;
}

const base = rate('fit + params/bse (900×3)', () => fitOls(y, X).bse);
const full = rate('fit + toJSON, nonrobust (every field)', () => fitOls(y, X).toJSON());
const hc3 = rate('fit + toJSON, HC3', () => fitOls(y, X, { cov: 'HC3' }).toJSON());
const hac = rate('fit + toJSON, HAC maxlags 2', () => fitOls(y, X, { cov: 'HAC', maxlags: 2 }).toJSON());
console.log(`full JSON costs ${(base / full).toFixed(2)}× a bare fit; HC3 ${(base / hc3).toFixed(2)}×, HAC ${(base / hac).toFixed(2)}×`);
console.log(`a 12-layer document (12 fits, full JSON): ${((12 / full) * 1000).toFixed(2)} ms`);
