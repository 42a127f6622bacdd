// Misuse of a renderer (wrong shapes, non-finite values): a typed error the caller can map to its own.
export class FigureInputError extends Error {
  override readonly name = 'FigureInputError';
  readonly code = 'BAD_INPUT' as const;
}
