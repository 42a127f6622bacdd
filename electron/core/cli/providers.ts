// `normscope providers`: each execution provider on this machine for a model: available, parity verdict, speed against
// the CPU, whether auto would use it, and why (probing the ones without a cached verdict). Exit 0, or 2 on bad usage.
import { withErrorPolicy } from '../errorPolicy.js';
import { normscopeHome } from '../home.js';
import { parseCommandArgs } from './args.js';
import { COMMAND_SPECS } from './commandSpecs.js';
import { surveyModelProviders, type ProviderRow } from '../model/index.js';
import { resolveModel } from '../models/index.js';

const USAGE = `usage: normscope providers [--model DIR|NAME] [--recheck] [--json]
  --model    the model to probe (default: the model analyze would use)
  --recheck  probe again instead of using cached verdicts
  --json     one JSON object instead of a table
  --verbose  also native libraries' own warnings (WebGPU's Dawn) on stderr
`;

export function providersCommand(argv: string[]): Promise<number> {
  return withErrorPolicy('providers', () => runProviders(argv));
}

async function runProviders(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, COMMAND_SPECS.providers.options);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.verbose) process.env['NORMSCOPE_NATIVE_LOGS'] = '1';
  const resolved = await resolveModel(values.model);
  const name = resolved.name;
  const rows: ProviderRow[] = await surveyModelProviders(resolved.dir, { verdictsDir: normscopeHome(), ...(values.recheck ? { recheck: true } : {}) });
  if (values.json) {
    process.stdout.write(JSON.stringify({ model: name, providers: rows }) + '\n');
    return 0;
  }
  const cell = (r: ProviderRow) => [
    r.provider,
    r.available ? 'yes' : 'no',
    r.parity === 'reference' ? 'reference' : r.max_diff === null ? r.parity : `${r.parity} (${r.max_diff.toExponential(1)})`,
    r.speed_vs_cpu === null ? '–' : `${r.speed_vs_cpu.toFixed(2)}×`,
    r.auto ? 'yes' : 'no',
  ];
  const header = ['provider', 'available', 'parity (max |Δ log norm|)', 'speed vs cpu', 'auto uses it'];
  const table = [header, ...rows.map(cell)];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  process.stdout.write(`model: ${name}\n`);
  for (const [i, r] of table.entries()) {
    process.stdout.write(r.map((c, j) => c.padEnd(widths[j]!)).join('  ').trimEnd() + '\n');
    if (i > 0) process.stdout.write(`    ${rows[i - 1]!.reason}${rows[i - 1]!.source === 'cache' ? ' [cached]' : ''}\n`);
  }
  return 0;
}
