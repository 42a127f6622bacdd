// The import graph's two rules: no cycle anywhere in the main process or shared/ (madge, as `npm run check:cycles`),
// and the engine (electron/core/model/) is reached from models/ and corpus/ only through its public face, model/index.ts,
// while the engine itself never climbs into models/ or corpus/, nor reads normscope's home (home.ts) on its own.
import fs from 'node:fs';
import path from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const core = path.join(root, 'electron/core');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((e) => (e.isFile() && e.name.endsWith('.ts') ? [path.join(e.parentPath, e.name)] : []));
}

/** Every relative module a file imports (static, dynamic or re-exported), as absolute paths of .ts files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts')));
}

const under = (file: string, dir: string) => file.startsWith(path.join(core, dir) + path.sep);

describe('the import graph', () => {
  it('has no circular import in electron/ or shared/', async () => {
    const graph = await madge([path.join(root, 'electron'), path.join(root, 'shared')], {
      fileExtensions: ['ts'],
      tsConfig: path.join(root, 'tsconfig.json'),
      baseDir: root,
    });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
    expect(graph.circular()).toEqual([]);
  }, 120_000);

  it('reaches the engine from models/ and corpus/ only through model/index.ts', () => {
    const offending = [...sources(path.join(core, 'models')), ...sources(path.join(core, 'corpus'))].flatMap((file) =>
      importsOf(file)
        .filter((target) => under(target, 'model') && target !== path.join(core, 'model/index.ts'))
        .map((target) => `${path.relative(root, file)} → ${path.relative(root, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the engine from importing models/, corpus/ or home.ts (its callers pass the folders it needs)', () => {
    const offending = sources(path.join(core, 'model')).flatMap((file) =>
      importsOf(file)
        .filter((target) => under(target, 'models') || under(target, 'corpus') || target === path.join(core, 'home.ts'))
        .map((target) => `${path.relative(root, file)} → ${path.relative(root, target)}`),
    );
    expect(offending).toEqual([]);
  });
});
