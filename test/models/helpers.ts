// What the models tests share: the typed error a promise rejects with, and `normscope models …` run in-process.
import { vi } from 'vitest';
import { modelsCommand } from '../../electron/core/cli/models.js';
import { isNormscopeError, type NormscopeError } from '../../electron/core/errors.js';

/** The NormscopeError `p` rejects with (anything else fails the test). */
export async function rejection(p: Promise<unknown>): Promise<NormscopeError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isNormscopeError(e)) throw new Error(`expected a NormscopeError, got ${String(e)}`);
  return e;
}

/** `normscope models ARGV…` in-process: its exit status and what it wrote to stdout and stderr. */
export async function runModels(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await modelsCommand(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
