// Bad usage and unusable models: exit 2 with a sentence, before any work; options parsed as documented.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../electron/core/cli/analyze.js';
import { normscope, tempDir } from '../analysis/fixtures.js';

describe('parseOptions(argv)', () => {
  it('defaults: the notebook settings, JSON to stdout', () => {
    expect(parseOptions(['a.txt'])).toEqual({ paths: ['a.txt'], settings: { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' }, quiet: false });
  });

  it('every option', () => {
    const o = parseOptions(['--model', 'gpt2', '--component', 'mlp', '--lags', '3', '--start', '5', '--cov', 'hac', '--maxlags', '4', '--out', 'r.json', '--csv', 'r.csv',
      '--figures', 'figs', '--format', 'png', '--width', '800', '--height', '500', '--dpi', '300', '-q', 'a', 'b']);
    expect(o).toEqual({
      paths: ['a', 'b'], modelSpec: 'gpt2', settings: { component: 'mlp', lags: 3, start: 5, cov: 'HAC', maxlags: 4 },
      out: 'r.json', csv: 'r.csv', figures: { dir: 'figs', format: 'png', figure: { width: 800, height: 500 }, png: { dpi: 300 } }, quiet: true,
    });
  });

  it('--max-bytes N', () => {
    expect(parseOptions(['--max-bytes', '1000', 'a'])).toMatchObject({ maxBytes: 1000 });
    expect(() => parseOptions(['--max-bytes', '0', 'a'])).toThrow(/--max-bytes must be a whole number ≥ 1/);
  });

  it('--help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [[], /no PATH given/],
    [['--bogus', 'a'], /bogus/],
    [['--component', 'ffn', 'a'], /--component must be one of attn, mlp, block/],
    [['--lags', '0', 'a'], /--lags must be a whole number ≥ 1/],
    [['--lags', 'two', 'a'], /--lags must be a whole number/],
    [['--lags', '4', 'a'], /--start 3 is before --lags 4.*--start 4/],
    [['--cov', 'HC4', 'a'], /--cov must be one of nonrobust, HC0, HC1, HC2, HC3, HAC/],
    [['--cov', 'HAC', 'a'], /HAC needs --maxlags/],
    [['--maxlags', '2', 'a'], /--maxlags applies only to --cov HAC/],
    // the app's upper bounds (SETTINGS_LIMITS), through the same check
    [['--lags', '17', '--start', '20', 'a'], /--lags must be a whole number from 1 to 16/],
    [['--start', '100001', 'a'], /--start must be a whole number from 0 to 100000/],
    [['--cov', 'HAC', '--maxlags', '257', 'a'], /--maxlags must be a whole number from 0 to 256/],
    [['--format', 'png', 'a'], /--format needs --figures/],
    [['--figures', 'f', '--format', 'eps', 'a'], /--format must be one of svg, png, pdf/],
    [['--figures', 'f', '--combine', 'a'], /--combine goes with --figures DIR --format pdf/],
    [['--quiet', '--verbose', 'a'], /--quiet or --verbose, not both/],
    [['--figures', 'f', '--scale', '2', 'a'], /apply only to --format png/],
    [['--figures', 'f', '--format', 'png', '--scale', '2', '--dpi', '300', 'a'], /not both/],
    [['--out-dir', 'store', '--csv', 'x.csv', 'a'], /--csv cannot be combined with --out-dir/],
  ])('BAD_USAGE for %j', (argv, message) => {
    expect(() => parseOptions(argv as string[])).toThrow(expect.objectContaining({ code: 'BAD_USAGE', message: expect.stringMatching(message) }));
  });
});

describe('normscope analyze exits 2', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('usage');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'Some text that is long enough to analyze, in principle.');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('on bad usage, with what to do and nothing on stdout', () => {
    const r = normscope(['analyze', '--lags', '0', path.join(dir, 'a.txt')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`normscope analyze: --lags must be a whole number ≥ 1, got '0'\n  what to do: run \`normscope help analyze\` for its options\n`);
  });

  it('on a model folder that is not a model', () => {
    const r = normscope(['analyze', '--model', dir, path.join(dir, 'a.txt')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^normscope analyze: .*config\.json.*\n  what to do: \S/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('when no text file is found', () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    const r = normscope(['analyze', path.join(dir, 'empty')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no \.txt, \.md or \.text files found/);
  });
});
