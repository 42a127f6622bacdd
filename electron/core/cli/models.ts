// `normscope models list | pull NAME | import DIR | remove NAME | default [NAME]`: the model library from a terminal.
// Results on stdout, progress and errors on stderr. Exit 0 ok, 1 the operation failed (download errors, cancel),
// 2 bad usage or an unusable model.
import { formatBytes } from '../../../shared/bytes.js';
import { ProgressLine, clock } from '../terminal/progress-line.js';
import { isNormscopeError, NormscopeError } from '../errors.js';
import { withErrorPolicy } from '../errorPolicy.js';
import { parseCommandArgs } from './args.js';
import { COMMAND_SPECS } from './commandSpecs.js';
import {
  getDefaultModel,
  hfHubCache,
  importModel,
  listModels,
  modelSettingsPath,
  pull,
  removeModel,
  resolveModel,
  setDefaultModel,
  type ModelListing,
  type PullProgress,
} from '../models/index.js';

const USAGE = `usage: normscope models list [--json]
       normscope models pull NAME [--revision REV]
       normscope models import DIR [--name NAME]
       normscope models remove NAME
       normscope models default [NAME | --clear]
  NAME      gpt2, gpt2-medium, gpt2-large, gpt2-xl, distilgpt2, a hub id ORG/NAME (any supported family: llama,
            mistral, qwen2, qwen3, gpt_neox, gemma2, gemma3), an imported name, or demo
  list      every model with family, parameters, dtype, size on disk and the float32 memory it needs; installed,
            suggested ones available to pull, imported; * marks the one used when none is named
  pull      download into the Hugging Face cache (shared with Python): config.json first, refused before any weight
            (unsupported family or field, or more memory than this machine has); an interrupted pull resumes; Ctrl-C
            pauses. Gated repositories (Llama, Gemma): accept the licence on the hub, then set HF_TOKEN
  import    register a local model folder (config.json, safetensors weights, tokenizer) in place, after checking it
  remove    forget an import (its folder stays), or delete a downloaded model from the Hugging Face cache
  default   show, set or --clear the model used when none is named
`;

// a terminal column: one decimal up to MB, two from GB
const bytes = (n: number | null): string => formatBytes(n, { empty: '–', decimals: [1, 1, 2, 2] });

