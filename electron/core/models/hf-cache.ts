// The Hugging Face hub cache, laid out as huggingface_hub lays it, so Python and normscope share one copy:
//   models--ORG--NAME/blobs/<etag>            file contents, named by git sha1 or LFS sha256
//   models--ORG--NAME/snapshots/<commit>/<f>  relative symlinks into blobs/ (real files where symlinks are unavailable)
//   models--ORG--NAME/refs/<branch>           the commit the branch pointed to at the last download
//   models--ORG--NAME/.no_exist/<commit>/<f>  empty markers for files the hub said it does not have
// normscope adds only blobs/<etag>.normscope-partial (its resumable download) and .locks/…/<etag>.normscope.lock.
import fs from 'node:fs/promises';
import path from 'node:path';
import { linkAtomic, writeFileAtomic } from '../fs/atomic.js';
import { isDirectory, missingModelFiles } from './folder.js';
import { hfHubCache } from './locations.js';
import { checkedRevision } from './revision.js';

const COMMIT = /^[0-9a-f]{40}$/;

/** `openai-community/gpt2` → `models--openai-community--gpt2` (huggingface_hub's repo_folder_name). */
export function repoFolderName(repo: string): string {
  return ['models', ...repo.split('/')].join('--');
}

/** Paths of one repository inside a cache. */
export class CachedRepo {
  readonly dir: string;
  constructor(
    readonly repo: string,
    readonly cache: string = hfHubCache(),
  ) {
    this.dir = path.join(cache, repoFolderName(repo));
  }
  blob(etag: string): string {
    return path.join(this.dir, 'blobs', etag);
  }
  /** normscope's own resumable partial download of a blob (huggingface_hub's `<etag>.incomplete` is left to it). */
  partial(etag: string): string {
    return path.join(this.dir, 'blobs', `${etag}.normscope-partial`);
  }
  lock(etag: string): string {
    return path.join(this.cache, '.locks', repoFolderName(this.repo), `${etag}.normscope.lock`);
  }
  snapshot(commit: string): string {
    return path.join(this.dir, 'snapshots', commit);
  }
  ref(revision: string): string {
    return path.join(this.dir, 'refs', ...checkedRevision(revision).split('/'));
  }

  /** The commit `revision` names: itself when it is a commit hash, else the one refs/<revision> holds; null when unknown. */
  async commitOf(revision: string): Promise<string | null> {
    if (COMMIT.test(revision)) return revision;
    try {
      const c = (await fs.readFile(this.ref(revision), 'utf8')).trim();
      return COMMIT.test(c) ? c : null;
    } catch {
      return null;
    }
  }

  /** Records that `revision` (a branch or tag) points at `commit`; commit hashes need no ref. */
  async writeRef(revision: string, commit: string): Promise<void> {
    if (revision !== commit) await writeFileAtomic(this.ref(revision), commit);
  }

  /** Makes snapshots/<commit>/<file> point at blobs/<etag>, by a relative symlink as huggingface_hub does. */
  async linkSnapshotFile(commit: string, file: string, etag: string): Promise<void> {
    const link = path.join(this.snapshot(commit), file);
    await linkAtomic(path.relative(path.dirname(link), this.blob(etag)), this.blob(etag), link);
  }

  /** Marks a file the hub does not have at `commit`, so huggingface_hub offline does not look for it. */
  async markMissing(commit: string, file: string): Promise<void> {
    const marker = path.join(this.dir, '.no_exist', commit, file);
    await fs.mkdir(path.dirname(marker), { recursive: true });
    await fs.writeFile(marker, '');
  }

  async snapshotCommits(): Promise<string[]> {
    try {
      return (await fs.readdir(path.join(this.dir, 'snapshots'))).filter((c) => !c.startsWith('.'));
    } catch {
      return [];
    }
  }
}

export interface CachedSnapshot {
  repo: string;
  commit: string;
  dir: string;
}

export interface SnapshotState extends CachedSnapshot {
  /** What the snapshot lacks to be loaded (empty when complete). */
  missing: string[];
  mtimeMs: number;
}

/** Every snapshot of a repository with what each lacks: the one refs/main names first, then newest first. */
export async function snapshotStates(repo: CachedRepo): Promise<SnapshotState[]> {
  const main = await repo.commitOf('main');
  const states = await Promise.all(
    (await repo.snapshotCommits()).map(async (commit) => {
      const dir = repo.snapshot(commit);
      if (!(await isDirectory(dir))) return null;
      const mtimeMs = (await fs.stat(dir)).mtimeMs;
      return { repo: repo.repo, commit, dir, missing: await missingModelFiles(dir), mtimeMs };
    }),
  );
  return states
    .filter((s): s is SnapshotState => s !== null)
    .sort((a, b) => Number(b.commit === main) - Number(a.commit === main) || b.mtimeMs - a.mtimeMs);
}

/** The loadable snapshot of the first of `repos` that has one (refs/main's commit preferred), read in place; null when none. */
export async function findCachedSnapshot(repos: readonly string[], cache: string = hfHubCache()): Promise<CachedSnapshot | null> {
  for (const id of repos) {
    const complete = (await snapshotStates(new CachedRepo(id, cache))).find((s) => s.missing.length === 0);
    if (complete) return { repo: complete.repo, commit: complete.commit, dir: complete.dir };
  }
  return null;
}

/** Repository ids of every model folder in the cache (`models--ORG--NAME` → `ORG/NAME`). */
export async function cachedRepoIds(cache: string = hfHubCache()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(cache);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith('models--')).map((n) => n.slice('models--'.length).split('--').join('/'));
}
