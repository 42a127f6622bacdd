import sharp from 'sharp';
import { NormscopeError } from '../errors.js';

export interface PngOptions {
  /** Output width in pixels (height follows the aspect ratio). */
  width?: number;
  /** Pixels per SVG pixel (default 1). */
  scale?: number;
  /** Dots per inch, an SVG pixel being 1/96 inch: 300 renders at 300/96 of the SVG's size. */
  dpi?: number;
}

// librsvg (through libvips) draws one SVG pixel per output pixel at density 72
const BASE_DENSITY = 72;
const CSS_DPI = 96;

/**
 * Rasterizes an SVG to PNG with sharp (librsvg), at one of: a pixel width, a scale, or a dpi. The PNG
 * records its dpi, so it prints at the SVG's size.
 */
export async function svgToPng(svg: string | Buffer, options: PngOptions = {}): Promise<Buffer> {
  const given = (['width', 'scale', 'dpi'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new NormscopeError('BAD_INPUT', `give one of width, scale or dpi for a PNG, not ${given.join(' and ')}`);
  for (const k of given) {
    const v = options[k]!;
    if (!Number.isFinite(v) || v <= 0) throw new NormscopeError('BAD_INPUT', `PNG ${k} must be a positive number (got ${v})`);
  }
  const input = typeof svg === 'string' ? Buffer.from(svg) : svg;
  let size: { width: number; height: number };
  try {
    const meta = await sharp(input).metadata();
    if (meta.format !== 'svg' || !meta.width || !meta.height) throw new Error(`not an SVG with a size (read as ${meta.format})`);
    size = { width: meta.width, height: meta.height };
  } catch (e) {
    throw new NormscopeError('BAD_INPUT', `cannot rasterize the figure: ${(e as Error).message}`);
  }
  const factor = options.width !== undefined ? options.width / size.width : options.dpi !== undefined ? options.dpi / CSS_DPI : (options.scale ?? 1);
  const width = Math.max(1, Math.round(size.width * factor));
  const height = Math.max(1, Math.round(size.height * factor));
  if (width * height > 268_402_689) throw new NormscopeError('BAD_INPUT', `a ${width}×${height} PNG is too large to render`);
  let image = sharp(input, { density: BASE_DENSITY * factor, limitInputPixels: false });
  const drawn = await image.metadata();
  // density rounds the size its own way: resize only when it missed the requested pixels
  if (drawn.width !== width || drawn.height !== height) image = image.resize(width, height, { fit: 'fill' });
  return image
    .png()
    .withMetadata({ density: CSS_DPI * factor })
    .toBuffer();
}
