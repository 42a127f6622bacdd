// The headless entry: `normscope analyze | compare | merge | export | ols | models | providers`. Each command lives in core/cli/.
import { VERSION } from './core/version.js';

const USAGE = `normscope ${VERSION}
usage:
  normscope analyze [--model DIR|NAME] [--component attn|mlp|block] [--lags 2] [--start 3]
                    [--cov nonrobust|HC0|HC1|HC2|HC3|HAC] [--maxlags N] [--out FILE.json]
                    [--csv FILE] [--figures DIR [--format svg|png]] [--out-dir DIR [--shard i/N|auto]]
                    [--provider auto|cpu|webgpu|cuda|dml|coreml] [--quiet] PATH...
  normscope compare --model A --model B [...] [analyze's settings] [--out FILE.json] [--figures DIR] PATH...
  normscope compare --runs RESULTS-DIR1 RESULTS-DIR2 [...] [--out FILE.json] [--figures DIR]
  normscope merge SHARD-DIR... --out-dir MERGED   |   normscope merge --check SHARD-DIR...
  normscope export OUT-DIR [--format parquet|csv] [--to DIR]
  normscope ols --in FILE.json
  normscope models list | pull NAME | import DIR | remove NAME | default NAME
  normscope providers [--model DIR|NAME] [--recheck] [--json]
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  analyze: async () => (await import('./core/cli/analyze.js')).analyzeCommand,
  compare: async () => (await import('./core/cli/compare.js')).compareCommand,
  merge: async () => (await import('./core/cli/merge.js')).mergeCommand,
  export: async () => (await import('./core/cli/export.js')).exportCommand,
  ols: async () => (await import('./core/cli/ols.js')).olsCommand,
  models: async () => (await import('./core/cli/models.js')).modelsCommand,
  providers: async () => (await import('./core/cli/providers.js')).providersCommand,
};

/** Runs one command; resolves to the exit status (0 ok, 1 some documents failed, 2 bad usage or unusable model). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`normscope: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}
