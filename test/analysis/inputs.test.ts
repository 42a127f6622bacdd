import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectInputs } from '../../electron/core/analysis/inputs.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-inputs-'));
const at = (...p: string[]) => path.join(root, ...p);

beforeAll(() => {
  for (const f of ['docs/b.txt', 'docs/a.md', 'docs/C.TEXT', 'docs/notes.json', 'docs/.hidden.txt', 'docs/.git/x.txt', 'docs/sub/z.txt', 'docs/sub/deeper/y.text', 'docs/aa.txt', 'other/readme.rst']) {
    fs.mkdirSync(path.dirname(at(f)), { recursive: true });
    fs.writeFileSync(at(f), 'text');
  }
  fs.symlinkSync(at('docs'), at('docs/sub/loop')); // a folder that contains itself
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const rel = (base: string, docs: string[]) => docs.map((d) => path.relative(base, d));

describe('collectInputs(paths) → document paths', () => {
  it('walks folders recursively for .txt/.md/.text (any case), hidden entries skipped, sorted by code point', async () => {
    const docs = await collectInputs([at('docs')]);
    expect(rel(at('docs'), docs)).toEqual(['C.TEXT', 'a.md', 'aa.txt', 'b.txt', path.join('sub', 'deeper', 'y.text'), path.join('sub', 'z.txt')]);
    expect(docs[0]).toBe(path.join(at('docs'), 'C.TEXT'));
  });

  it('takes a file named explicitly whatever its extension, and keeps argument order', async () => {
    const docs = await collectInputs([at('other/readme.rst'), at('docs/sub/deeper')]);
    expect(docs).toEqual([at('other/readme.rst'), at('docs/sub/deeper/y.text')]);
  });

  it('follows a symlinked folder once: a folder that links to its own ancestor is not walked again', async () => {
    const docs = await collectInputs([at('docs/sub')]);
    expect(rel(at('docs/sub'), docs)).toEqual([
      path.join('deeper', 'y.text'),
      ...['C.TEXT', 'a.md', 'aa.txt', 'b.txt'].map((f) => path.join('loop', f)),
      'z.txt',
    ]);
  });

  it('lists a path named twice (directly or through a folder) once', async () => {
    const docs = await collectInputs([at('docs/b.txt'), at('docs'), at('docs/b.txt')]);
    expect(docs.filter((d) => d.endsWith('b.txt'))).toHaveLength(1);
    expect(docs[0]).toBe(at('docs/b.txt'));
  });

  it('keeps a dangling symlink and an unlistable subfolder as documents, so they fail as READ_FAILED instead of vanishing', async () => {
    fs.mkdirSync(at('odd/unlistable'), { recursive: true });
    fs.writeFileSync(at('odd/good.txt'), 'text');
    fs.symlinkSync(at('odd/nowhere.txt'), at('odd/gone.txt'));
    fs.symlinkSync(at('odd/nowhere.bin'), at('odd/gone.bin')); // not a text name: not a document
    const real = fs.promises.readdir;
    const spy = vi.spyOn(fs.promises, 'readdir').mockImplementation(((p: fs.PathLike, o?: unknown) =>
      String(p) === at('odd/unlistable') ? Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) : real(p, o as never)) as typeof real);
    try {
      expect(rel(at('odd'), await collectInputs([at('odd')]))).toEqual(['gone.txt', 'good.txt', 'unlistable']);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps a missing path as a document (reading it reports READ_FAILED)', async () => {
    expect(await collectInputs([at('missing.txt')])).toEqual([at('missing.txt')]);
  });

  it('an empty folder gives no documents', async () => {
    fs.mkdirSync(at('empty'));
    expect(await collectInputs([at('empty')])).toEqual([]);
  });
});
