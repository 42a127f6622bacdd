// Figure titles: the notebook's own for attention, the same wording for the other components.
import type { Site } from '../taps.js';
import type { FigureName } from './types.js';

const TITLES: Record<FigureName, Record<Site, string>> = {
  'attention-norm-strip': {
    attn: 'Attention norms',
    mlp: 'MLP output norms',
    block: 'Block output norms',
  },
  'attention-norm-histograms': {
    attn: 'Attention norm distributions',
    mlp: 'MLP output norm distributions',
    block: 'Block output norm distributions',
  },
  'beta-across-layers': {
    attn: 'Predicting token update from previous token updates',
    mlp: 'Predicting MLP update from previous MLP updates',
    block: 'Predicting block output from previous block outputs',
  },
  'log-norm-heatmap': {
    attn: 'Attention log norms by token and layer',
    mlp: 'MLP output log norms by token and layer',
    block: 'Block output log norms by token and layer',
  },
  'beta-distributions': {
    attn: 'Attention: β across documents',
    mlp: 'MLP output: β across documents',
    block: 'Block output: β across documents',
  },
  'share-significant': {
    attn: 'Attention: share of documents with p < .05',
    mlp: 'MLP output: share of documents with p < .05',
    block: 'Block output: share of documents with p < .05',
  },
  'compare-beta-depth': {
    attn: 'β by relative depth',
    mlp: 'MLP output: β by relative depth',
    block: 'Block output: β by relative depth',
  },
  'compare-share-significant': {
    attn: 'Share of significant layers',
    mlp: 'MLP output: share of significant layers',
    block: 'Block output: share of significant layers',
  },
  'compare-log-norms-depth': {
    attn: 'Log-norm distributions by depth',
    mlp: 'MLP output: log-norm distributions by depth',
    block: 'Block output: log-norm distributions by depth',
  },
};

export function figureTitle(figure: FigureName, component: Site | undefined): string {
  return TITLES[figure][component ?? 'attn'];
}
