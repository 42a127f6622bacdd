// Every command's argv parsing: node's parseArgs, strict, with its errors turned into BAD_USAGE.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { NormscopeError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with positionals allowed; an unknown flag or a missing value throws BAD_USAGE with node's first line. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new NormscopeError('BAD_USAGE', (e as Error).message.split('\n')[0]!);
  }
}
