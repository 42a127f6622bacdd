// fits → figure files: a document's three notebook figures, drawn by the shared D3 renderers (the app's
// own) on a server-side DOM and saved as `<document>.<figure>.svg|png`.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DocumentOk, Settings } from '../../../shared/result.js';
import { NOTEBOOK_FIGURES, documentFigureData, type FigureDataMap, type FigureName, type FigureOptions } from '../../../shared/figures/index.js';
import { figureFileName, renderFigureSvg, svgToPng, type PngOptions } from '../figures/index.js';

export const FIGURE_FORMATS = ['svg', 'png'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

export interface FigureFileOptions {
  dir: string;
  /** The document's name for its files (see figureDocNames). */
  docName: string;
  format: FigureFormat;
  /** Figure size in CSS pixels and style (the renderer's defaults when absent). */
  figure?: Pick<FigureOptions, 'width' | 'height' | 'theme'>;
  /** PNG resolution: a scale or a dpi (1× when absent). */
  png?: Pick<PngOptions, 'scale' | 'dpi'>;
}

/** Writes the three figures of one document; returns the paths written. */
export async function writeDocumentFigures(result: DocumentOk, nLayers: number, settings: Settings, o: FigureFileOptions): Promise<string[]> {
  const { logNorms, beta } = documentFigureData(result, settings, nLayers);
  const data = { 'attention-norm-strip': logNorms, 'attention-norm-histograms': logNorms, 'beta-across-layers': beta } as const;
  await fs.mkdir(o.dir, { recursive: true });
  const written: string[] = [];
  for (const figure of NOTEBOOK_FIGURES) written.push(await writeFigureFile(figure, data[figure], o));
  return written;
}

/** Draws one figure and writes it as `<docName>.<figure>.<format>` in `o.dir` (which must exist); returns the path. */
export async function writeFigureFile<N extends FigureName>(figure: N, data: FigureDataMap[N], o: FigureFileOptions): Promise<string> {
  const svg = renderFigureSvg(figure, data, o.figure);
  const file = path.join(o.dir, figureFileName(o.docName, figure, o.format));
  await fs.writeFile(file, o.format === 'svg' ? svg : await svgToPng(svg, o.png ?? {}));
  return file;
}

/**
 * Names for documents' figure files, from their paths: the file name, made unique with `-2`, `-3`, … before
 * the extension when another document's figures would take the same file (two folders can both hold `a.txt`).
 */
export function figureDocNames(paths: readonly string[]): string[] {
  const taken = new Set<string>();
  // compared as the file figureFileName makes, case folded: distinct names can meet on disk
  const fileOf = (name: string) => figureFileName(name, NOTEBOOK_FIGURES[0], 'svg').toLowerCase();
  return paths.map((p) => {
    const base = path.basename(p);
    const ext = path.extname(base);
    let name = base;
    for (let k = 2; taken.has(fileOf(name)); k++) name = `${base.slice(0, base.length - ext.length)}-${k}${ext}`;
    taken.add(fileOf(name));
    return name;
  });
}
