// Every colour and font the figures use, per theme, in one place.
import { color } from 'd3';
import type { ThemeName } from './types.js';

export interface Theme {
  name: ThemeName;
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
}

// The system UI font where there is one; DejaVu Sans is what fontconfig has on bare Linux (librsvg).
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif';

const SIZES = { fontFamily: FONT_FAMILY, titleSize: 15, labelSize: 13, tickSize: 11 } as const;

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
    ...SIZES,
  },
  // The notebook's dark palette: #282a2c ground, #DDE2F4 ink.
  dark: {
    name: 'dark',
    background: '#282a2c',
    text: '#dde2f4',
    muted: '#c3c8da',
    axis: '#dde2f4',
    grid: '#3d4043',
    reference: '#8e93a6',
    lagColors: ['#6ea8fe', '#ff7b8a', '#5fd3c3', '#ffc766', '#b69cf0', '#c0c6d6'],
    neutral: '#aeb3c6',
    ...SIZES,
  },
};

export function themeOf(name: ThemeName | undefined): Theme {
  return THEMES[name ?? 'light'] ?? THEMES.light;
}

export function lagColor(theme: Theme, lag: number): string {
  return theme.lagColors[(lag - 1) % theme.lagColors.length]!;
}

/** The outline of a data mark: darker on the light ground, lighter on the dark one (plasma's dark end stays visible). */
export function markOutline(theme: Theme, fill: string): string {
  const c = color(fill)!;
  return (theme.name === 'dark' ? c.brighter(1.4) : c.darker(0.7)).formatHex();
}
