import { execFileSync } from 'node:child_process';
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

  it('follows a symlink only while it stays inside the folder named: a link to an ancestor is not walked', async () => {
    // docs/sub/loop → docs lies outside docs/sub
    expect(rel(at('docs/sub'), await collectInputs([at('docs/sub')]))).toEqual([path.join('deeper', 'y.text'), 'z.txt']);
    // from docs, the same link points inside, at a folder already walked: once only
    const docs = await collectInputs([at('docs')]);
    expect(docs.filter((d) => d.includes('loop'))).toEqual([]);
  });

  it('skips links to files and folders outside the chosen folder, follows those inside, and takes an outside target named explicitly', async () => {
    fs.mkdirSync(at('jail/inner'), { recursive: true });
    fs.mkdirSync(at('outside'), { recursive: true });
    fs.writeFileSync(at('jail/inner/a.txt'), 'text');
    fs.writeFileSync(at('outside/secret.txt'), 'text');
    fs.symlinkSync(at('outside'), at('jail/out-dir'));
    fs.symlinkSync(at('outside/secret.txt'), at('jail/out-file.txt'));
    fs.symlinkSync(at('jail/inner'), at('jail/in-dir'));
    // in-dir and inner are one real folder: walked once, under the name that sorts first
    expect(rel(at('jail'), await collectInputs([at('jail')]))).toEqual([path.join('in-dir', 'a.txt')]);
    // named on the command line, the link's target is the user's own choice
    expect(await collectInputs([at('jail/out-dir')])).toEqual([at('jail/out-dir/secret.txt')]);
    expect(await collectInputs([at('jail/out-file.txt')])).toEqual([at('jail/out-file.txt')]);
  });

  it.skipIf(process.platform === 'win32')('keeps a FIFO with a text name as a document (reading it reports NOT_A_FILE), never opening it', async () => {
    fs.mkdirSync(at('pipes'));
    fs.writeFileSync(at('pipes/a.txt'), 'text');
    execFileSync('mkfifo', [at('pipes/b.txt')]);
    expect(rel(at('pipes'), await collectInputs([at('pipes')]))).toEqual(['a.txt', 'b.txt']);
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
