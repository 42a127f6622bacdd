import { describe, expect, it } from 'vitest';
import { figureDocNames } from '../../electron/core/analysis/figureFiles.js';

describe('figureDocNames(paths) → names for figure files', () => {
  it('the file name, as figureFileName will shorten it', () => {
    expect(figureDocNames(['corpus/MIT.01.txt', 'notes.md'])).toEqual(['MIT.01.txt', 'notes.md']);
  });

  it('a name another document already takes gets -2, -3 before its extension, case folded', () => {
    expect(figureDocNames(['a/x.txt', 'b/x.txt', 'c/X.txt', 'd/x-2.txt'])).toEqual(['x.txt', 'x-2.txt', 'X-3.txt', 'x-2-2.txt']);
  });

  it('names that would meet on disk after making them safe are told apart', () => {
    expect(figureDocNames(['a b.txt', 'a_b.txt'])).toEqual(['a b.txt', 'a_b-2.txt']);
  });
});
