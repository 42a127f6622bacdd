// Opaque handles for the files and folders the user chose: main keeps the paths, the renderer gets
// random ids, so a page can only ever open what a dialog, a drop or the recent list gave it.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FileHandle } from '../../../shared/ipc.js';
import { NormscopeError } from '../errors.js';

export interface HandleRegistry {
  /** A handle for a path the user chose (the same path gets the same handle). */
  issue(absPath: string, kind: FileHandle['kind']): FileHandle;
  /** The path behind a handle id; throws BAD_INPUT for an id this session never issued or of the wrong kind. */
  resolve(id: string, kind: FileHandle['kind']): { path: string; handle: FileHandle };
}

export function createHandleRegistry(): HandleRegistry {
  const byId = new Map<string, { path: string; handle: FileHandle }>();
  const byPath = new Map<string, FileHandle>();
  return {
    issue(absPath, kind) {
      const p = path.resolve(absPath);
      const key = `${kind}:${p}`;
      const known = byPath.get(key);
      if (known) return known;
      const handle: FileHandle = { id: crypto.randomBytes(16).toString('hex'), kind, name: path.basename(p), displayPath: displayPath(p) };
      byId.set(handle.id, { path: p, handle });
      byPath.set(key, handle);
      return handle;
    },
    resolve(id, kind) {
      const entry = byId.get(id);
      if (!entry || entry.handle.kind !== kind) {
        throw new NormscopeError('BAD_INPUT', `no ${kind} with that handle was chosen in this session; open it again`);
      }
      return entry;
    },
  };
}

/** The home folder shortened to ~, as people read paths. */
export function displayPath(p: string): string {
  const home = os.homedir();
  return home && (p === home || p.startsWith(home + path.sep)) ? '~' + p.slice(home.length) : p;
}
