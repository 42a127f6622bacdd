// How the compare figures tell models and lags apart: a colour per model (Okabe–Ito, safe for colour-blind readers,
// chosen per theme so each stays distinct on its ground) and a dash pattern per lag (lag 1 solid, lag 2 dashed).
import type { LegendEntry } from './legend.js';
import type { Theme } from './theme.js';

// Okabe & Ito (2008); on white the yellow is swapped for grey, on the dark grounds the dark blue for a light grey
const MODEL_COLORS: Record<'light' | 'dark', readonly string[]> = {
  light: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'],
  dark: ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442', '#D55E00', '#FFFFFF', '#BBBBBB'],
};

const LAG_DASHES = ['', '7 4', '2 3', '9 3 2 3'];

/** The colour of the comparison's model number `model` (its index), in this theme. */
export function modelColor(theme: Theme, model: number): string {
  const palette = MODEL_COLORS[theme.name === 'light' ? 'light' : 'dark'];
  return palette[model % palette.length]!;
}

/** The stroke-dasharray of lag `lag` ('' is solid). */
export function lagDash(lag: number): string {
  return LAG_DASHES[(lag - 1) % LAG_DASHES.length]!;
}

/** One legend entry per model: a short line in its colour, tagged with data-model for hover linking. */
export function modelLegendEntries(models: readonly { model: number; name: string }[], theme: Theme): LegendEntry[] {
  return models.map((m) => ({
    label: m.name,
    data: { model: m.model },
    swatch: (g) => {
      g.append('line').attr('x1', -9).attr('x2', 9).attr('stroke', modelColor(theme, m.model)).attr('stroke-width', 3);
    },
  }));
}

/** One legend entry per lag: a neutral line in the lag's dash pattern. */
export function lagLegendEntries(lags: number, theme: Theme, label: (lag: number) => string): LegendEntry[] {
  return Array.from({ length: lags }, (_, i) => i + 1).map((lag) => ({
    label: label(lag),
    data: { lag },
    swatch: (g) => {
      g.append('line').attr('x1', -9).attr('x2', 9).attr('stroke', theme.neutral).attr('stroke-width', 2).attr('stroke-dasharray', lagDash(lag) || null);
    },
  }));
}
