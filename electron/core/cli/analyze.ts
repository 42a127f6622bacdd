// `normscope analyze`: the notebook's analysis for files and folders, headless, as one JSON document
// (DESIGN.md "The headless contract"), with optional CSV and figure files. Exit 0 all ok, 1 some
// documents failed (the rest still written), 2 bad usage or unusable model.
import fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { COV_TYPES, DEFAULT_SETTINGS, type CovType, type DocumentResult, type Settings } from '../../../shared/result.js';
import { SITES, isSite } from '../../../shared/taps.js';
import {
  analysisDocument,
  analyzeFile,
  DEFAULT_MAX_BYTES,
  collectInputs,
  modelInfo,
  provenance,
  checkLagSettings,
} from '../analysis/index.js';
import { ProgressLine } from '../terminal/progress-line.js';
import { toCsv } from '../analysis/table.js';
import { FIGURE_FORMATS, figureDocNames, writeDocumentFigures, type FigureFileOptions, type FigureFormat } from '../analysis/figureFiles.js';
import { THEME_NAMES, type ThemeName } from '../../../shared/figures/types.js';
import { validateSettings } from '../analysis/settings-check.js';
import { NormscopeError, isNormscopeError, noDocuments } from '../errors.js';
import { reportError } from '../errorPolicy.js';
import { normscopeHome } from '../home.js';
import { parseCommandArgs } from './args.js';
import { COMMAND_SPECS } from './commandSpecs.js';
import { isProviderChoice, loadModel, PROVIDER_CHOICES, type ProviderChoice } from '../model/index.js';
import { resolveModel } from '../models/index.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { Shard } from '../corpus/cluster/shard.js';
import { resolveShard } from '../corpus/cluster/shard-spec.js';

const USAGE = `usage: normscope analyze [--model DIR|NAME] [--component attn|mlp|block] [--lags 2] [--start 3]
                         [--cov nonrobust|HC0|HC1|HC2|HC3|HAC] [--maxlags N] [--out FILE.json] [--csv FILE]
                         [--figures DIR [--format svg|png|pdf [--combine]] [--theme light|dark|notebook] [--width PX] [--height PX] [--scale N | --dpi N]]
                         [--out-dir DIR [--shard i/N | --shard auto [--shards N]]] [--provider auto|cpu|webgpu|cuda|dml|coreml]
                         [--context N] [--max-bytes N] [--quiet | --verbose] PATH...
  PATH        text files (any name) and folders (searched recursively for .txt, .md, .text; hidden files skipped)
  --model     a model folder (GPT-2, Llama, Mistral, Qwen 2/3, Pythia, Gemma 2/3) or a registry name; default: the
              default model, else GPT-2 from the Hugging Face cache, else the demo model (random weights)
  --component which module's output: attn (default), mlp, or block (the residual stream after the block)
  --lags      p in y[t] ~ 1 + y[t-1] + … + y[t-p] (default 2)
  --start     first token used as an outcome (default 3, the notebook's; at least --lags)
  --cov       covariance of the estimates (default nonrobust); HAC needs --maxlags
  --out       write the JSON there instead of stdout
  --csv       also write one row per document × layer × coefficient
  --figures   also save each document's three figures there, as <document>.<figure>.svg (or .png, .pdf)
  --format    svg (default), png, or pdf (vector, text kept as text, fonts embedded; a page the figure's size)
  --combine   with --format pdf: one <document>.figures.pdf, a page per figure
  --theme     figure style: light (default), dark (the notebook's palette), or notebook (its whole look)
  --width, --height  figure size in CSS pixels (default 640 × 420; notebook: its 6 × 4 and 12 × 4 in canvases);
                     a PDF page is that size at 96 px to the inch (640 px = 480 pt)
  --scale, --dpi     PNG resolution: pixels per CSS pixel (default 1), or dots per inch (96 = 1×)
  --out-dir   write into a corpus results folder instead (resumable; see the corpus manager)
  --shard     with --out-dir: only shard i of N (0-based, by content sha256), for a cluster; auto reads Slurm's
              SLURM_ARRAY_TASK_ID/COUNT or Kubernetes' JOB_COMPLETION_INDEX; merge shards with normscope merge
  --shards    the shard count for --shard auto (Kubernetes: the Job's completions; else $NORMSCOPE_SHARDS)
  --provider  execution provider (default auto, or NORMSCOPE_PROVIDER): a GPU provider is used only after it
              reproduces the CPU's log norms on a probe; auto also needs it faster than the CPU
  --context   tokens per forward pass; longer documents run in overlapping windows (default: the model's
              context, at most 4,096)
  --max-bytes largest document read, in bytes (default 67108864, 64 MiB); a larger one is TOO_LARGE, unread
  --quiet     nothing on stderr but errors (and the demo-model warning)
  --verbose   every provider note, and native libraries' own warnings (WebGPU's Dawn)
`;

