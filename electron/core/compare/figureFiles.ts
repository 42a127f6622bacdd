// comparison → figure files: the compare figures drawn by the shared renderers and written through analyze's figure-file
// path (so every format it writes, compare writes), as `<name>.<figure>.<format>`.
import fs from 'node:fs/promises';
import type { ComparisonDocument } from '../../../shared/comparison.js';
import { writeFigureFile, type FigureFileOptions } from '../analysis/figureFiles.js';
import { comparisonFigureData } from './figureData.js';

/** Writes the comparison's figures (two for corpus runs, whose token series stay in their folders); returns the paths. */
export async function writeComparisonFigures(doc: ComparisonDocument, o: FigureFileOptions): Promise<string[]> {
  const data = comparisonFigureData(doc);
  await fs.mkdir(o.dir, { recursive: true });
  const written = [
    await writeFigureFile('compare-beta-depth', data['compare-beta-depth'], o),
    await writeFigureFile('compare-share-significant', data['compare-share-significant'], o),
  ];
  const logNorms = data['compare-log-norms-depth'];
  if (logNorms) written.push(await writeFigureFile('compare-log-norms-depth', logNorms, o));
  return written;
}
