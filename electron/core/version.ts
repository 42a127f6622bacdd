import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file holding normscope's package.json (works from source and from dist/). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p) && (JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string }).name === 'normscope') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('normscope package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** normscope's own version, recorded in every result's provenance. */
export const VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
