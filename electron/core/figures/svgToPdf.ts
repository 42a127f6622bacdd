import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { NormscopeError } from '../errors.js';

// svg-to-pdfkit draws our SVG text into pdfkit with its own parser (no DOM, no browser), keeps <text> as text and lets
// pdfkit subset and embed the font: 14–42 KB a figure (README "PDF": why not jsPDF + svg2pdf.js).
const require = createRequire(import.meta.url);
// DejaVu Sans: the notebook style's font, and what librsvg draws our PNGs with where no system-ui font is installed
const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  italic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
  boldItalic: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-BoldOblique.ttf'),
} as const;

/** A CSS pixel is 1/96 inch and a PDF point 1/72: the page prints at the size the PNG records, whatever its dpi. */
export const POINTS_PER_PX = 72 / 96;

export interface PdfOptions {
  /** The document's Title entry (a viewer's window title). */
  title?: string;
  /** Fixes the CreationDate, so the same figures give the same bytes (the committed samples). */
  date?: Date;
}

/** The size a standalone SVG declares on its root element, in CSS pixels. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\s${name}="([0-9.]+)(?:px)?"`).exec(root)?.[1]);
  const size = { width: attr('width'), height: attr('height') };
  if (!(size.width > 0 && size.height > 0)) throw new NormscopeError('BAD_INPUT', 'cannot make a PDF page: the SVG declares no width and height in pixels');
  return size;
}

/**
 * One vector PDF of one or more SVG figures, a page each, every page the figure's own size in points. Text stays text
 * (selectable, searchable) in the embedded, subset DejaVu Sans.
 */
export function svgToPdf(svgs: string | readonly string[], options: PdfOptions = {}): Promise<Buffer> {
  const pages = typeof svgs === 'string' ? [svgs] : svgs;
  if (pages.length === 0) throw new NormscopeError('BAD_INPUT', 'a PDF needs at least one figure');
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Creator: 'normscope', Producer: 'normscope (pdfkit)', ...(options.title ? { Title: options.title } : {}), ...(options.date ? { CreationDate: options.date } : {}) },
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const svg of pages) {
    const { width, height } = svgSize(svg);
    const size: [number, number] = [width * POINTS_PER_PX, height * POINTS_PER_PX];
    doc.addPage({ size, margin: 0 });
    SVGtoPDF(doc, svg, 0, 0, {
      width: size[0],
      height: size[1],
      assumePt: false,
      fontCallback: (_family: string, bold: boolean, italic: boolean) => (bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular'),
    });
  }
  doc.end();
  return done;
}