export interface Options {
  paths: string[];
  modelSpec?: string;
  settings: Settings;
  out?: string;
  csv?: string;
  figures?: Omit<FigureFileOptions, 'docName'>;
  outDir?: string;
  shard?: Shard;
  provider?: ProviderChoice;
  context?: number;
  maxBytes?: number;
  quiet: boolean;
  /** every provider note on stderr (and native libraries' own warnings: see bin/normscope.js) */
  verbose?: boolean;
}

export async function analyzeCommand(argv: string[]): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    options = parsed;
  } catch (e) {
    return reportError('analyze', e);
  }
  // native libraries' own warnings (model/matmulProbeChild.ts) reach the terminal only when asked for
  if (options.verbose) process.env['NORMSCOPE_NATIVE_LOGS'] = '1';
  if (options.outDir !== undefined) {
    const { runStoreBatch } = await import('../corpus/index.js');
    return runStoreBatch({
      paths: options.paths,
      outDir: options.outDir,
      modelSpec: options.modelSpec,
      settings: options.settings,
      quiet: options.quiet,
      ...(options.verbose ? { verbose: true } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
      loadOptions: loadOptionsOf(options),
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    });
  }
  return runAnalysis(options);
}

/** argv → options; throws NormscopeError BAD_USAGE with the reason. */
export function parseOptions(argv: string[]): Options | 'help' {
  const { values, positionals } = parseCommandArgs(argv, COMMAND_SPECS.analyze.options);
  if (values.help) return 'help';
  const str = (k: string) => (values as Record<string, string | boolean | undefined>)[k] as string | undefined;
  const usage = (msg: string) => new NormscopeError('BAD_USAGE', msg);

  const component = str('component') ?? DEFAULT_SETTINGS.component;
  if (!isSite(component)) throw usage(`--component must be one of ${SITES.join(', ')}, got '${component}'`);
  const lags = wholeNumber('--lags', str('lags'), DEFAULT_SETTINGS.lags, 1);
  const start = wholeNumber('--start', str('start'), DEFAULT_SETTINGS.start, 0);
  try {
    checkLagSettings(lags, start);
  } catch (e) {
    throw usage(`--start ${start} is before --lags ${lags}: the first outcome needs ${lags} earlier tokens (use --start ${lags} or more)`);
  }
  const covArg = str('cov') ?? DEFAULT_SETTINGS.cov;
  const cov = COV_TYPES.find((c) => c.toLowerCase() === covArg.toLowerCase()) as CovType | undefined;
  if (!cov) throw usage(`--cov must be one of ${COV_TYPES.join(', ')}, got '${covArg}'`);
  const maxlags = str('maxlags') === undefined ? undefined : wholeNumber('--maxlags', str('maxlags'), 0, 0);
  if (cov === 'HAC' && maxlags === undefined) throw usage('--cov HAC needs --maxlags N (the Newey–West lag truncation)');
  if (cov !== 'HAC' && maxlags !== undefined) throw usage('--maxlags applies only to --cov HAC');
  const settings: Settings = { component, lags, start, cov, ...(maxlags !== undefined ? { maxlags } : {}) };
  try {
    // the app's one settings check, with its upper bounds, in the CLI's words
    validateSettings(settings);
  } catch (e) {
    if (isNormscopeError(e, 'BAD_INPUT')) throw usage(e.message.replace(/settings\.(\w+)/g, '--$1'));
    throw e;
  }

  const format = str('format');
  if (format !== undefined && !(FIGURE_FORMATS as readonly string[]).includes(format)) {
    throw usage(`--format must be one of ${FIGURE_FORMATS.join(', ')}, got '${format}'`);
  }
  const theme = str('theme');
  if (theme !== undefined && !(THEME_NAMES as readonly string[]).includes(theme)) throw usage(`--theme must be one of ${THEME_NAMES.join(', ')}, got '${theme}'`);
  for (const k of ['format', 'theme', 'width', 'height', 'scale', 'dpi']) {
    if (str(k) !== undefined && str('figures') === undefined) throw usage(`--${k} needs --figures DIR`);
  }
  if (values.combine && format !== 'pdf') throw usage('--combine goes with --figures DIR --format pdf (one multi-page PDF per document)');
  const look: { width?: number; height?: number; theme?: ThemeName } = theme !== undefined ? { theme: theme as ThemeName } : {};
  for (const k of ['width', 'height'] as const) if (str(k) !== undefined) look[k] = wholeNumber(`--${k}`, str(k), 0, 50);
  const png: { scale?: number; dpi?: number } = {};
  for (const k of ['scale', 'dpi'] as const) if (str(k) !== undefined) png[k] = positiveNumber(`--${k}`, str(k)!);
  if (Object.keys(png).length && format !== 'png') throw usage('--scale and --dpi apply only to --format png');
  if (Object.keys(png).length > 1) throw usage('give --scale or --dpi, not both');
  if (values.quiet && values.verbose) throw usage('give --quiet or --verbose, not both');

  const outDir = str('out-dir');
  if (outDir !== undefined) {
    for (const k of ['out', 'csv', 'figures']) if (str(k) !== undefined) throw usage(`--${k} cannot be combined with --out-dir (the results folder holds everything)`);
  }
  for (const k of ['shard', 'shards']) if (str(k) !== undefined && outDir === undefined) throw usage(`--${k} needs --out-dir DIR (each shard writes its own results folder)`);
  if (str('shards') !== undefined && str('shard') === undefined) throw usage('--shards N goes with --shard auto');
  const shard = str('shard') === undefined ? undefined : resolveShard(str('shard')!, str('shards') === undefined ? undefined : wholeNumber('--shards', str('shards'), 1, 1));
  const provider = str('provider')?.toLowerCase();
  if (provider !== undefined && !isProviderChoice(provider)) throw usage(`--provider must be one of ${PROVIDER_CHOICES.join(', ')}, got '${str('provider')}'`);
  if (positionals.length === 0) throw usage('no PATH given: name text files or folders to analyze');
  return {
    paths: positionals,
    ...(str('model') !== undefined ? { modelSpec: str('model') } : {}),
    settings,
    ...(str('out') !== undefined ? { out: str('out') } : {}),
    ...(str('csv') !== undefined ? { csv: str('csv') } : {}),
    ...(str('figures') !== undefined ? { figures: { dir: str('figures')!, format: (format ?? 'svg') as FigureFormat, figure: look, png, ...(values.combine ? { combine: true } : {}) } } : {}),
    ...(outDir !== undefined ? { outDir } : {}),
    ...(shard ? { shard } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(str('context') !== undefined ? { context: wholeNumber('--context', str('context'), 0, 1) } : {}),
    ...(str('max-bytes') !== undefined ? { maxBytes: wholeNumber('--max-bytes', str('max-bytes'), DEFAULT_MAX_BYTES, 1) } : {}),
    quiet: values.quiet === true,
    ...(values.verbose ? { verbose: true } : {}),
  };
}

/** The model-loading options the flags ask for, and normscope's home for the provider verdicts. */
function loadOptionsOf(options: Options): { provider?: ProviderChoice; context?: number; verdictsDir: string } {
  return { ...(options.provider ? { provider: options.provider } : {}), ...(options.context ? { context: options.context } : {}), verdictsDir: normscopeHome() };
}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new NormscopeError('BAD_USAGE', `${flag} must be a whole number ≥ ${min}, got '${raw}'`);
  }
  return n;
}

function positiveNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new NormscopeError('BAD_USAGE', `${flag} must be a positive number, got '${raw}'`);
  return n;
}

async function runAnalysis(options: Options): Promise<number> {
  const note = (s: string) => {
    if (!options.quiet) process.stderr.write(`normscope: ${s}\n`);
  };
  let inputs: string[];
  let loaded;
  try {
    inputs = await collectInputs(options.paths);
    for (const file of [options.out, options.csv]) if (file !== undefined) await writableFolder(path.dirname(path.resolve(file)));
    if (options.figures) await writableFolder(options.figures.dir);
    if (inputs.length === 0) throw noDocuments(options.paths);
    const resolved = await resolveModel(options.modelSpec);
    const model = await loadModel(resolved.dir, loadOptionsOf(options));
    loaded = { resolved, model };
  } catch (e) {
    return reportError('analyze', e);
  }
  const { resolved, model } = loaded;
  const name = resolved.name;
  for (const line of modelLines(resolved, model, options)) process.stderr.write(line + '\n');

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nnormscope: cancelling — the documents finished so far are still written (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const results = await analyzeAll(model, inputs, options, controller.signal);
    const doc = analysisDocument(modelInfo(model, name, resolved.source), options.settings, await provenance(model, resolved.revision), results);
    const json = JSON.stringify(doc) + '\n';
    if (options.out !== undefined) await writeAtomic(options.out, json);
    else await writeStdout(json);
    if (options.csv !== undefined) await writeAtomic(options.csv, toCsv(results));
    if (options.figures) {
      const names = figureDocNames(inputs);
      let written = 0;
      for (const [i, result] of results.entries()) {
        if (result.status !== 'ok') continue;
        written += (await writeDocumentFigures(result, model.config.n_layer, options.settings, { ...options.figures, docName: names[i]! })).length;
      }
      note(`wrote ${written} figure file${written === 1 ? '' : 's'} to ${options.figures.dir}`);
    }
    let failed = 0;
    let cancelled = 0;
    for (const r of results) {
      if (r.status === 'ok') continue;
      if (r.error.code === 'CANCELLED') {
        cancelled++;
      } else {
        failed++;
        process.stderr.write(`normscope: ${r.path}: ${r.error.code}: ${r.error.message}\n`);
      }
    }
    if (cancelled) process.stderr.write(`normscope: cancelled: ${cancelled} document${cancelled === 1 ? '' : 's'} not analyzed (status CANCELLED in the output)\n`);
    if (failed + cancelled) note(`${results.length - failed - cancelled} of ${results.length} documents analyzed, ${failed} failed`);
    return failed + cancelled ? 1 : 0;
  } catch (e) {
    return reportError('analyze', e);
  } finally {
    process.off('SIGINT', onSigint);
    await model.dispose();
  }
}

