// Figures on the server: the shared D3 renderers drawn on jsdom, saved as SVG text, rasterized to PNG or drawn into a vector PDF.
export { renderFigureSvg } from './renderFigureSvg.js';
export { svgToPng, type PngOptions } from './svgToPng.js';
export { documentFileStem, figureFileName } from './figureFileName.js';
export { svgToPdf, svgSize, POINTS_PER_PX, type PdfOptions } from './svgToPdf.js';
