// The app's dark theme is the figures' dark palette (the notebook's #383838 / #DDE2F4), and its chrome stays
// readable on it: WCAG 2 contrast from app.css's own values.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { THEMES } from '../../shared/figures/index.js';
import { ROOT } from './fixtures.js';

function darkVars(): Record<string, string> {
  const css = fs.readFileSync(path.join(ROOT, 'renderer/src/app.css'), 'utf8');
  const block = /:root\[data-theme='dark'\]\s*\{([^}]*)\}/.exec(css)![1]!;
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

/** WCAG 2 relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('app.css dark theme', () => {
  it("puts the panels and figure cards on the figures' dark face and writes in their ink", () => {
    const v = darkVars();
    expect(THEMES.dark.background).toBe('#383838');
    expect(THEMES.dark.text).toBe('#dde2f4');
    expect([v.panel, v['figure-bg'], v.text]).toEqual([THEMES.dark.background, THEMES.dark.background, THEMES.dark.text]);
  });

  it('keeps text, muted text, the accent and the status colours at 4.5:1 or more on the panels, faint hints at 3:1', () => {
    const v = darkVars();
    for (const k of ['text', 'muted', 'accent', 'ok', 'warn', 'danger']) expect(contrast(v[k]!, v.panel!), k).toBeGreaterThanOrEqual(4.5);
    expect(contrast(v.faint!, v.panel!)).toBeGreaterThanOrEqual(3);
    expect(contrast(v['accent-text']!, v.accent!)).toBeGreaterThanOrEqual(4.5);
  });
});
