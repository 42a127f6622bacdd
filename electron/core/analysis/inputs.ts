// PATH arguments → document list: files as named, folders walked for text files, in an order that
// does not depend on the file system (so two runs over the same folder write the same document).
import fs from 'node:fs/promises';
import path from 'node:path';

/** Extensions a folder walk picks up; a file named on the command line is taken whatever its name. */
export const TEXT_EXTENSIONS = ['.txt', '.md', '.text'] as const;

/**
 * Document paths for PATH arguments, as the results report them (the argument itself, or the argument joined
 * with the path found under it), in argument order; each folder recursively, its entries sorted by code point,
 * hidden entries (".name") skipped, symlinks followed only while they stay inside the folder named (a link out of it
 * is skipped: name its target to include it), each real folder walked once. A path that does not exist, a dangling
 * symlink, a FIFO, socket or device with a text extension and a folder that cannot be listed are kept as documents,
 * so reading them reports READ_FAILED or NOT_A_FILE in the results instead of vanishing or stopping the batch; a
 * path named twice appears once.
 */
export async function collectInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (doc: string) => {
    const key = path.resolve(doc);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(doc);
    }
  };
  for (const arg of paths) {
    const stat = await fs.stat(arg).catch(() => null);
    if (stat?.isDirectory()) {
      const realRoot = await fs.realpath(arg);
      for (const relative of await walk(arg, realRoot, '', new Set())) add(path.join(arg, relative));
    } else {
      add(arg);
    }
  }
  return out;
}

export function isTextFileName(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return (TEXT_EXTENSIONS as readonly string[]).includes(ext);
}

const isInside = (root: string, target: string) => target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

async function walk(root: string, realRoot: string, relative: string, visited: Set<string>): Promise<string[]> {
  const dir = path.join(root, relative);
  const real = await fs.realpath(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const listed = await fs.readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!listed) return [relative];
  const entries = listed
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[] = [];
  for (const entry of entries) {
    const rel = path.join(relative, entry.name);
    let isDirectory = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      const target = await fs.realpath(path.join(root, rel)).catch(() => null);
      // a link out of the chosen folder is not followed (a dangling one is kept: reading it reports why)
      if (target !== null && !isInside(realRoot, target)) continue;
      isDirectory = target !== null && (await fs.stat(target).then((t) => t.isDirectory(), () => false));
    }
    if (isDirectory) found.push(...(await walk(root, realRoot, rel, visited)));
    else if (isTextFileName(entry.name)) found.push(rel);
  }
  return found;
}
