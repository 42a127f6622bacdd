// `normscope compare`: the same texts through 2–8 models, or 2–8 finished corpus folders (--runs), as one
// `normscope.comparison/1` document with optional figures. Exit 0 all ok, 1 a model or a document failed (the rest is
// still written), 2 bad usage, settings that differ between runs, or no model usable at all.
import path from 'node:path';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import { collectInputs } from '../analysis/index.js';
import { compareRuns, comparisonDocument, runModels, writeComparisonFigures, type CompareProgress } from '../compare/index.js';
import { reportError } from '../errorPolicy.js';
import { NormscopeError } from '../errors.js';
import { normscopeHome } from '../home.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { ProgressLine } from '../terminal/progress-line.js';
import { parseOptions, writableFolder, writeStdout, type Options } from './analyze.js';

const USAGE = `usage: normscope compare --model A --model B [--model …] [analyze's settings] [--out FILE.json]
                         [--figures DIR [--format …] [--theme …] [--width PX] [--height PX] [--scale N | --dpi N]] PATH...
       normscope compare --runs RESULTS-DIR1 RESULTS-DIR2 [...] [--out FILE.json] [--figures DIR …]
  --model     a model folder or registry name; 2 to 8 of them, run one after another (one in memory at a time)
  --runs      compare finished corpus folders (analyze --out-dir), one model each, fitted with the same settings
  settings    --component, --lags, --start, --cov, --maxlags, --provider, --quiet: as in normscope analyze
  --figures   also save "β by relative depth", "Share of significant layers" and (not with --runs)
              "Log-norm distributions by depth" there, as comparison.<figure>.<format>
`;

/** Flags that make no sense here: a comparison is one JSON document, and runs bring their own settings. */
const NOT_HERE = ['--csv', '--out-dir', '--shard', '--shards'];
const RUN_SETTINGS = ['--component', '--lags', '--start', '--cov', '--maxlags', '--provider'];

interface CompareArgs {
  models: string[];
  runs: boolean;
  options: Options;
}

export async function compareCommand(argv: string[]): Promise<number> {
  let args: CompareArgs | 'help';
  try {
    args = parseCompareArgs(argv);
  } catch (e) {
    return reportError('compare', e);
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const { options } = args;
  try {
    if (options.out !== undefined) await writableFolder(path.dirname(path.resolve(options.out)));
    if (options.figures) await writableFolder(options.figures.dir);
    const { doc, failed } = args.runs ? { doc: await compareRuns(options.paths), failed: 0 } : await compareTexts(args.models, options);
    if (doc === null) return 2;
    const json = JSON.stringify(doc) + '\n';
    if (options.out !== undefined) await writeFileAtomic(path.resolve(options.out), json);
    else await writeStdout(json);
    if (options.figures) {
      const written = await writeComparisonFigures(doc, { ...options.figures, docName: 'comparison' });
      if (!options.quiet) process.stderr.write(`normscope: wrote ${written.length} figure files to ${options.figures.dir}\n`);
    }
    return failed ? 1 : 0;
  } catch (e) {
    return reportError('compare', e);
  }
}

/** argv → the models, --runs, and analyze's own options from the rest. Throws BAD_USAGE. */
export function parseCompareArgs(argv: string[]): CompareArgs | 'help' {
  const models: string[] = [];
  const rest: string[] = [];
  let runs = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') runs = true;
    else if (a === '--model') {
      if (i + 1 >= argv.length) throw new NormscopeError('BAD_USAGE', '--model needs a folder or a name');
      models.push(argv[++i]!);
    } else if (a.startsWith('--model=')) models.push(a.slice('--model='.length));
    else rest.push(a);
  }
  for (const flag of NOT_HERE) if (rest.some((a) => a === flag || a.startsWith(`${flag}=`))) throw new NormscopeError('BAD_USAGE', `${flag} is not available in compare (it writes one comparison document)`);
  const options = parseOptions(rest);
  if (options === 'help') return 'help';
  if (runs) {
    if (models.length) throw new NormscopeError('BAD_USAGE', 'give --runs folders or --model models, not both');
    const given = RUN_SETTINGS.find((flag) => rest.some((a) => a === flag || a.startsWith(`${flag}=`)));
    if (given) throw new NormscopeError('BAD_USAGE', `${given} does not apply to --runs: each folder was fitted with its own settings`);
    if (options.paths.length < 2) throw new NormscopeError('BAD_USAGE', `--runs needs 2 to 8 results folders, got ${options.paths.length}`);
  } else if (models.length < 2 || models.length > 8) {
    throw new NormscopeError('BAD_USAGE', `compare needs 2 to 8 --model, got ${models.length}`);
  }
  return { models, runs, options };
}

/** Runs every model; null when no input was found (said on stderr). */
async function compareTexts(models: string[], options: Options): Promise<{ doc: ComparisonDocument | null; failed: number }> {
  const files = await collectInputs(options.paths);
  if (files.length === 0) {
    process.stderr.write(`normscope compare: no .txt, .md or .text files found in ${options.paths.join(', ')}\n`);
    return { doc: null, failed: 0 };
  }
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    process.stderr.write('\nnormscope: cancelling — what is finished so far is still written (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSigint);
  const line = options.quiet ? null : new ProgressLine(process.stderr);
  try {
    const runs = await runModels({
      specs: models,
      files,
      settings: options.settings,
      signal: controller.signal,
      loadOptions: { verdictsDir: normscopeHome(), ...(options.provider ? { provider: options.provider } : {}) },
      ...(line ? { onProgress: progressNotes(line) } : {}),
      // through the progress line, which clears itself first (a warning never shares its terminal line)
      onRestart: (r) => {
        const warning = `model ${r.model + 1}: the inference process stopped on ${r.path} (${r.message}); restarted, running it again`;
        if (line) line.warn(warning);
        else process.stderr.write(`normscope: ${warning}\n`);
      },
    });
    line?.end();
    const doc = comparisonDocument(runs, files, options.settings);
    let failed = 0;
    for (const m of doc.models) {
      if (m.status === 'ok') continue;
      failed++;
      process.stderr.write(`normscope: model ${m.spec}: ${m.error!.code}: ${m.error!.message}\n`);
    }
    if (failed === doc.models.length) {
      process.stderr.write('normscope compare: no model could be used\n');
      return { doc: null, failed };
    }
    for (const d of doc.documents) {
      for (const r of d.results) {
        if (r.result.status === 'ok') continue;
        failed++;
        process.stderr.write(`normscope: ${d.path} with ${doc.models[r.model]!.model!.name}: ${r.result.error.code}: ${r.result.error.message}\n`);
      }
    }
    return { doc, failed };
  } finally {
    line?.end();
    process.off('SIGINT', onSigint);
  }
}

/** A note when a model starts loading and when it is done, as steps of the one progress line. */
function progressNotes(line: ProgressLine): (p: CompareProgress) => void {
  return (p) => {
    if (p.phase === 'loading') line.show(`model ${p.model + 1}: loading ${p.spec}`, true);
    else if (p.phase === 'done') line.show(`model ${p.model + 1} (${p.name}): ${p.documentsDone} of ${p.documentsTotal} documents`, true);
  };
}
