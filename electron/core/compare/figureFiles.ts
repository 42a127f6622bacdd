// comparison → figure files: the compare figures drawn by the shared renderers and written through analyze's figure-file
// path (so every format it writes, compare writes), as `<name>.<figure>.<format>`.
import fs from 'node:fs/promises';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import { COMPARE_FIGURES } from '../../../shared/figures/index.js';
import { writeFigureFile, type FigureFileOptions } from '../analysis/figureFiles.js';
import { comparisonFigureData } from './figureData.js';

/** Writes the comparison's figures (two for corpus runs, whose token series stay in their folders); returns the paths. */
export async function writeComparisonFigures(doc: ComparisonDocument, o: FigureFileOptions): Promise<string[]> {
  const data = comparisonFigureData(doc);
  await fs.mkdir(o.dir, { recursive: true });
  const written: string[] = [];
  for (const figure of COMPARE_FIGURES) {
    const input = data[figure];
    if (input) written.push(await writeFigureFile(figure, input as never, o));
  }
  return written;
}
