// Test designs shared by the stats tests: the reference fixtures, read from disk, and the two
// stress designs of fixtures/make-precise-cases.py, regenerated here bit for bit from its LCG.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(here, '../../../shared');

export function readJson<T = any>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
export const fixture = <T = any>(name: string): T => readJson<T>(path.join(here, 'fixtures', name));
export const shared = <T = any>(name: string): T => readJson<T>(path.join(SHARED, name));

/** statsmodels' JSON as written by the fixture generators: "NaN", "Infinity", "-Infinity" as strings. */
export function decode(v: unknown): any {
  if (Array.isArray(v)) return v.map(decode);
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

/** x ← (1664525·x + 1013904223) mod 2³², uniform = x / 2³²: exact in binary64, as in the Python generator. */
class Lcg {
  constructor(private state: number) {}
  uniform(): number {
    this.state = (1664525 * this.state + 1013904223) % 2 ** 32;
    return this.state / 2 ** 32;
  }
  noise(): number {
    return this.uniform() + this.uniform() + (this.uniform() + this.uniform()) - 2.0;
  }
}

export interface Regression {
  y: number[];
  X: number[][];
}

/** 3000 rows, columns [1, 1e6·u, 1e-6·z, 1e3·v]. */
export function scaledColumns(): Regression {
  const g = new Lcg(12345);
  const y: number[] = [];
  const X: number[][] = [];
  for (let i = 0; i < 3000; i++) {
    const u = g.uniform() * 10.0;
    const z = g.noise();
    const v = g.uniform() - 0.5;
    const e = g.noise();
    X.push([1.0, u * 1e6, z * 1e-6, v * 1e3]);
    y.push(1.0 + 2.0 * u + 0.3 * z - 4.0 * v + 0.1 * e);
  }
  return { y, X };
}

/** 200 rows, columns [1, z, z + 1e-4·z']. */
export function nearCollinear(): Regression {
  const g = new Lcg(777);
  const y: number[] = [];
  const X: number[][] = [];
  for (let i = 0; i < 200; i++) {
    const z = g.noise();
    const dz = g.noise();
    const e = g.noise();
    const x2 = z + 1e-4 * dz;
    X.push([1.0, z, x2]);
    y.push(1.0 + z + x2 + e);
  }
  return { y, X };
}

/** The notebook's AR(2) design from one tap's log norms: y[t] = ln[t], X = [1, ln[t-1], ln[t-2]], t = 3…T-1. */
export function ar2Design(logNorms: number[]): Regression {
  const y: number[] = [];
  const X: number[][] = [];
  for (let t = 3; t < logNorms.length; t++) {
    y.push(logNorms[t]!);
    X.push([1, logNorms[t - 1]!, logNorms[t - 2]!]);
  }
  return { y, X };
}
