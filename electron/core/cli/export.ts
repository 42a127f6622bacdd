// `normscope export OUT-DIR [--format parquet|csv] [--to DIR]`: a results folder's tokens and fits as two long tables
// (tokens.parquet and fits.parquet, or .csv) for pandas, polars, DuckDB and R. Reads the store read-only, so it can run
// while a batch writes. Exit 0 with the files written, 2 with one line naming the problem.
import { NormscopeError } from '../errors.js';
import { withErrorPolicy } from '../errorPolicy.js';
import { ProgressLine } from '../terminal/progress-line.js';
import { parseCommandArgs } from './args.js';
import { COMMAND_SPECS } from './commandSpecs.js';

const USAGE = `usage: normscope export OUT-DIR [--format parquet|csv] [--to DIR]
  OUT-DIR   a results folder written by 'normscope analyze --out-dir' or the app
  --format  parquet (default) or csv
  --to DIR  where tokens.{parquet,csv} and fits.{parquet,csv} go (default OUT-DIR)
`;

interface Options {
  outDir: string;
  format: 'parquet' | 'csv';
  to: string;
}

export function parseExportArgs(argv: string[]): Options | 'help' {
  const parsed = parseCommandArgs(argv, COMMAND_SPECS.export.options);
  if (parsed.values.help) return 'help';
  const [outDir, ...extra] = parsed.positionals;
  if (!outDir) throw new NormscopeError('BAD_USAGE', 'missing OUT-DIR, the results folder to export');
  if (extra.length) throw new NormscopeError('BAD_USAGE', `unexpected argument '${extra[0]}'`);
  const format = parsed.values.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv') throw new NormscopeError('BAD_USAGE', `--format must be parquet or csv, got '${format}'`);
  return { outDir, format, to: parsed.values.to ?? outDir };
}

export function exportCommand(argv: string[]): Promise<number> {
  return withErrorPolicy('export', async () => {
    const options = parseExportArgs(argv);
    if (options === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    const { CorpusStore } = await import('../corpus/store/index.js');
    const { exportTables } = await import('../corpus/exports/table-export.js');
    const store = await CorpusStore.open(options.outDir, { readOnly: true });
    const line = new ProgressLine(process.stderr);
    const written = await exportTables(store, options.to, options.format, {
      onProgress: ({ table, done, total }) => line.show(`${table} table: ${done}/${total} documents`, done === total),
    });
    line.end();
    for (const w of written) process.stderr.write(`normscope: wrote ${w.file} (${w.rows.toLocaleString('en-US')} rows, ${w.bytes.toLocaleString('en-US')} bytes)\n`);
    return 0;
  });
}
