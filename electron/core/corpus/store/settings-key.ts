// Settings → the one string that says whether two fits are the same fit (results are stored and found under it).
import { COV_TYPES, type Settings } from '../../../../shared/result.js';
import { isSite } from '../../../../shared/taps.js';
import { checkLagSettings } from '../../analysis/index.js';
import { NormscopeError } from '../../errors.js';

/** Settings checked and reduced to what changes a fit (maxlags only matters to HAC). Throws BAD_INPUT. */
export function normalizeSettings(settings: Settings): Settings {
  const { component, lags, start, cov, maxlags } = settings;
  if (!isSite(component)) throw new NormscopeError('BAD_INPUT', `component must be attn, mlp or block, got ${String(component)}`);
  checkLagSettings(lags, start);
  if (!(COV_TYPES as readonly string[]).includes(cov)) throw new NormscopeError('BAD_INPUT', `cov must be one of ${COV_TYPES.join(', ')}, got ${String(cov)}`);
  if (cov !== 'HAC' || maxlags === undefined) return { component, lags, start, cov };
  if (!Number.isInteger(maxlags) || maxlags < 0) throw new NormscopeError('BAD_INPUT', `maxlags must be a whole number ≥ 0, got ${maxlags}`);
  return { component, lags, start, cov, maxlags };
}

/** `attn/lags=2/start=3/cov=nonrobust` (with `/maxlags=N` for HAC when given). */
export function settingsKey(settings: Settings): string {
  const s = normalizeSettings(settings);
  return `${s.component}/lags=${s.lags}/start=${s.start}/cov=${s.cov}` + (s.maxlags === undefined ? '' : `/maxlags=${s.maxlags}`);
}
