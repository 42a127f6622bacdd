// Figures on the server: the shared D3 renderers drawn on jsdom, saved as SVG text or rasterized to PNG.
export { renderFigureSvg } from './renderFigureSvg.js';
export { svgToPng, type PngOptions } from './svgToPng.js';
export { figureFileName } from './figureFileName.js';
