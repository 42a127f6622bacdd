// CSV injection: every CSV normscope writes (analyze --csv, the corpus summary files, export --format csv) and the
// app's copied TSV neutralise cells that begin with = + - @ tab or CR, as OWASP recommends; numbers stay numbers.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, spreadsheetText } from '../../shared/csv-cell.js';
import { normscope, tempDir, tinyAModel } from '../analysis/fixtures.js';

describe('csvCell(value) / spreadsheetText(value)', () => {
  it('prefixes text that could start a formula with a quote, then quotes as RFC 4180 says', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('@x.txt')).toBe(`'@x.txt`);
    expect(csvCell('+1')).toBe(`'+1`);
    expect(csvCell('-2')).toBe(`'-2`);
    expect(csvCell('\tcmd')).toBe(`'\tcmd`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell(' =x')).toBe('" =x"');
    expect(csvCell('a=b')).toBe('a=b');
  });
  it('leaves numbers as numbers, negative ones included', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(-1e-7)).toBe('-1e-7');
    expect(spreadsheetText(-3)).toBe('-3');
    expect(spreadsheetText('-3')).toBe(`'-3`);
  });
});

describe('normscope analyze --csv / --out-dir / export --format csv on "@x.txt" beginning with =HYPERLINK(', () => {
  const root = tempDir('csv-injection');
  const docs = path.join(root, 'docs');
  const text = '=HYPERLINK("http://example.test/x","click") the lighthouse keeper watched the sea for many long nights and the ships came home.\n';
  const lines = (file: string) => fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
  beforeAll(() => {
    fs.mkdirSync(docs, { recursive: true });
    fs.writeFileSync(path.join(docs, '@x.txt'), text);
    const model = tinyAModel();
    const a = normscope(['analyze', '--model', model, '--csv', path.join(root, 'a.csv'), '--out', path.join(root, 'a.json'), '@x.txt'], { cwd: docs });
    expect(a.status, a.stderr).toBe(0);
    const b = normscope(['analyze', '--model', model, '--out-dir', path.join(root, 'store'), '.'], { cwd: docs });
    expect(b.status, b.stderr).toBe(0);
    const c = normscope(['export', path.join(root, 'store'), '--format', 'csv', '--to', path.join(root, 'export')]);
    expect(c.status, c.stderr).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the path column of analyze --csv and corpus-documents.csv starts with a quote; the numbers are unchanged', () => {
    for (const file of [path.join(root, 'a.csv'), path.join(root, 'store', 'corpus-documents.csv')]) {
      const rows = lines(file).slice(1).map((l) => l.split(','));
      expect(rows.length).toBe(9);
      expect(rows.every((r) => r[0] === `'@x.txt`), file).toBe(true);
      // a negative estimate stays a bare number a spreadsheet reads as one
      expect(rows.some((r) => /^-\d/.test(r[4]!)), file).toBe(true);
    }
  });

  it('tokens.csv: the token "=" comes out as \'=, the path as \'@x.txt, and no cell begins with a formula character', () => {
    const rows = lines(path.join(root, 'export', 'tokens.csv')).slice(1);
    const first = rows.find((l) => l.split(',')[2] === '0')!.split(',');
    expect(first[1]).toBe(`'@x.txt`);
    expect(first[4]).toBe(`'=`);
    const header = lines(path.join(root, 'export', 'tokens.csv'))[0]!.split(',');
    const textColumns = ['path', 'token_text'].map((c) => header.indexOf(c));
    for (const l of rows) {
      // token texts with commas or quotes are quoted: look at each text cell's first character inside the quotes
      const cells = l.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"/, ''));
      for (const i of textColumns) expect(/^[=+\-@\t\r]/.test(cells[i]!), l).toBe(false);
    }
  });
});
