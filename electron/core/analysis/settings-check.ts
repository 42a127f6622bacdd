// One check of analysis settings for every caller, the app's IPC requests and the CLI's flags alike: the same rules
// and the same upper bounds (SETTINGS_LIMITS of shared/ipc.ts), so a setting the app refuses the CLI refuses too.
// Also the small typed checks the app's request validators build on.
import { SETTINGS_LIMITS } from '../../../shared/ipc.js';
import { COV_TYPES, type Settings } from '../../../shared/result.js';
import { isSite } from '../../../shared/taps.js';
import { NormscopeError } from '../errors.js';

export function bad(message: string): never {
  throw new NormscopeError('BAD_INPUT', message);
}

export function record(raw: unknown, where: string, keys: { required: readonly string[]; optional?: readonly string[] }): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad(`${where}: expected an object`);
  const r = raw as Record<string, unknown>;
  const allowed = new Set([...keys.required, ...(keys.optional ?? [])]);
  for (const k of Object.keys(r)) if (!allowed.has(k)) bad(`${where}: unexpected field '${k}'`);
  for (const k of keys.required) if (!(k in r)) bad(`${where}: missing field '${k}'`);
  return r;
}

export function oneOf<T extends string>(v: unknown, options: readonly T[], where: string): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) bad(`${where} must be one of ${options.join(', ')}`);
  return v as T;
}

export function int(v: unknown, lo: number, hi: number, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) bad(`${where} must be a whole number from ${lo} to ${hi}`);
  return v;
}

/** Checks settings (the fields named `settings.*` in its messages); throws BAD_INPUT. */
export function validateSettings(raw: unknown): Settings {
  const r = record(raw, 'settings', { required: ['component', 'lags', 'start', 'cov'], optional: ['maxlags'] });
  if (!isSite(r.component)) bad('settings.component must be one of attn, mlp, block');
  const lags = int(r.lags, 1, SETTINGS_LIMITS.lagsMax, 'settings.lags');
  const start = int(r.start, 0, SETTINGS_LIMITS.startMax, 'settings.start');
  if (start < lags) bad(`settings.start must be at least settings.lags (${lags}): the first outcome needs ${lags} earlier tokens`);
  const cov = oneOf(r.cov, COV_TYPES, 'settings.cov');
  const settings: Settings = { component: r.component, lags, start, cov };
  if (r.maxlags !== undefined) {
    if (cov !== 'HAC') bad('settings.maxlags applies to the HAC covariance only');
    settings.maxlags = int(r.maxlags, 0, SETTINGS_LIMITS.maxlagsMax, 'settings.maxlags');
  }
  return settings;
}
