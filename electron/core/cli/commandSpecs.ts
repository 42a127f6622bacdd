// Every command's name, one-line summary and flags, in one light module (no model, no figures loaded): each command
// parses its argv with these flags, and `normscope help` and the completion scripts are made from them.
import type { ParseArgsConfig } from 'node:util';
import { EXPORT_FORMATS } from '../../../shared/ipc.js';
import { PROVIDER_CHOICES } from '../../../shared/providers.js';
import { COV_TYPES } from '../../../shared/result.js';
import { SITES } from '../../../shared/taps.js';
import { THEME_NAMES } from '../../../shared/figures/types.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  summary: string;
  options: Options;
  /** values a flag takes, offered by the completion scripts; 'file' and 'dir' complete paths */
  values?: Record<string, readonly string[] | 'file' | 'dir'>;
  /** words that may follow the command (models' verbs, completion's shells) */
  verbs?: readonly string[];
  /** whether the remaining words are paths */
  paths?: boolean;
}

const help = { help: { type: 'boolean', short: 'h' } } as const;

const ANALYZE_OPTIONS = {
  model: { type: 'string' }, component: { type: 'string' }, lags: { type: 'string' }, start: { type: 'string' },
  cov: { type: 'string' }, maxlags: { type: 'string' }, out: { type: 'string' }, csv: { type: 'string' },
  figures: { type: 'string' }, format: { type: 'string' }, combine: { type: 'boolean' }, theme: { type: 'string' },
  width: { type: 'string' }, height: { type: 'string' }, scale: { type: 'string' }, dpi: { type: 'string' },
  'out-dir': { type: 'string' }, shard: { type: 'string' }, shards: { type: 'string' }, provider: { type: 'string' },
  context: { type: 'string' }, 'max-bytes': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' }, verbose: { type: 'boolean' }, ...help,
} as const satisfies Options;

export const COMMAND_SPECS = {
  analyze: {
    summary: 'analyze texts: each layer’s log norms and AR fits, as one JSON document (or a results folder)',
    options: ANALYZE_OPTIONS,
    values: {
      model: 'dir', component: SITES, cov: COV_TYPES, out: 'file', csv: 'file', figures: 'dir', format: EXPORT_FORMATS,
      theme: THEME_NAMES, 'out-dir': 'dir', shard: ['auto'], provider: PROVIDER_CHOICES,
    },
    paths: true,
  },
  compare: {
    summary: 'the same texts through 2–8 models (or finished corpus runs), side by side by relative depth',
    options: {
      ...ANALYZE_OPTIONS, model: { type: 'string', multiple: true }, runs: { type: 'boolean' },
    },
    values: { model: 'dir', component: SITES, cov: COV_TYPES, out: 'file', figures: 'dir', format: EXPORT_FORMATS, theme: THEME_NAMES, provider: PROVIDER_CHOICES },
    paths: true,
  },
  merge: {
    summary: 'merge the results folders of a cluster run’s shards into one',
    options: { 'out-dir': { type: 'string' }, check: { type: 'boolean' }, shards: { type: 'string' }, partial: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, ...help },
    values: { 'out-dir': 'dir' },
    paths: true,
  },
  export: {
    summary: 'a results folder’s tokens and fits as Parquet or CSV tables',
    options: { format: { type: 'string' }, to: { type: 'string' }, ...help },
    values: { format: ['parquet', 'csv'], to: 'dir' },
    paths: true,
  },
  ols: {
    summary: 'one regression, as statsmodels.OLS reports it',
    options: { in: { type: 'string' }, ...help },
    values: { in: 'file' },
  },
  models: {
    summary: 'list, pull, import, remove the models, and choose the default',
    options: { json: { type: 'boolean' }, name: { type: 'string' }, revision: { type: 'string' }, clear: { type: 'boolean' }, ...help },
    verbs: ['list', 'pull', 'import', 'remove', 'default'],
  },
  providers: {
    summary: 'which execution providers (CPU, CUDA, WebGPU, …) this machine can use for a model, and why',
    options: { model: { type: 'string' }, recheck: { type: 'boolean' }, json: { type: 'boolean' }, verbose: { type: 'boolean' }, ...help },
    values: { model: 'dir' },
  },
  help: { summary: 'this list, or one command’s options (normscope help COMMAND)', options: {}, verbs: [] },
  completion: { summary: 'a completion script: eval "$(normscope completion bash)" (or zsh)', options: {}, verbs: ['bash', 'zsh'] },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_SPECS;
export const COMMAND_NAMES = Object.keys(COMMAND_SPECS) as CommandName[];

/** `--model`, `-q`: the flags a command accepts, long and short, sorted. */
export function commandFlags(name: CommandName): string[] {
  const spec: CommandSpec = COMMAND_SPECS[name];
  return Object.entries(spec.options)
    .flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])])
    .sort();
}