/**
 * What a run says about its model on stderr: the demo warning whenever it applies (even with --quiet: nobody should
 * take the demo's figures for GPT-2's), then one line naming the model and provider and why; the provider notes
 * and the probe's time only with --verbose (`normscope providers` shows them too).
 */
export function modelLines(resolved: { name: string; demo: boolean }, model: { providerReason: string; providerNotes: readonly string[]; providerProbe: { probed: readonly string[]; ms: number } }, o: { quiet: boolean; verbose?: boolean }): string[] {
  const lines: string[] = [];
  if (resolved.demo) {
    lines.push(
      'normscope: no GPT-2 model found, so this run uses the demo model (random weights): its numbers and figures say nothing about GPT-2.',
      '           Get GPT-2 with `normscope models pull gpt2`, or pass --model DIR.',
    );
  }
  if (o.quiet) return lines;
  const why = o.verbose ? model.providerReason : model.providerReason.replace(' (see the notes)', '; --verbose or `normscope providers` says why');
  lines.push(`normscope: model ${resolved.name} on ${why}`);
  if (!o.verbose) return lines;
  for (const n of model.providerNotes) lines.push(`normscope:   ${n}`);
  const { probed, ms } = model.providerProbe;
  if (probed.length) lines.push(`normscope:   provider probe: ${Math.round(ms)} ms (${probed.join(', ')}; cached for next time)`);
  return lines;
}

async function analyzeAll(
  model: Awaited<ReturnType<typeof loadModel>>,
  inputs: string[],
  options: Options,
  signal: AbortSignal,
): Promise<DocumentResult[]> {
  const sizes = await Promise.all(inputs.map((file) => fs.stat(file).then((s) => (s.isFile() ? s.size : 0), () => 0)));
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  const line = !options.quiet && inputs.length > 1 ? new ProgressLine(process.stderr) : null;
  const t0 = performance.now();
  let tokens = 0;
  let bytesDone = 0;
  const results: DocumentResult[] = [];
  const show = (done: number, inFlight: number) =>
    line?.update({ done, total: inputs.length, tokens: tokens + inFlight, bytesDone, bytesTotal, elapsedMs: performance.now() - t0 });
  for (const [i, input] of inputs.entries()) {
    const { result } = await analyzeFile(model, input, options.settings, {
      signal,
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      onProgress: ({ tokensDone }) => show(i, tokensDone),
    });
    results.push(result);
    if (result.status === 'ok') tokens += result.tokens.length;
    bytesDone += sizes[i]!;
    show(i + 1, 0);
  }
  line?.end();
  return results;
}

/** Creates a folder the outputs go to, before any work: a typo in --out must not cost a long run. Throws BAD_USAGE. */
export async function writableFolder(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, fsConstants.W_OK);
  } catch (e) {
    throw new NormscopeError('BAD_USAGE', `cannot write to ${dir}: ${(e as Error).message}`);
  }
}

/** The result file, written atomically and fsynced (a result the user waited for is on disk before we say done). */
function writeAtomic(file: string, data: string): Promise<void> {
  return writeFileAtomic(path.resolve(file), data);
}

export function writeStdout(data: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (e) => (e ? reject(e) : resolve())));
}
