import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../shared/bytes.js';

describe('formatBytes(n, format)', () => {
  it('decimal units to three significant digits', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(12_345)).toBe('12.3 kB');
    expect(formatBytes(6_612_000)).toBe('6.61 MB');
    expect(formatBytes(548_105_000)).toBe('548 MB');
    expect(formatBytes(1_240_000_000)).toBe('1.24 GB');
  });
  it('a fixed number of decimals, and what an unknown size reads as', () => {
    expect(formatBytes(6_612_000, { decimals: 1 })).toBe('6.6 MB');
    expect(formatBytes(548_105_000, { decimals: 1 })).toBe('548.1 MB');
    expect(formatBytes(6_430_000_000, { decimals: [1, 1, 2, 2] })).toBe('6.43 GB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(null, { empty: '–' })).toBe('–');
  });
  it('one unit whatever the size, where a need is read against a limit', () => {
    expect(formatBytes(13_200_000_000_000, { unit: 'GB', decimals: 0 })).toBe('13200 GB');
    expect(formatBytes(25_300_000_000, { unit: 'GB', decimals: 0 })).toBe('25 GB');
    expect(formatBytes(830_000_000, { unit: 'GB', decimals: 1 })).toBe('0.8 GB');
    expect(formatBytes(900, { unit: 'kB', decimals: 1 })).toBe('0.9 kB');
  });
});
