// fits → figure files: a document's three notebook figures, drawn by the shared D3 renderers (the app's
// own) on a server-side DOM and saved as `<document>.<figure>.svg|png|pdf`, or one `<document>.figures.pdf`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { EXPORT_FORMATS } from '../../../shared/ipc.js';
import type { DocumentOk, Settings } from '../../../shared/result.js';
import { NOTEBOOK_FIGURES, documentFigureData, type FigureDataMap, type FigureName, type FigureOptions } from '../../../shared/figures/index.js';
import { documentFileStem, figureFileName, renderFigureSvg, svgToPdf, svgToPng, type PngOptions } from '../figures/index.js';
import { writeFileAtomic } from '../fs/atomic.js';

// the app's export formats: the CLI writes the same three
export const FIGURE_FORMATS = EXPORT_FORMATS;
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
  /** PDF only: the three figures as the pages of one `<document>.figures.pdf`. */
  combine?: boolean;
}

/** Writes the three figures of one document; returns the paths written. */
export async function writeDocumentFigures(result: DocumentOk, nLayers: number, settings: Settings, o: FigureFileOptions): Promise<string[]> {
  const { logNorms, beta } = documentFigureData(result, settings, nLayers);
  const data = { 'attention-norm-strip': logNorms, 'attention-norm-histograms': logNorms, 'beta-across-layers': beta } as const;
  await fs.mkdir(o.dir, { recursive: true });
  const svgs = NOTEBOOK_FIGURES.map((figure) => renderFigureSvg(figure, data[figure], o.figure));
  if (o.format === 'pdf' && o.combine) {
    const file = path.join(o.dir, `${documentFileStem(o.docName)}.figures.pdf`);
    await writeFileAtomic(file, await svgToPdf(svgs, { title: path.basename(o.docName) }));
    return [file];
  }
  const written: string[] = [];
  for (const [i, figure] of NOTEBOOK_FIGURES.entries()) written.push(await writeSvgFile(figure, svgs[i]!, o));
  return written;
}

/** Draws one figure and writes it as `<docName>.<figure>.<format>` in `o.dir` (which must exist); returns the path. */
export async function writeFigureFile<N extends FigureName>(figure: N, data: FigureDataMap[N], o: FigureFileOptions): Promise<string> {
  return writeSvgFile(figure, renderFigureSvg(figure, data, o.figure), o);
}

async function writeSvgFile(figure: FigureName, svg: string, o: FigureFileOptions): Promise<string> {
  const file = path.join(o.dir, figureFileName(o.docName, figure, o.format));
  await writeFileAtomic(file, await encode(svg, o));
  return file;
}

function encode(svg: string, o: FigureFileOptions): Promise<Buffer> | Buffer {
  if (o.format === 'png') return svgToPng(svg, o.png ?? {});
  if (o.format === 'pdf') return svgToPdf(svg);
  return Buffer.from(svg, 'utf8');
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
