// Every colour and font the figures use, per theme, in one place.
import { color } from 'd3';
import { NOTEBOOK } from './notebookStyle.js';
import type { ThemeName } from './types.js';

export interface Theme {
  name: ThemeName;
  /** 'normscope' draws normscope's own marks; 'notebook' the notebook's (hexagons, L0 ticks, t-1 legends). */
  marks: 'normscope' | 'notebook';
  background: string;
  /** Titles and axis labels. */
  text: string;
  /** Tick labels and legend text. */
  muted: string;
  /** Spines and tick marks. */
  axis: string;
  grid: string;
  /** The zero line and reference lines. */
  reference: string;
  /** Per lag (lag k uses lagColors[(k-1) % length]). */
  lagColors: readonly string[];
  /** Neutral colour of the "p ≥ .05" legend entry. */
  neutral: string;
  fontFamily: string;
  titleSize: number;
  labelSize: number;
  tickSize: number;
  labelWeight: 'normal' | 'bold';
  spineWidth: number;
  tickLength: number;
}

// The system UI font where there is one; DejaVu Sans is what fontconfig has on bare Linux (librsvg).
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif';

const NORMSCOPE = { marks: 'normscope', fontFamily: FONT_FAMILY, titleSize: 15, labelSize: 13, tickSize: 11, labelWeight: 'normal', spineWidth: 1, tickLength: 6 } as const;

export const THEMES: Record<ThemeName, Theme> = {
  light: {
    name: 'light',
    background: '#ffffff',
    text: '#1f2328',
    muted: '#4a5058',
    axis: '#6a717a',
    grid: '#e8eaed',
    reference: '#8c939c',
    lagColors: ['#2b6cb0', '#c53d4f', '#2a9d8f', '#d68c1a', '#7b5ea7', '#5f6b7a'],
    neutral: '#6a717a',
    ...NORMSCOPE,
  },
  // The notebook's dark palette (#383838 face, #DDE2F4 for edges, ticks and text) with normscope's own marks.
  dark: {
    name: 'dark',
    background: NOTEBOOK.face,
    text: NOTEBOOK.ink,
    muted: NOTEBOOK.ink,
    axis: NOTEBOOK.ink,
    grid: '#4b4b4b',
    reference: '#9a9a9a',
    lagColors: ['#6ea8fe', '#ff7b8a', '#5fd3c3', '#ffc766', '#b69cf0', '#c0c6d6'],
    neutral: '#b4b9cc',
    ...NORMSCOPE,
  },
  // The notebook's cell itself: its palette, matplotlib's DejaVu Sans at matplotlib's sizes, bold titles and labels.
  notebook: {
    name: 'notebook',
    marks: 'notebook',
    background: NOTEBOOK.face,
    text: NOTEBOOK.ink,
    muted: NOTEBOOK.ink,
    axis: NOTEBOOK.ink,
    // the corpus figures' solid grid; the β figure draws the notebook's own dashed 0.1 pt one
    grid: '#4b4b4b',
    reference: NOTEBOOK.beta.zeroColor,
    lagColors: NOTEBOOK.beta.lagColors,
    neutral: NOTEBOOK.beta.xColor,
    fontFamily: '"DejaVu Sans", "Bitstream Vera Sans", Arial, sans-serif',
    titleSize: NOTEBOOK.titleSize,
    labelSize: NOTEBOOK.fontSize,
    tickSize: NOTEBOOK.fontSize,
    labelWeight: 'bold',
    spineWidth: NOTEBOOK.spineWidth,
    tickLength: NOTEBOOK.tickLength,
  },
};

export function themeOf(name: ThemeName | undefined): Theme {
  return THEMES[name ?? 'light'] ?? THEMES.light;
}

export function lagColor(theme: Theme, lag: number): string {
  return theme.lagColors[(lag - 1) % theme.lagColors.length]!;
}

/** The outline of a data mark: darker on the light ground, lighter on a dark one (plasma's dark end stays visible). */
export function markOutline(theme: Theme, fill: string): string {
  const c = color(fill)!;
  return (theme.background === THEMES.light.background ? c.darker(0.7) : c.brighter(1.4)).formatHex();
}
