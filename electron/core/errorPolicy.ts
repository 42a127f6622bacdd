// One error policy for every command: each NormscopeError code → its exit status and a "what to do" line.
// Exit 2: the request, the input or the model cannot be used as given (fix it, then rerun); exit 1: the work
// failed on the way or in part (the same command may succeed later: network, disk, cancel, failed documents).
import { NormscopeError, isNormscopeError, type ErrorCode } from './errors.js';

export type ExitStatus = 1 | 2;

/** What a hint may use: the error, and the command that met it (`analyze`, `models`, …). */
type Hint = string | ((e: NormscopeError, command: string) => string);

interface Policy {
  exit: ExitStatus;
  hint: Hint;
}

const MODELS_HINT = '`normscope models list` shows the models normscope can use; `normscope models pull gpt2` downloads GPT-2';
const name = (e: NormscopeError) => (typeof e.details?.['name'] === 'string' ? (e.details['name'] as string) : undefined);
const DAMAGED_MODEL = (e: NormscopeError) =>
  `the model's files look damaged or incomplete: download it again (\`normscope models pull ${name(e) ?? 'NAME'}\`) or choose another with --model`;
const DOCUMENT = 'fix or leave out that file; the other documents are still analyzed';
const RETRY = 'run the same command again: what finished is kept';

/** Exit 2: the request, the input or the model cannot be used as given (fix it, then rerun); every other code exits 1. */
const UNUSABLE_AS_GIVEN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'READ_FAILED', 'NO_DOCUMENTS', 'NOT_A_FILE', 'TOO_LARGE', 'MODEL_NOT_FOUND', 'BAD_CONFIG', 'UNSUPPORTED_MODEL',
  'BAD_SAFETENSORS', 'MISSING_TENSOR', 'BAD_TENSOR_SHAPE', 'MISSING_TOKENIZER', 'BAD_TOKENIZER', 'BAD_MODEL',
  'MODEL_TOO_LARGE', 'PROVIDER_FAILED', 'PROVIDER_REFUSED', 'BAD_INPUT', 'BAD_USAGE',
]);

/** Every code's "what to do" line (the Record type makes a new code without one a compile error). */
const HINTS: Readonly<Record<ErrorCode, Hint>> = {
  EMPTY: DOCUMENT,
  NOT_TEXT: DOCUMENT,
  BAD_ENCODING: 'save the file as UTF-8 (most editors: "Save with encoding"), then run again',
  TOO_FEW_TOKENS: 'give a longer text, or lower --start and --lags',
  NONFINITE: DOCUMENT,
  READ_FAILED: 'check that the path exists and that you may read it',
  MODEL_FAILED: 'run again with --provider cpu; if it still fails, report it with the file',
  CANCELLED: RETRY,
  NO_DOCUMENTS: 'name .txt, .md or .text files, or folders that hold some (hidden files are skipped; a file named explicitly is read whatever its extension)',
  NOT_A_FILE: 'name a regular file (not a folder, device or pipe)',
  TOO_LARGE: 'split it into smaller files, or leave it out',
  SHARDS_INCOMPLETE: 'rerun the missing or incomplete shard tasks (`normscope merge --check` lists them), or merge anyway with --partial',
  MODEL_NOT_FOUND: (e) =>
    name(e) ? `\`normscope models list\` shows the models installed and the ones to pull; --model DIR reads a model folder`
    : e.details?.['dir'] !== undefined || e.details?.['path'] !== undefined
      ? 'check the path: a model folder holds config.json, model.safetensors and tokenizer.json (`normscope models list` shows the installed ones)'
      : MODELS_HINT,
  BAD_CONFIG: DAMAGED_MODEL,
  UNSUPPORTED_MODEL: `normscope reads the model families \`normscope models list\` shows: choose one with --model`,
  BAD_SAFETENSORS: DAMAGED_MODEL,
  MISSING_TENSOR: DAMAGED_MODEL,
  BAD_TENSOR_SHAPE: DAMAGED_MODEL,
  MISSING_TOKENIZER: 'put tokenizer.json (or vocab.json and merges.txt) from the same model into its folder',
  BAD_TOKENIZER: 'replace tokenizer.json with the one published with the model',
  BAD_MODEL: DAMAGED_MODEL,
  MODEL_TOO_LARGE: 'choose a smaller model (`normscope models list`), or run on a machine with more memory',
  PROVIDER_FAILED: 'run on the CPU with --provider cpu; `normscope providers` shows what each provider can do here',
  PROVIDER_REFUSED: 'run with --provider auto (or cpu): normscope uses a GPU only where it gives the CPU\'s numbers',
  OFFLINE: 'connect and run the same command again; models already on disk work offline (`normscope models list`)',
  HTTP_NOT_FOUND: (e) =>
    e.details?.['status'] === 401 || e.details?.['status'] === 403
      ? 'create a read token at https://huggingface.co/settings/tokens, `export HF_TOKEN=…`, and for a gated model accept its terms on its hub page'
      : 'check the model name (ORG/NAME, as on huggingface.co) and the revision',
  HTTP_ERROR: 'run the same command again later (a pull resumes where it stopped); HF_ENDPOINT names a mirror',
  CHECKSUM_MISMATCH: 'run the same pull again: the damaged file is downloaded anew',
  DISK_FULL: 'free some disk space, then run the same command again',
  DOWNLOAD_CANCELLED: 'run the same pull again: it resumes where it stopped',
  BAD_INPUT: (_e, command) => `run \`normscope help ${command}\` for what it expects`,
  BAD_USAGE: (_e, command) => `run \`normscope help ${command}\` for its options`,
  WRITE_FAILED: 'check that the folder exists, that you may write there and that the disk has room',
};

/** The table: each code's exit status and its line. */
export const ERROR_POLICY: Readonly<Record<ErrorCode, Policy>> = Object.fromEntries(
  (Object.entries(HINTS) as [ErrorCode, Hint][]).map(([code, hint]) => [code, { exit: UNUSABLE_AS_GIVEN.has(code) ? 2 : 1, hint }]),
) as Record<ErrorCode, Policy>;

/** The exit status a command ends with when this error stops it. */
export function exitStatus(e: NormscopeError): ExitStatus {
  return ERROR_POLICY[e.code].exit;
}

/** The error's "what to do" line: its own `details.hint`, else its code's. */
export function errorHint(e: NormscopeError, command: string): string {
  const own = e.details?.['hint'];
  if (typeof own === 'string') return own;
  const hint = ERROR_POLICY[e.code].hint;
  return typeof hint === 'string' ? hint : hint(e, command);
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** The two lines a person reads: what happened, and what to do. */
export function formatError(e: NormscopeError, command: string): string {
  return `normscope ${command}: ${oneLine(e.message)}\n  what to do: ${oneLine(errorHint(e, command))}\n`;
}

/**
 * The one catch of every command: a NormscopeError is written as its two lines and becomes its exit status;
 * anything else is a bug and is thrown on (its stack trace is what a report needs).
 */
export function reportError(command: string, e: unknown, stream: { write(s: string): unknown } = process.stderr): ExitStatus {
  if (!isNormscopeError(e)) throw e;
  stream.write(formatError(e, command));
  return exitStatus(e);
}

/** A command body with the policy around it: `(argv) => withErrorPolicy('export', () => run(argv))`. */
export async function withErrorPolicy(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    return reportError(command, e);
  }
}
