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

/** The table: every code has a line (the Record type makes a new code without one a compile error). */
export const ERROR_POLICY: Readonly<Record<ErrorCode, Policy>> = {
  EMPTY: { exit: 1, hint: DOCUMENT },
  NOT_TEXT: { exit: 1, hint: DOCUMENT },
  BAD_ENCODING: { exit: 1, hint: 'save the file as UTF-8 (most editors: "Save with encoding"), then run again' },
  TOO_FEW_TOKENS: { exit: 1, hint: 'give a longer text, or lower --start and --lags' },
  NONFINITE: { exit: 1, hint: DOCUMENT },
  READ_FAILED: { exit: 2, hint: 'check that the path exists and that you may read it' },
  MODEL_FAILED: { exit: 1, hint: 'run again with --provider cpu; if it still fails, report it with the file' },
  CANCELLED: { exit: 1, hint: RETRY },
  NO_DOCUMENTS: {
    exit: 2,
    hint: 'name .txt, .md or .text files, or folders that hold some (hidden files are skipped; a file named explicitly is read whatever its extension)',
  },
  NOT_A_FILE: { exit: 2, hint: 'name a regular file (not a folder, device or pipe)' },
  TOO_LARGE: { exit: 2, hint: 'split it into smaller files, or leave it out' },
  SHARDS_INCOMPLETE: { exit: 1, hint: 'rerun the missing or incomplete shard tasks (`normscope merge --check` lists them), or merge anyway with --partial' },
  MODEL_NOT_FOUND: {
    exit: 2,
    hint: (e) =>
      name(e) ? `\`normscope models list\` shows the models installed and the ones to pull; --model DIR reads a model folder`
      : e.details?.['dir'] !== undefined || e.details?.['path'] !== undefined
        ? 'check the path: a model folder holds config.json, model.safetensors and tokenizer.json (`normscope models list` shows the installed ones)'
        : MODELS_HINT,
  },
  BAD_CONFIG: { exit: 2, hint: DAMAGED_MODEL },
  UNSUPPORTED_MODEL: { exit: 2, hint: `normscope reads the model families \`normscope models list\` shows: choose one with --model` },
  BAD_SAFETENSORS: { exit: 2, hint: DAMAGED_MODEL },
  MISSING_TENSOR: { exit: 2, hint: DAMAGED_MODEL },
  BAD_TENSOR_SHAPE: { exit: 2, hint: DAMAGED_MODEL },
  MISSING_TOKENIZER: { exit: 2, hint: 'put tokenizer.json (or vocab.json and merges.txt) from the same model into its folder' },
  BAD_TOKENIZER: { exit: 2, hint: 'replace tokenizer.json with the one published with the model' },
  BAD_MODEL: { exit: 2, hint: DAMAGED_MODEL },
  MODEL_TOO_LARGE: { exit: 2, hint: 'choose a smaller model (`normscope models list`), or run on a machine with more memory' },
  PROVIDER_FAILED: { exit: 2, hint: 'run on the CPU with --provider cpu; `normscope providers` shows what each provider can do here' },
  PROVIDER_REFUSED: { exit: 2, hint: 'run with --provider auto (or cpu): normscope uses a GPU only where it gives the CPU\'s numbers' },
  OFFLINE: { exit: 1, hint: 'connect and run the same command again; models already on disk work offline (`normscope models list`)' },
  HTTP_NOT_FOUND: {
    exit: 1,
    hint: (e) =>
      e.details?.['status'] === 401 || e.details?.['status'] === 403
        ? 'create a read token at https://huggingface.co/settings/tokens, `export HF_TOKEN=…`, and for a gated model accept its terms on its hub page'
        : 'check the model name (ORG/NAME, as on huggingface.co) and the revision',
  },
  HTTP_ERROR: { exit: 1, hint: 'run the same command again later (a pull resumes where it stopped); HF_ENDPOINT names a mirror' },
  CHECKSUM_MISMATCH: { exit: 1, hint: 'run the same pull again: the damaged file is downloaded anew' },
  DISK_FULL: { exit: 1, hint: 'free some disk space, then run the same command again' },
  DOWNLOAD_CANCELLED: { exit: 1, hint: 'run the same pull again: it resumes where it stopped' },
  BAD_INPUT: { exit: 2, hint: (_e, command) => `run \`normscope help ${command}\` for what it expects` },
  BAD_USAGE: { exit: 2, hint: (_e, command) => `run \`normscope help ${command}\` for its options` },
  WRITE_FAILED: { exit: 1, hint: 'check that the folder exists, that you may write there and that the disk has room' },
};

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
