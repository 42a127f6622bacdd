import { basename, extname } from 'node:path';
import type { FigureName } from '../../../shared/figures/index.js';

/**
 * `figureFileName('texts/Hungarian rock.txt', 'beta-across-layers', 'png')` →
 * `Hungarian_rock.beta-across-layers.png`: the document's name without folder or extension, made
 * safe on every file system, then the figure and the format.
 */
export function figureFileName(docName: string, figure: FigureName, format: 'svg' | 'png' | 'pdf'): string {
  return `${documentFileStem(docName)}.${figure}.${format}`;
}

/** The document's part of its figure files' names: `texts/Hungarian rock.txt` → `Hungarian_rock`. */
export function documentFileStem(docName: string): string {
  const base = basename(docName.replaceAll('\\', '/'));
  const stem = base.slice(0, base.length - extname(base).length) || base;
  const safe = stem
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 120);
  return safe || 'document';
}
