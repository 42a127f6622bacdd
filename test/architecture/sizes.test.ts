// Sizes a reader can hold in one head (COMMON.md, STYLE.md): no source file outside test/ over 450 lines and no
// function over 80, each measured with the TypeScript compiler's own parse (.svelte files: the whole file, and the
// functions of their <script> blocks). An exception carries its reason in the file, in a comment of one agreed form:
// `// size: <why>` anywhere in a long file, or directly above (or inside) a long function.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const MAX_FILE_LINES = 450;
const MAX_FUNCTION_LINES = 80;
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
const REASON = /^\s*\/\/\s*size:\s*\S/;

/** The sources git knows of (tracked, or new and not ignored) outside test/; a walk when this is no git checkout. */
function sourceFiles(): string[] {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('\0')
      .filter(Boolean);
  } catch {
    const skip = new Set(['node_modules', 'dist', '.git', 'test']);
    const walk = (dir: string): string[] =>
      fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
        const rel = path.posix.join(dir, e.name);
        return e.isDirectory() ? (skip.has(e.name) ? [] : walk(rel)) : [rel];
      });
    files = walk('.').map((f) => path.posix.normalize(f));
  }
  return files.filter((f) => SOURCE.test(f) && !f.startsWith('test/') && !/(^|\/)(node_modules|dist)\//.test(f) && fs.existsSync(path.join(root, f))).sort();
}

interface LongFunction {
  name: string;
  /** 1-based line of the function's first line in the file. */
  line: number;
  lines: number;
}

const lineOf = (sf: ts.SourceFile, pos: number) => sf.getLineAndCharacterOfPosition(pos).line;

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    if (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name)) return parent.name.text;
  }
  return '(anonymous)';
}

/** Does a `// size:` comment stand directly above the function (above the statement that declares it)? Only there:
 * a reason inside it would also excuse an outer function around a long nested one. */
function hasReason(sf: ts.SourceFile, node: ts.Node): boolean {
  const first = lineOf(sf, node.getStart(sf));
  let outer: ts.Node = node;
  while (outer.parent && !ts.isSourceFile(outer.parent) && !ts.isBlock(outer.parent) && !ts.isClassLike(outer.parent) && lineOf(sf, outer.parent.getStart(sf)) === first) outer = outer.parent;
  const leading = ts.getLeadingCommentRanges(sf.text, outer.getFullStart()) ?? [];
  return leading.some((c) => REASON.test(sf.text.slice(c.pos, c.end)));
}

/** The file's opening comment lines: a file's reason for its length stands there, not beside one of its functions. */
function openingComments(lines: readonly string[]): string[] {
  const end = lines.findIndex((l) => !/^\s*(\/\/|<!--|\/\*|\*|$)/.test(l));
  return lines.slice(0, end < 0 ? lines.length : end);
}

/** Every function, method, accessor, constructor or arrow over `max` lines, counted from its first line to its last. */
function longFunctions(fileName: string, text: string, max = MAX_FUNCTION_LINES, lineOffset = 0): LongFunction[] {
  const kind = /\.(js|mjs|cjs)$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const out: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = lineOf(sf, node.getStart(sf));
      const length = lineOf(sf, node.getEnd()) - start + 1;
      if (length > max && !hasReason(sf, node)) out.push({ name: functionName(node as ts.FunctionLikeDeclaration), line: start + 1 + lineOffset, lines: length });
    }
    node.forEachChild(visit);
  };
  visit(sf);
  return out;
}

/** The <script> blocks of a .svelte file, each with the line it starts on (0-based). */
function svelteScripts(text: string): { code: string; offset: number }[] {
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => {
    const start = m.index! + m[0].indexOf('>') + 1;
    return { code: m[1]!, offset: text.slice(0, start).split('\n').length - 1 };
  });
}

/** What one file breaks: its length, and each long function, as `file:line …` lines. */
function sizeOffences(rel: string, text: string): string[] {
  const lines = text.split('\n');
  const count = text.endsWith('\n') ? lines.length - 1 : lines.length;
  const out: string[] = [];
  if (count > MAX_FILE_LINES && !openingComments(lines).some((l) => REASON.test(l) || /^\s*<!--\s*size:\s*\S/.test(l))) out.push(`${rel}: ${count} lines (over ${MAX_FILE_LINES})`);
  const parts = rel.endsWith('.svelte') ? svelteScripts(text).map((s) => ({ ...s, name: `${rel}.ts` })) : [{ code: text, offset: 0, name: rel }];
  for (const p of parts) for (const f of longFunctions(p.name, p.code, MAX_FUNCTION_LINES, p.offset)) out.push(`${rel}:${f.line} ${f.name}: ${f.lines} lines (over ${MAX_FUNCTION_LINES})`);
  return out;
}

describe('source sizes', () => {
  it('the measure counts what it should (so the test below can fail)', () => {
    const body = Array.from({ length: 81 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const long = `function tooLong() {\n${body}\n}\n`;
    expect(longFunctions('a.ts', long)).toEqual([{ name: 'tooLong', line: 1, lines: 83 }]);
    expect(longFunctions('a.ts', `// size: one table, read top to bottom\n${long}`)).toEqual([]);
    expect(longFunctions('a.ts', `class C {\n  m = () => {\n${body}\n  };\n}\n`)).toEqual([{ name: 'm', line: 2, lines: 83 }]);
    expect(longFunctions('a.mjs', `export const f = async (x) => {\n${body}\n};\n`)).toEqual([{ name: 'f', line: 1, lines: 83 }]);
    expect(sizeOffences('a.ts', 'const x = 1;\n'.repeat(451))).toEqual(['a.ts: 451 lines (over 450)']);
    expect(sizeOffences('a.ts', '// size: generated table\n' + 'const x = 1;\n'.repeat(451))).toEqual([]);
    // a reason excuses only what it stands above: not the function around it, not the file from further down
    expect(longFunctions('a.ts', `function tooLong() {\n  // size: meant for something else\n${body}\n}\n`)).toEqual([{ name: 'tooLong', line: 1, lines: 84 }]);
    expect(sizeOffences('a.ts', 'const x = 1;\n'.repeat(300) + '// size: a function below\n' + 'const x = 1;\n'.repeat(151))).toEqual(['a.ts: 452 lines (over 450)']);
    expect(sizeOffences('A.svelte', `<p>x</p>\n<script lang="ts">\n${long}</script>\n`)).toEqual(['A.svelte:3 tooLong: 83 lines (over 80)']);
  });

  it(`no source file outside test/ over ${MAX_FILE_LINES} lines, no function over ${MAX_FUNCTION_LINES}, but for a \`// size:\` reason`, () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const offences = files.flatMap((rel) => sizeOffences(rel, fs.readFileSync(path.join(root, rel), 'utf8')));
    expect(offences, `too long (split them, or give a one-line reason as \`// size: …\`):\n${offences.join('\n')}`).toEqual([]);
  });
});
