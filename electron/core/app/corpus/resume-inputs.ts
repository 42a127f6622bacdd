// A results folder may come from someone else: the inputs its manifest records and the paths in its results log are
// only shown, never walked, hashed, read or handed out as handles. Resume asks the user to choose the folder of texts
// again and keeps only what lies inside that choice.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileHandle } from '../../../../shared/ipc.js';
import { displayPath } from '../handles.js';

/** A handle that only shows a path: its id is not a handle id (validation refuses it, the registry never issued it),
 * so the page can display the name and nothing can open the path with it. */
export function shownOnly(p: string, kind: FileHandle['kind']): FileHandle {
  return { id: `shown-only-${crypto.randomBytes(8).toString('hex')}`, kind, name: path.basename(p), displayPath: displayPath(p) };
}

/** Whether `p` lies in (or is) one of `roots`, by the paths as written (callers pass real paths where links matter). */
export function isInsideAny(p: string, roots: readonly string[]): boolean {
  const abs = path.resolve(p);
  return roots.some((r) => {
    const rel = path.relative(path.resolve(r), abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

/**
 * The inputs a resumed batch runs over: those the manifest recorded (resolved against the results folder) that lie
 * inside the folder the user chose, links resolved; when none does, the chosen folder itself. A recorded `/` or
 * `../..` outside the choice is dropped, never read.
 */
export async function resumeInputs(chosen: string, recorded: readonly string[], outDir: string): Promise<string[]> {
  const root = await fs.realpath(chosen);
  const inside: string[] = [];
  for (const r of recorded) {
    const abs = path.resolve(outDir, r);
    // a recorded path outside the choice is not even looked at
    if (!isInsideAny(abs, [chosen, root])) continue;
    const real = await fs.realpath(abs).catch(() => null);
    if (real !== null && isInsideAny(real, [root])) inside.push(real);
  }
  return inside.length > 0 ? [...new Set(inside)] : [root];
}
