// Axis, tick and legend wording per figure style: normscope's own, or the notebook's ("L0", "t-1", "Attention norm (log)").
import type { Site } from '../taps.js';
import type { Theme } from './theme.js';

const NOTEBOOK_NORM: Record<Site, string> = {
  attn: 'Attention norm (log)',
  mlp: 'MLP norm (log)',
  block: 'Block output norm (log)',
};

/** A layer's tick label: `L3` in the notebook style, `3` otherwise. */
export function layerLabel(theme: Theme, layer: number): string {
  return theme.marks === 'notebook' ? `L${layer}` : String(layer);
}

/** The layer axis' label. */
export function layerAxisLabel(theme: Theme): string {
  return theme.marks === 'notebook' ? 'Transformer block' : 'Layer';
}

/** A lag's legend label: `t-1` in the notebook style, `Lag 1` otherwise. */
export function lagLabel(theme: Theme, lag: number): string {
  return theme.marks === 'notebook' ? `t-${lag}` : `Lag ${lag}`;
}

/** The label of an axis of log norms of the component's output. */
export function logNormAxisLabel(theme: Theme, component: Site | undefined): string {
  return theme.marks === 'notebook' ? NOTEBOOK_NORM[component ?? 'attn'] : 'Log norm';
}