function count(n: number | null): string {
  if (n === null) return '–';
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${Math.round(n / 1e6)}M` : `${Math.round(n / 1e3)}k`;
}

function where(m: ModelListing): string {
  if (m.demo) return m.label;
  if (m.status === 'available') return `${m.repo} · pull to download${m.gated ? ' (gated: accept the licence on the hub, then set HF_TOKEN)' : ''}${m.note ? ` (${m.note})` : ''}`;
  const at = m.kind === 'imported' ? `imported: ${m.dir}` : `Hugging Face cache: ${m.repo}${m.revision ? ` @ ${m.revision.slice(0, 7)}` : ''}`;
  return m.note ? `${at} (${m.note})` : at;
}

/** The list as a table: name, status, family, parameters, dtype, size (on disk, else ≈ the download), float32 memory, where from. */
export function formatModelTable(models: ModelListing[]): string {
  const rows = models.map((m) => [
    `${m.isDefault ? '*' : ' '} ${m.name}`, m.status, m.family ?? '–', count(m.params), m.dtype?.toLowerCase() ?? '–',
    m.diskBytes !== null ? bytes(m.diskBytes) : m.downloadBytes !== null ? `≈${bytes(m.downloadBytes)}` : '–', bytes(m.memoryBytes), where(m),
  ]);
  const head = ['  NAME', 'STATUS', 'FAMILY', 'PARAMS', 'DTYPE', 'SIZE', 'MEMORY', 'WHERE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n') + '\n';
}

/** `model.safetensors  45%  246.6/548.1 MB  12.3 MB/s  ETA 0:24` */
export function formatPullProgress(p: PullProgress): string {
  if (p.phase !== 'downloading') return `${p.repo}: ${p.phase}${p.file ? ` ${p.file}` : ''}`;
  const pct = p.total > 0 ? Math.floor((100 * p.bytes) / p.total) : 0;
  const rate = p.rate > 0 ? `${bytes(Math.round(p.rate))}/s` : '–/s';
  const eta = p.etaSeconds === null ? 'ETA –' : `ETA ${clock(p.etaSeconds)}`;
  return `${p.repo}: ${p.file}  ${pct}%  ${bytes(p.bytes)} of ${bytes(p.total)}  ${rate}  ${eta}`;
}

/** Pull progress on the one progress line: a new phase or file is always shown, bytes at most as often as it allows. */
function pullProgressLine(stream: NodeJS.WriteStream) {
  const line = new ProgressLine(stream);
  let lastStep = '';
  return {
    update(p: PullProgress) {
      const step = `${p.phase} ${p.file}`;
      line.show(formatPullProgress(p), step !== lastStep);
      lastStep = step;
    },
    end: () => line.end(),
  };
}

async function runPull(name: string, revision: string | undefined): Promise<number> {
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  const printer = pullProgressLine(process.stderr);
  try {
    const r = await pull(name, { revision, signal: controller.signal, keepPartial: true, onProgress: (p) => printer.update(p) });
    printer.end();
    const fetched = r.files.filter((f) => f.status !== 'cached').length;
    process.stdout.write(`${r.name}: ${r.repo} @ ${r.revision} in ${r.dir}\n`);
    process.stderr.write(`normscope: ${fetched ? `downloaded ${bytes(r.downloadedBytes)} (${fetched} file${fetched > 1 ? 's' : ''})` : 'already in the cache, nothing downloaded'}\n`);
    return 0;
  } catch (e) {
    printer.end();
    throw e;
  } finally {
    process.off('SIGINT', onInt);
  }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, COMMAND_SPECS.models.options);
  const [verb, ...args] = positionals;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const one = (what: string): string => {
    if (args.length !== 1) throw new NormscopeError('BAD_USAGE', `${verb} takes one ${what}`);
    return args[0]!;
  };
  switch (verb) {
    case 'list': {
      if (args.length) throw new NormscopeError('BAD_USAGE', 'list takes no arguments');
      const models = await listModels();
      if (values.json) process.stdout.write(JSON.stringify(models, null, 2) + '\n');
      else process.stdout.write(formatModelTable(models) + `\nMEMORY: what a session needs in float32 at the default context; past this machine's, MODEL_TOO_LARGE\ncache: ${hfHubCache()} (shared with Python's huggingface_hub)\nsettings: ${modelSettingsPath()}\n`);
      return 0;
    }
    case 'pull':
      return runPull(one('model name'), values.revision);
    case 'import': {
      const r = await importModel(one('folder'), values.name === undefined ? {} : { name: values.name });
      process.stdout.write(`${r.name}: imported ${r.dir} (${r.config.family}, ${r.config.n_layer} layers, ${r.config.n_head} heads, ${r.config.n_embd} wide, ${bytes(r.bytes)} of weights), read in place\n`);
      return 0;
    }
    case 'remove': {
      const r = await removeModel(one('model name'));
      process.stdout.write(
        r.removed === 'import'
          ? `${r.name}: forgotten (its folder ${r.paths[0]} is untouched)\n`
          : `${r.name}: deleted ${r.paths.join(', ')} from the Hugging Face cache, ${bytes(r.freedBytes)} freed (for Python too)\n`,
      );
      return 0;
    }
    case 'default': {
      if (values.clear) {
        if (args.length) throw new NormscopeError('BAD_USAGE', 'default --clear takes no name');
        await setDefaultModel(null);
      } else if (args.length) {
        await setDefaultModel(one('model name'));
      }
      const chosen = await resolveModel().catch((e: unknown) => (isNormscopeError(e) ? e : Promise.reject(e)));
      const setting = await getDefaultModel();
      const used = chosen instanceof NormscopeError ? `none usable: ${chosen.message}` : chosen.label;
      process.stdout.write(`default: ${setting ?? '(not set: the first registry model in the cache, GPT-2 small first, else the demo)'}\nin use when no model is named: ${used}\n`);
      return 0;
    }
    default:
      throw new NormscopeError('BAD_USAGE', verb ? `unknown models command '${verb}'` : 'which models command?');
  }
}

export function modelsCommand(argv: string[]): Promise<number> {
  return withErrorPolicy('models', () => run(argv));
}
