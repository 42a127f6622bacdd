import { FigureInputError } from './figureInputError.js';
import { themeOf, type Theme } from './theme.js';
import type { FigureOptions } from './types.js';

export interface ResolvedOptions {
  width: number;
  height: number;
  theme: Theme;
  seed: number;
  title: string | undefined;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 420;
export const DEFAULT_SEED = 42;

export function resolveOptions(options: FigureOptions | undefined): ResolvedOptions {
  const width = options?.width ?? DEFAULT_WIDTH;
  const height = options?.height ?? DEFAULT_HEIGHT;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isFinite(v) || v < 50 || v > 20000) {
      throw new FigureInputError(`figure ${name} must be a number of pixels between 50 and 20000 (got ${v})`);
    }
  }
  const theme = options?.theme ?? 'light';
  if (theme !== 'light' && theme !== 'dark') throw new FigureInputError(`figure theme must be 'light' or 'dark' (got ${String(theme)})`);
  const seed = options?.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new FigureInputError(`figure seed must be a finite number (got ${seed})`);
  return { width, height, theme: themeOf(theme), seed, title: options?.title };
}
