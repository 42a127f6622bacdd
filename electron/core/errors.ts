// Typed errors: every failure a person can meet carries a stable code and a sentence they understand.

export type ErrorCode =
  // documents (see shared/result.ts DOCUMENT_ERROR_CODES)
  | 'EMPTY' | 'NOT_TEXT' | 'BAD_ENCODING' | 'TOO_FEW_TOKENS' | 'NONFINITE' | 'READ_FAILED' | 'MODEL_FAILED' | 'CANCELLED'
  | 'TOO_LARGE'
  | 'NOT_A_FILE'
  // models
  | 'MODEL_NOT_FOUND' | 'BAD_CONFIG' | 'UNSUPPORTED_MODEL' | 'BAD_SAFETENSORS' | 'MISSING_TENSOR' | 'BAD_TENSOR_SHAPE'
  | 'MISSING_TOKENIZER' | 'BAD_TOKENIZER' | 'PROVIDER_FAILED' | 'PROVIDER_REFUSED' | 'BAD_MODEL' | 'MODEL_TOO_LARGE'
  // downloads
  | 'OFFLINE' | 'HTTP_NOT_FOUND' | 'HTTP_ERROR' | 'CHECKSUM_MISMATCH' | 'DISK_FULL' | 'DOWNLOAD_CANCELLED'
  // usage
  | 'BAD_INPUT' | 'BAD_USAGE'
  // files the app writes (results, exported figures)
  | 'WRITE_FAILED';

export class NormscopeError extends Error {
  override readonly name = 'NormscopeError';
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
