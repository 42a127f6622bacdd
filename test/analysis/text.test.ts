import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText, readText } from '../../electron/core/analysis/text.js';
import { NormscopeError } from '../../electron/core/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-text-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer | string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NormscopeError);
    return (e as NormscopeError).code;
  }
  return undefined;
}

const bytes = (...xs: (number[] | string)[]) => Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from(x))));

describe('readText(path) → {path, text, sha256}', () => {
  it('reads UTF-8 as is and hashes the bytes on disk', async () => {
    const raw = bytes('Ill\u00e9s, Metr\u00f3 and Omega \u{1F3B8}\n');
    const p = file('plain.txt', raw);
    const t = await readText(p);
    expect(t).toEqual({ path: p, text: 'Ill\u00e9s, Metr\u00f3 and Omega \u{1F3B8}\n', sha256: crypto.createHash('sha256').update(raw).digest('hex') });
  });

  it('drops a leading BOM (Python utf-8-sig) but hashes the bytes with it', async () => {
    const raw = bytes([0xef, 0xbb, 0xbf], 'Hungarian rock');
    const t = await readText(file('bom.txt', raw));
    expect(t.text).toBe('Hungarian rock');
    expect(t.sha256).toBe(crypto.createHash('sha256').update(raw).digest('hex'));
  });

  it('keeps a U+FEFF that is not at the start', () => {
    expect(decodeText(bytes('a', [0xef, 0xbb, 0xbf], 'b'), 'x')).toBe('a\ufeffb');
  });

  it('turns CRLF and lone CR into LF (universal newlines), so CRLF and LF files read alike', async () => {
    const lf = await readText(file('lf.txt', 'one\ntwo\n\nthree'));
    const crlf = await readText(file('crlf.txt', 'one\r\ntwo\r\n\r\nthree'));
    const cr = await readText(file('cr.txt', 'one\rtwo\r\rthree'));
    expect(crlf.text).toBe(lf.text);
    expect(cr.text).toBe(lf.text);
    expect(crlf.sha256).not.toBe(lf.sha256);
  });

  it('EMPTY for no bytes, only whitespace, or only a BOM', async () => {
    await expect(readText(file('empty.txt', ''))).rejects.toMatchObject({ code: 'EMPTY', message: expect.stringContaining('is empty') });
    await expect(readText(file('ws.txt', ' \n\t\r\n  '))).rejects.toMatchObject({ code: 'EMPTY', message: expect.stringContaining('only whitespace') });
    expect(codeOf(() => decodeText(bytes([0xef, 0xbb, 0xbf]), 'x'))).toBe('EMPTY');
  });

  it('NOT_TEXT for a NUL byte anywhere, with its offset', () => {
    expect(() => decodeText(bytes('hello', [0], 'world'), 'x')).toThrow(/NUL byte at offset 5/);
    expect(codeOf(() => decodeText(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d]), 'x'))).toBe('NOT_TEXT');
  });

  it('NOT_TEXT when more than 10% of the bytes are control bytes; tabs, form feeds and a stray escape are text', () => {
    expect(codeOf(() => decodeText(bytes([1, 2, 3, 4], 'abcdefghijklmnop'), 'x'))).toBe('NOT_TEXT');
    expect(decodeText(bytes('a\tb\fc\vd', [0x1b], '[0m and a long enough line of text'), 'x')).toContain('\f');
  });

  it('BAD_ENCODING for invalid UTF-8, naming the first bad byte and its offset', () => {
    const latin1 = Buffer.from('Ill\u00e9s', 'latin1');
    expect(() => decodeText(latin1, 'x')).toThrow(/0xe9 at offset 3/);
    expect(codeOf(() => decodeText(latin1, 'x'))).toBe('BAD_ENCODING');
  });

  it('BAD_ENCODING for overlong forms, encoded surrogates and a sequence cut at the end', () => {
    expect(codeOf(() => decodeText(bytes('a', [0xc0, 0x80]), 'x'))).toBe('BAD_ENCODING');
    expect(codeOf(() => decodeText(bytes('a', [0xed, 0xa0, 0x80]), 'x'))).toBe('BAD_ENCODING');
    expect(() => decodeText(bytes('abc', [0xe2, 0x82]), 'x')).toThrow(/offset 3/);
  });

  it('counts a literal U+FFFD in the file as valid when locating the bad byte', () => {
    expect(() => decodeText(bytes('\ufffd\u00e9', [0xff], 'z'), 'x')).toThrow(/0xff at offset 5/);
  });

  it('BAD_ENCODING with a plain hint for UTF-16 (either byte order)', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]);
    expect(() => decodeText(le, 'x')).toThrow(/UTF-16/);
    expect(codeOf(() => decodeText(Buffer.from([0xfe, 0xff, 0, 0x68]), 'x'))).toBe('BAD_ENCODING');
  });

  it('READ_FAILED for a missing file or a folder, saying which', async () => {
    await expect(readText(path.join(dir, 'nope.txt'))).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining('no such file') });
    await expect(readText(dir)).rejects.toMatchObject({ code: 'READ_FAILED', message: expect.stringContaining('folder') });
  });
});
