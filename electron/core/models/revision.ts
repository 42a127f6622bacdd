// A revision names a commit, branch or tag on the hub and becomes part of a cache path (refs/<revision>): checked
// before it is used, so `../../x` or a NUL can never reach the file system.
import { NormscopeError } from '../errors.js';

const COMMIT = /^[0-9a-f]{40}$/;
// git's own ref-name rules, as far as a path is concerned: no `..`, no empty, `.`-led or `.lock` component, no control
// characters, nothing git forbids (space ~ ^ : ? * [ \), no `/` at either end, no `@{`.
const REF_CHAR = /^[^\x00-\x20\x7f~^:?*[\\]+$/;

/** The revision unchanged when it is a commit hash or a usable branch or tag name; BAD_USAGE otherwise. */
export function checkedRevision(revision: string): string {
  if (COMMIT.test(revision)) return revision;
  const bad = (why: string) => new NormscopeError('BAD_USAGE', `revision ${JSON.stringify(revision)} ${why}: give a commit hash or a branch or tag name (e.g. main, v1.0, refs/pr/1)`, { revision });
  if (revision.length === 0 || revision.length > 255) throw bad('is empty or too long');
  if (!REF_CHAR.test(revision)) throw bad('holds a character a branch or tag name cannot (space, control, ~ ^ : ? * [ \\ or NUL)');
  if (revision.includes('..') || revision.includes('@{')) throw bad('holds ".." or "@{"');
  if (revision.startsWith('/') || revision.endsWith('/')) throw bad('begins or ends with "/"');
  for (const part of revision.split('/')) {
    if (part === '' || part.startsWith('.') || part.endsWith('.lock')) throw bad(`has a part ${JSON.stringify(part)} that is empty, starts with "." or ends with ".lock"`);
  }
  return revision;
}
