// The headless entry: `normscope COMMAND …`. Each command lives in core/cli/; their names, summaries and flags in
// core/cli/commandSpecs.ts (which also makes `normscope help` and the completion scripts).
import { COMMAND_NAMES, COMMAND_SPECS, type CommandName } from './core/cli/commandSpecs.js';
import { NormscopeError } from './core/errors.js';
import { reportError } from './core/errorPolicy.js';
import { VERSION } from './core/version.js';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<Exclude<CommandName, 'help' | 'completion'>, () => Promise<Command>> = {
  analyze: async () => (await import('./core/cli/analyze.js')).analyzeCommand,
  compare: async () => (await import('./core/cli/compare.js')).compareCommand,
  merge: async () => (await import('./core/cli/merge.js')).mergeCommand,
  export: async () => (await import('./core/cli/export.js')).exportCommand,
  ols: async () => (await import('./core/cli/ols.js')).olsCommand,
  models: async () => (await import('./core/cli/models.js')).modelsCommand,
  providers: async () => (await import('./core/cli/providers.js')).providersCommand,
};

/** `normscope --help`: the commands, one line each. */
export function usage(): string {
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length));
  const lines = COMMAND_NAMES.map((n) => `  ${n.padEnd(width)}  ${COMMAND_SPECS[n].summary}`);
  return `normscope ${VERSION}: does the size of a GPT-2 layer's update to a token depend on its updates to the previous tokens?
usage: normscope COMMAND [options]   (normscope help COMMAND for its options)
${lines.join('\n')}
  --version  the version
  e.g.  normscope analyze README.md > analysis.json
`;
}

/** Runs one command; resolves to the exit status (0 ok, 1 the work failed in part, 2 bad usage or unusable input). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === '-v' || name === 'version') {
    process.stdout.write(`normscope ${VERSION}\n`);
    return 0;
  }
  if (!name) {
    process.stderr.write(usage());
    return 2;
  }
  if (name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return 0;
  }
  try {
    if (name === 'help') return await help(rest);
    if (name === 'completion') return await completion(rest);
    const load = commands[name as keyof typeof commands];
    if (!load) throw unknownCommand(name);
    return await (await load())(rest);
  } catch (e) {
    return reportError(name, e);
  }
}

function unknownCommand(name: string): NormscopeError {
  return new NormscopeError('BAD_USAGE', `unknown command '${name}'`, { hint: `the commands are ${COMMAND_NAMES.join(', ')} (normscope --help says what each does)` });
}

async function help([name, ...extra]: string[]): Promise<number> {
  if (name === undefined) {
    process.stdout.write(usage());
    return 0;
  }
  if (extra.length) throw new NormscopeError('BAD_USAGE', `help takes one command, got '${[name, ...extra].join(' ')}'`);
  if (name === 'help' || name === 'completion') {
    process.stdout.write(`normscope ${name}: ${COMMAND_SPECS[name].summary}\n`);
    return 0;
  }
  const load = commands[name as keyof typeof commands];
  if (!load) throw unknownCommand(name);
  return (await load())(['--help']);
}

async function completion([shell, ...extra]: string[]): Promise<number> {
  const { bashCompletion, zshCompletion } = await import('./core/cli/completion.js');
  if (extra.length || (shell !== 'bash' && shell !== 'zsh')) throw new NormscopeError('BAD_USAGE', `completion takes bash or zsh, got '${[shell, ...extra].join(' ').trim()}'`);
  process.stdout.write(shell === 'bash' ? bashCompletion() : zshCompletion());
  return 0;
}
