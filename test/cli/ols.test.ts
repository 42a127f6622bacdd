// `normscope ols`: olsCommand called directly with captured streams for every kind of bad input,
// and once through the real entry (electron/cli.ts main, run by node with tsx in a child process,
// so no build is needed) to check exit codes and streams end to end.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { olsCommand } from '../../electron/core/cli/ols.js';
import { fitOls } from '../../electron/core/stats/index.js';
import { shared } from '../stats/designs.js';
import { mismatches, STATSMODELS } from '../stats/close.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'normscope-ols-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const c = (shared('fixtures/ols-cases.json') as any)['well-conditioned'];

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(argv: string[], stdinText = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await olsCommand(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: Readable.from([stdinText]),
  });
  return { code, out, err };
}

describe('olsCommand(argv) on good input', () => {
  it('prints one fit object for --in FILE (HC3; maxlags ignored), as fitOls gives it and statsmodels expects', async () => {
    const input = file('good.json', JSON.stringify({ y: c.y, X: c.X, cov: 'HC3', maxlags: 2, alpha: 0.05 }));
    const { code, out, err } = await run(['--in', input]);
    expect([code, err]).toEqual([0, '']);
    expect(out.trim().split('\n')).toHaveLength(1);
    const fit = JSON.parse(out);
    expect(fit).toEqual(JSON.parse(JSON.stringify(fitOls(c.y, c.X, { cov: 'HC3' }))));
    expect(fit.cov_type).toBe('HC3');
    expect(mismatches(fit.bse, c.expected.bse_HC3, STATSMODELS)).toEqual([]);
  });
  it('reads standard input with --in -', async () => {
    const { code, out } = await run(['--in', '-'], JSON.stringify({ y: c.y, X: c.X }));
    expect(code).toBe(0);
    expect(mismatches(JSON.parse(out).params, c.expected.params, STATSMODELS)).toEqual([]);
  });
  it('takes HAC with maxlags and use_correction', async () => {
    const { code, out } = await run(['--in', '-'], JSON.stringify({ y: c.y, X: c.X, cov: 'HAC', maxlags: 2 }));
    expect(code).toBe(0);
    expect(mismatches(JSON.parse(out).bse, c.expected.bse_HAC2, STATSMODELS)).toEqual([]);
  });
  it('prints usage for --help and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/usage: normscope ols --in FILE\.json/);
  });
});

