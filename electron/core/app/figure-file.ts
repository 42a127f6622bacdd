// view → figure file: draws one document or corpus figure with the shared renderers on a server-side DOM and
// encodes it as SVG, PNG (1×, 2×, 300 dpi) or a vector PDF (pdfkit, the CLI's own path: no Electron printing).
import type { CompareFigure, CorpusFigure, CorpusResults, DocumentFigure, DocumentView, ExportFormat, PngResolution } from '../../../shared/ipc.js';
import { documentFigureData, notebookSize, type FigureDataMap } from '../../../shared/figures/index.js';
import type { ThemeName } from '../../../shared/figures/types.js';
import { renderFigureSvg, svgToPdf, svgToPng } from '../figures/index.js';

export { figureFileName } from '../figures/index.js';

/**
 * Export sizes in CSS pixels: the notebook's figures at a journal column's proportions (in the notebook style at the
 * notebook's own canvas); the heat map grows with the layers.
 */
export function exportSize(figure: DocumentFigure | CorpusFigure, nLayers: number, theme?: ThemeName): { width: number; height: number } {
  const notebook = theme === 'notebook' ? notebookSize(figure) : undefined;
  if (notebook) return notebook;
  // the corpus figures draw a group per layer and lag: wider as the layers grow
  if (figure === 'beta-distributions' || figure === 'share-significant') return { width: Math.min(2000, Math.max(760, 200 + 48 * nLayers)), height: 460 };
  if (figure === 'log-norm-heatmap') return { width: 960, height: Math.min(2000, 120 + 22 * nLayers) };
  if (figure === 'attention-norm-histograms') return { width: 720, height: 460 };
  return { width: 720, height: 440 };
}

export interface ExportOptions {
  format: ExportFormat;
  theme: ThemeName;
  resolution?: PngResolution;
  width?: number;
  height?: number;
}

/** The bytes of one figure file. */
export async function figureFile(
  figure: DocumentFigure,
  view: FigureSource,
  o: ExportOptions,
): Promise<Uint8Array> {
  const size = exportSize(figure, view.model.n_layer, o.theme);
  const width = o.width ?? size.width;
  const height = o.height ?? size.height;
  const svg = renderFigureSvg(figure, figureInput(figure, view), { width, height, theme: o.theme });
  return encodeFigure(svg, o.format, o.resolution);
}

/** The bytes of one corpus figure file, drawn from the summary's figure inputs. */
export async function corpusFigureFile(
  figure: CorpusFigure,
  figures: NonNullable<CorpusResults['figures']>,
  o: ExportOptions,
): Promise<Uint8Array> {
  const size = exportSize(figure, figures[figure].layers.length, o.theme);
  const width = o.width ?? size.width;
  const height = o.height ?? size.height;
  const svg = renderFigureSvg<CorpusFigure>(figure, figures[figure], { width, height, theme: o.theme });
  return encodeFigure(svg, o.format, o.resolution);
}

/** The bytes of one compare figure file, drawn from the comparison's figure inputs (core computed them). */
export async function compareFigureFile<F extends CompareFigure>(figure: F, data: FigureDataMap[F], o: ExportOptions): Promise<Uint8Array> {
  const width = o.width ?? 760;
  const height = o.height ?? 460;
  const svg = renderFigureSvg<CompareFigure>(figure, data, { width, height, theme: o.theme });
  return encodeFigure(svg, o.format, o.resolution);
}

async function encodeFigure(svg: string, format: ExportFormat, resolution: PngResolution | undefined): Promise<Uint8Array> {
  if (format === 'svg') return Buffer.from(svg, 'utf8');
  if (format === 'png') return svgToPng(svg, pngOptions(resolution ?? '2x'));
  return svgToPdf(svg);
}

type FigureSource = Pick<DocumentView, 'layers' | 'settings' | 'model' | 'tokens'>;

/** A document figure's input, picked from the view by the shared picker (renderer/src/lib/figureData.ts does the same on screen). */
export function figureInput<F extends DocumentFigure>(figure: F, v: FigureSource): FigureDataMap[F] {
  const { logNorms, beta } = documentFigureData({ path: '', status: 'ok', tokens: v.tokens, layers: v.layers }, v.settings, v.model.n_layer);
  const byFigure: { [K in DocumentFigure]: FigureDataMap[K] } = {
    'attention-norm-strip': logNorms,
    'attention-norm-histograms': logNorms,
    'beta-across-layers': beta,
    'log-norm-heatmap': logNorms,
  };
  return byFigure[figure] as FigureDataMap[F];
}

function pngOptions(resolution: PngResolution): { scale?: number; dpi?: number } {
  return resolution === '300dpi' ? { dpi: 300 } : { scale: resolution === '2x' ? 2 : 1 };
}
