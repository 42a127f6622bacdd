// `normscope ols --in FILE.json`: one OLS fit from a JSON design, printed as the contract's `fit` object.
// Input {"y": [...], "X": [[...], ...], "cov": "HC3", "maxlags": 2, "alpha": 0.05, "use_correction": false};
// all but y and X optional. Exit 0 with the fit on stdout, 2 with one line on stderr naming the problem.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { NormscopeError } from '../errors.js';
import { reportError } from '../errorPolicy.js';
import { COMMAND_SPECS } from './commandSpecs.js';
import { fitOls, type OlsOptions } from '../stats/index.js';

const USAGE = `usage: normscope ols --in FILE.json     (--in - reads standard input)
  FILE.json  {"y": [...], "X": [[...], ...], "cov": "nonrobust|HC0|HC1|HC2|HC3|HAC", "maxlags": N,
              "alpha": 0.05, "use_correction": false}; all but y and X optional, maxlags required for HAC
  prints statsmodels' OLS results (params, bse, pvalues, conf_int, rsquared, …) as one JSON object
`;

const FIELDS = ['y', 'X', 'cov', 'maxlags', 'alpha', 'use_correction'] as const;

interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: AsyncIterable<string | Buffer>;
}

function usageError(message: string): NormscopeError {
  return new NormscopeError('BAD_USAGE', message);
}

function badInput(message: string): NormscopeError {
  return new NormscopeError('BAD_INPUT', message);
}

/** Returns the --in value, or null for --help. */
function parseOlsArgs(argv: string[]): string | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: COMMAND_SPECS.ols.options, allowPositionals: true });
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    const option = /'([^']+)'/.exec(message)?.[1];
    throw usageError(code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option ? `unknown option '${option}'` : message.split('\n')[0]!);
  }
  if (parsed.values.help) return null;
  if (parsed.positionals.length) throw usageError(`unexpected argument '${parsed.positionals[0]}'`);
  const input = parsed.values.in;
  if (input === undefined || input === '') throw usageError('missing --in FILE.json (--in - reads standard input)');
  return input;
}

async function readInput(input: string, stdin: Io['stdin']): Promise<{ text: string; name: string }> {
  if (input === '-') {
    let text = '';
    for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    return { text, name: 'standard input' };
  }
  try {
    return { text: await readFile(input, 'utf8'), name: input };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw badInput(`cannot read ${input}: ${why}`);
  }
}

/** The fit request in a parsed JSON value; throws BAD_INPUT naming the first problem. */
export function olsRequest(value: unknown, name: string): { y: unknown; X: unknown; options: OlsOptions } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badInput(`${name} must hold one JSON object with "y" and "X"`);
  }
  const request = value as Record<string, unknown>;
  const unknown = Object.keys(request).find((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw badInput(`unknown field "${unknown}" (expected ${FIELDS.join(', ')})`);
  for (const key of ['y', 'X'] as const) {
    if (!(key in request)) throw badInput(`missing "${key}"`);
    if (!Array.isArray(request[key])) throw badInput(`"${key}" must be an array`);
  }
  if (request.cov !== undefined && typeof request.cov !== 'string') throw badInput(`"cov" must be a string, got ${JSON.stringify(request.cov)}`);
  if ('maxlags' in request && typeof request.maxlags !== 'number') throw badInput(`maxlags must be a whole number ≥ 0, got ${JSON.stringify(request.maxlags)}`);
  if ('alpha' in request && typeof request.alpha !== 'number') throw badInput(`alpha must be a number between 0 and 1, got ${JSON.stringify(request.alpha)}`);
  if ('use_correction' in request && typeof request.use_correction !== 'boolean') {
    throw badInput(`use_correction must be true or false, got ${JSON.stringify(request.use_correction)}`);
  }
  const options: OlsOptions = {
    cov: request.cov as OlsOptions['cov'],
    maxlags: request.maxlags as number | undefined,
    alpha: request.alpha as number | undefined,
    useCorrection: request.use_correction as boolean | undefined,
  };
  return { y: request.y, X: request.X, options };
}

export async function olsCommand(argv: string[], io: Io = process): Promise<number> {
  try {
    const input = parseOlsArgs(argv);
    if (input === null) {
      io.stdout.write(USAGE);
      return 0;
    }
    const { text, name } = await readInput(input, io.stdin);
    if (text.trim() === '') throw badInput(`${name} is empty`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const nonFinite = /(?<![\w"])(NaN|-?Infinity)(?![\w"])/.exec(text);
      if (nonFinite) throw badInput(`${name} holds ${nonFinite[1]}, which JSON cannot carry: every value must be a finite number`);
      throw badInput(`${name} is not valid JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const { y, X, options } = olsRequest(value, name);
    const fit = fitOls(y as ArrayLike<number>, X as ArrayLike<ArrayLike<number>>, options);
    io.stdout.write(JSON.stringify(fit) + '\n');
    return 0;
  } catch (e) {
    return reportError('ols', e, io.stderr);
  }
}