describe('olsCommand(argv) on bad input: exit 2, a line on stderr naming the problem and one saying what to do, nothing on stdout', () => {
  const design = { y: [1, 2, 3.5, 4], X: [[1, 0], [1, 1], [1, 2], [1, 3]] };
  const json = (extra: Record<string, unknown>) => JSON.stringify({ ...design, ...extra });
  mkdirSync(path.join(dir, 'folder'), { recursive: true });
  const cases: [string, string[], string, RegExp][] = [
    ['no --in', [], '', /missing --in FILE\.json/],
    ['--in without a value', ['--in'], '', /argument missing/],
    ['an unknown option', ['--in', '-', '--cov', 'HC3'], '', /unknown option '--cov'/],
    ['an extra argument', ['--in', '-', 'more.json'], '', /unexpected argument 'more\.json'/],
    ['a missing file', ['--in', path.join(dir, 'nope.json')], '', /cannot read .*nope\.json: no such file/],
    ['a folder', ['--in', path.join(dir, 'folder')], '', /cannot read .*folder: it is a folder/],
    ['an empty file', ['--in', file('empty.json', '  \n')], '', /empty\.json is empty/],
    ['empty standard input', ['--in', '-'], '', /standard input is empty/],
    ['bad JSON', ['--in', '-'], '{"y": [1, 2], "X": [[1], [2]],}', /standard input is not valid JSON/],
    ['NaN', ['--in', '-'], '{"y": [1, NaN], "X": [[1], [2]]}', /holds NaN, which JSON cannot carry/],
    ['Infinity', ['--in', '-'], '{"y": [1, 2], "X": [[1], [Infinity]]}', /holds Infinity, which JSON cannot carry/],
    ['a number too large for float64', ['--in', '-'], '{"y": [1, 2], "X": [[1], [1e999]]}', /X\[1\]\[0\] is Infinity, not a finite number/],
    ['not an object', ['--in', '-'], '[1, 2, 3]', /must hold one JSON object with "y" and "X"/],
    ['no y', ['--in', '-'], JSON.stringify({ X: design.X }), /missing "y"/],
    ['no X', ['--in', '-'], JSON.stringify({ y: design.y }), /missing "X"/],
    ['y not an array', ['--in', '-'], JSON.stringify({ y: 3, X: design.X }), /"y" must be an array/],
    ['an unknown field', ['--in', '-'], json({ covtype: 'HC3' }), /unknown field "covtype"/],
    ['empty y and X', ['--in', '-'], JSON.stringify({ y: [], X: [] }), /y is empty/],
    ['ragged X', ['--in', '-'], JSON.stringify({ y: [1, 2, 3], X: [[1, 2], [1], [1, 3]] }), /X is ragged: row 1 has 1 value, row 0 has 2/],
    ['a string in X', ['--in', '-'], JSON.stringify({ y: [1, 2, 3], X: [[1, 2], [1, '3'], [1, 4]] }), /X\[1\]\[1\] is "3", not a number/],
    ['null in y', ['--in', '-'], JSON.stringify({ y: [1, null, 3], X: [[1], [1], [1]] }), /y\[1\] is null, not a number/],
    ['y and X of different lengths', ['--in', '-'], JSON.stringify({ y: [1, 2], X: design.X }), /y has 2 values but X has 4 rows/],
    ['fewer rows than columns', ['--in', '-'], JSON.stringify({ y: [1, 2], X: [[1, 2, 3], [1, 5, 4]] }), /fewer rows \(2\) than columns \(3\)/],
    ['an unknown cov', ['--in', '-'], json({ cov: 'HC4' }), /unknown cov "HC4"/],
    ['a cov that is not a string', ['--in', '-'], json({ cov: 3 }), /"cov" must be a string/],
    ['HAC without maxlags', ['--in', '-'], json({ cov: 'HAC' }), /cov HAC needs maxlags/],
    ['a negative maxlags', ['--in', '-'], json({ cov: 'HAC', maxlags: -1 }), /maxlags must be a whole number ≥ 0, got -1/],
    ['a fractional maxlags', ['--in', '-'], json({ cov: 'HAC', maxlags: 1.5 }), /maxlags must be a whole number ≥ 0, got 1\.5/],
    ['maxlags as a string', ['--in', '-'], json({ cov: 'HAC', maxlags: '2' }), /maxlags must be a whole number ≥ 0, got "2"/],
    ['alpha out of range', ['--in', '-'], json({ alpha: 1.5 }), /alpha must be a number between 0 and 1, got 1\.5/],
    ['use_correction not a boolean', ['--in', '-'], json({ cov: 'HAC', maxlags: 1, use_correction: 'yes' }), /use_correction must be true or false/],
  ];
  it.each(cases)('%s', async (_label, argv, stdin, message) => {
    const { code, out, err } = await run(argv, stdin);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^normscope ols: .+\n  what to do: run `normscope help ols` for (its options|what it expects)\n$/);
    expect(err).toMatch(message);
  });
});

describe('normscope ols through electron/cli.ts main (child process)', () => {
  const exec = promisify(execFile);
  const script = (args: string[]) =>
    `import('./electron/cli.ts').then((m) => m.main(${JSON.stringify(args)})).then((code) => { process.exitCode = code; })`;
  const node = (args: string[]) => exec(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(args)], { cwd: process.cwd() });

  it('exits 0 and prints the fit', async () => {
    const input = file('cli-good.json', JSON.stringify({ y: c.y, X: c.X }));
    const { stdout, stderr } = await node(['ols', '--in', input]);
    expect(stderr).toBe('');
    expect(mismatches(JSON.parse(stdout).params, c.expected.params, STATSMODELS)).toEqual([]);
  });
  it('exits 2 with the problem and what to do on stderr for a ragged X', async () => {
    const input = file('cli-bad.json', JSON.stringify({ y: [1, 2, 3], X: [[1, 2], [1], [1, 3]] }));
    const failure = await node(['ols', '--in', input]).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failure).not.toBeNull();
    expect([failure!.code, failure!.stdout]).toEqual([2, '']);
    expect(failure!.stderr).toBe('normscope ols: X is ragged: row 1 has 1 value, row 0 has 2\n  what to do: run `normscope help ols` for what it expects\n');
  });
});
