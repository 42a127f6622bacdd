// The CI step for Doyensec's electronegativity: no finding above "informational" except those accepted on purpose,
// and README's Security section names each accepted check with its reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { ACCEPTED, scan } from '../../scripts/electronegativity.mjs';
import { ROOT } from './fixtures.js';

interface Finding { check: string; file: string; line: number; severity: string }

describe('npm run security:scan (electronegativity over the project)', () => {
  it('finds nothing above informational that is not accepted', { timeout: 180_000 }, async () => {
    const { open, accepted } = (await scan(ROOT)) as { open: Finding[]; accepted: Finding[] };
    expect(open.map((f) => `${f.check} ${f.file}:${f.line}`)).toEqual([]);
    // the scan did look at the window code (an empty scan would pass too)
    expect(accepted.some((f) => f.file === 'electron/main.ts')).toBe(true);
  });

  it("README's Security section lists every accepted finding", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const security = readme.slice(readme.indexOf('## Security'));
    expect(security.length).toBeLessThan(readme.length);
    for (const a of ACCEPTED as { check: string }[]) expect(security, a.check).toContain(`\`${a.check}\``);
  });
});
