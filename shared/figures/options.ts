import { FigureInputError } from './figureInputError.js';
import { themeOf, type Theme } from './theme.js';
import { notebookSize } from './notebookStyle.js';
import { THEME_NAMES, type FigureName, type FigureOptions } from './types.js';

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

/** The options with their defaults; the notebook style's default size is the notebook's canvas for `figure`. */
export function resolveOptions(options: FigureOptions | undefined, figure?: FigureName): ResolvedOptions {
  const theme = options?.theme ?? 'light';
  if (!(THEME_NAMES as readonly unknown[]).includes(theme)) throw new FigureInputError(`figure theme must be one of ${THEME_NAMES.join(', ')} (got ${String(theme)})`);
  const size = (theme === 'notebook' && figure ? notebookSize(figure) : undefined) ?? { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT };
  const width = options?.width ?? size.width;
  const height = options?.height ?? size.height;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isFinite(v) || v < 50 || v > 20000) {
      throw new FigureInputError(`figure ${name} must be a number of pixels between 50 and 20000 (got ${v})`);
    }
  }
  const seed = options?.seed ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new FigureInputError(`figure seed must be a finite number (got ${seed})`);
  return { width, height, theme: themeOf(theme), seed, title: options?.title };
}
