import { describe, expect, it } from 'vitest';
import { figureFileName } from '../../electron/core/figures/index.js';

describe('figureFileName(docName, figure, format)', () => {
  it('names the file after the document without its folder or extension, then the figure and format', () => {
    expect(figureFileName('texts/hungarian-rock.txt', 'attention-norm-strip', 'svg')).toBe('hungarian-rock.attention-norm-strip.svg');
    expect(figureFileName('/a/b/GPL-2.01.txt', 'beta-across-layers', 'png')).toBe('GPL-2.01.beta-across-layers.png');
    expect(figureFileName('C:\\Users\\me\\notes.md', 'log-norm-heatmap', 'pdf')).toBe('notes.log-norm-heatmap.pdf');
    expect(figureFileName('no-extension', 'share-significant', 'svg')).toBe('no-extension.share-significant.svg');
  });

  it('makes any name safe on every file system', () => {
    expect(figureFileName('My notes: draft?*.txt', 'beta-distributions', 'png')).toBe('My_notes_draft.beta-distributions.png');
    expect(figureFileName('Ünïcødé 文本.txt', 'attention-norm-strip', 'svg')).toBe('Ünïcødé_文本.attention-norm-strip.svg');
    expect(figureFileName('.hidden', 'attention-norm-strip', 'svg')).toBe('hidden.attention-norm-strip.svg');
    expect(figureFileName('???.txt', 'attention-norm-strip', 'svg')).toBe('document.attention-norm-strip.svg');
    expect(figureFileName('', 'attention-norm-strip', 'svg')).toBe('document.attention-norm-strip.svg');
    expect(figureFileName('x'.repeat(500), 'attention-norm-strip', 'svg').length).toBeLessThan(160);
  });
});
