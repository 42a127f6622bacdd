// How every renderer begins, once its data is checked: the options with their defaults and the frame under its title.
import type { Site } from '../taps.js';
import { figureFrame, type Frame } from './frame.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import type { Theme } from './theme.js';
import { figureTitle } from './titles.js';
import type { FigureName, FigureOptions } from './types.js';

export interface FigureStart {
  o: ResolvedOptions;
  theme: Theme;
  /** Whether the notebook's own marks are asked for (its style), not only its palette. */
  notebook: boolean;
  frame: Frame;
}

/** Resolves `options` (the notebook style's canvas for `figure`) and draws the frame, titled for the component. */
export function startFigure(document: Document, figure: FigureName, component: Site | undefined, options: FigureOptions | undefined): FigureStart {
  const o = resolveOptions(options, figure);
  const theme = o.theme;
  const frame = figureFrame(document, { figure, title: o.title ?? figureTitle(figure, component), width: o.width, height: o.height, theme });
  return { o, theme, notebook: theme.marks === 'notebook', frame };
}
