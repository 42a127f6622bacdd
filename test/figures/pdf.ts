// Test support for PDFs: pdf.js (Mozilla's parser) reads what a viewer reads: page sizes, the text layer, the drawing ops.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPage {
  /** width and height in points */
  size: [number, number];
  /** every text run a viewer can select, in drawing order */
  text: string[];
  /** painted paths (pdf.js' constructPath ops) */
  paths: number;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: PdfPage[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const text = (await page.getTextContent()).items.flatMap((item) => ('str' in item && item.str.trim() ? [item.str] : []));
    const ops = await page.getOperatorList();
    pages.push({ size: [x1 - x0, y1 - y0], text, paths: ops.fnArray.filter((f) => f === OPS.constructPath).length });
  }
  await doc.destroy();
  return pages;
}

/** The SVG's shapes (each is one path in the PDF) and its text elements' strings. */
export function svgParts(svg: string): { shapes: number; texts: string[] } {
  const shapes = [...svg.matchAll(/<(rect|circle|ellipse|line|polyline|polygon|path)[\s/>]/g)].length;
  const texts = [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]!).trim()).filter(Boolean);
  return { shapes, texts };
}

function decodeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Page 1 of a PDF rasterized by poppler's pdftoppm (Debian: poppler-utils) at 96 dpi: one pixel per CSS pixel. */
export function pdftoppm(pdf: Uint8Array): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-pdf-'));
  try {
    fs.writeFileSync(path.join(dir, 'f.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '96', '-thinlinemode', 'shape', '-f', '1', '-l', '1', '-png', '-singlefile', 'f.pdf', 'page'], { cwd: dir });
    return fs.readFileSync(path.join(dir, 'page.png'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
