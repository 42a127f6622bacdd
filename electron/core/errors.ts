// Typed errors: every failure a person can meet carries a stable code and a sentence they understand.
// What each code means for a command's exit status, and what to do about it, is in errorPolicy.ts.

export type ErrorCode =
  // documents (see shared/result.ts DOCUMENT_ERROR_CODES)
  | 'EMPTY' | 'NOT_TEXT' | 'BAD_ENCODING' | 'TOO_FEW_TOKENS' | 'NONFINITE' | 'READ_FAILED' | 'MODEL_FAILED' | 'CANCELLED'
  // inputs as a whole: nothing to analyze, a path that is not a regular file, a file over a size limit
  | 'NO_DOCUMENTS' | 'NOT_A_FILE' | 'TOO_LARGE'
  // cluster runs: a merge before every shard finished
  | 'SHARDS_INCOMPLETE'
  // models
  | 'MODEL_NOT_FOUND' | 'BAD_CONFIG' | 'UNSUPPORTED_MODEL' | 'BAD_SAFETENSORS' | 'MISSING_TENSOR' | 'BAD_TENSOR_SHAPE'
  | 'MISSING_TOKENIZER' | 'BAD_TOKENIZER' | 'BAD_MODEL' | 'MODEL_TOO_LARGE' | 'PROVIDER_FAILED' | 'PROVIDER_REFUSED'
  // downloads
  | 'OFFLINE' | 'HTTP_NOT_FOUND' | 'HTTP_ERROR' | 'CHECKSUM_MISMATCH' | 'DISK_FULL' | 'DOWNLOAD_CANCELLED'
  // usage
  | 'BAD_INPUT' | 'BAD_USAGE'
  // files the app writes (results, exported figures)
  | 'WRITE_FAILED';

export class NormscopeError extends Error {
  override readonly name = 'NormscopeError';
  /**
   * `details.hint`, when a string, is the "what to do" line for this one error; without it the code's hint
   * (errorPolicy.ts) is used.
   */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isNormscopeError(e: unknown, code?: ErrorCode): e is NormscopeError {
  return e instanceof NormscopeError && (code === undefined || e.code === code);
}

/** A run with nothing to analyze (a folder with no text files): said the same way by every command. */
export function noDocuments(paths: readonly string[]): NormscopeError {
  return new NormscopeError('NO_DOCUMENTS', `no .txt, .md or .text files found in ${paths.join(', ')}`, { paths });
}
