// The bench scripts' flags, read by Node's util.parseArgs: `count` a positive whole number, `text` a string (a folder,
// a provider), `flag` a switch. A bad flag ends the script with its usage line.
import { parseArgs } from 'node:util';

export const count = (fallback) => ({ kind: 'count', fallback });
export const text = (fallback) => ({ kind: 'text', fallback });
export const flag = () => ({ kind: 'flag', fallback: false });

/** Each flag of `spec` (name → count/text/flag) from argv, else its fallback; `usage` is the line a bad flag is told with. */
export function benchArgs(argv, spec, usage) {
  const options = Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, { type: s.kind === 'flag' ? 'boolean' : 'string' }]));
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new Error(`usage: ${usage} (${e.message})`);
  }
  const out = {};
  for (const [key, s] of Object.entries(spec)) {
    const value = values[key];
    if (value === undefined || s.kind !== 'count') {
      out[key] = value ?? s.fallback;
      continue;
    }
    out[key] = Number(value);
    if (!(Number.isSafeInteger(out[key]) && out[key] > 0)) throw new Error(`--${key} needs a positive whole number, got ${value}`);
  }
  return out;
}
