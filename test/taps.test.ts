import { describe, expect, it } from 'vitest';
import { parseTapName, tapName, tapsOf } from '../shared/taps.js';

describe('tapName(layer, site)', () => {
  it('names taps as Hugging Face module paths', () => {
    expect(tapName(0, 'attn')).toBe('h.0.attn');
    expect(tapName(11, 'mlp')).toBe('h.11.mlp');
    expect(tapName(3, 'block')).toBe('h.3');
  });
  it('round-trips through parseTapName and rejects other names', () => {
    for (const t of [...tapsOf(4, 'attn'), ...tapsOf(4, 'mlp'), ...tapsOf(4, 'block')]) {
      const p = parseTapName(t)!;
      expect(tapName(p.layer, p.site)).toBe(t);
    }
    expect(parseTapName('h.0.attn.c_proj')).toBeNull();
    expect(parseTapName('wte')).toBeNull();
  });
});
