// The provider verdict cache: each probe's outcome, kept per provider, graph variant, model sha256, normscope version and
// onnxruntime version in <folder>/provider-verdicts.json (the folder is the caller's: normscope's home for the CLI and
// the app), so a model loads without probing again. It also remembers each weights file's sha256 by path, size and
// mtime, so a second load does not hash 500 MB again.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import { VERSION } from '../version.js';
import type { ProbeResult } from './probe.js';
import { ORT_VERSION } from './session.js';
import type { ExecutionProvider, GraphVariant } from './types.js';

export interface VerdictKey {
  provider: ExecutionProvider;
  variant: GraphVariant;
  model_sha256: string;
}

export interface Verdict extends VerdictKey, ProbeResult {
  normscope: string;
  onnxruntime: string;
  checked: string;
}

interface CacheFile {
  schema: 'normscope.provider-verdicts/1';
  verdicts: Record<string, Verdict>;
  hashes: Record<string, { size: number; mtime_ms: number; sha256: string }>;
}

/** The cache file in a folder (normscope's home, given by the engine's caller). */
export const verdictFile = (dir: string): string => path.join(dir, 'provider-verdicts.json');

const keyOf = (k: VerdictKey) => [k.provider, k.variant, k.model_sha256, VERSION, ORT_VERSION].join(' ');

const emptyCache = (): CacheFile => ({ schema: 'normscope.provider-verdicts/1', verdicts: {}, hashes: {} });

/** Where verdicts live when no folder is given: this process's memory, shared by every load in it. */
let inMemory: CacheFile = emptyCache();

/** The verdicts and weight hashes kept in `dir`'s provider-verdicts.json, or, with no folder, in this process only. */
export class VerdictCache {
  constructor(readonly dir: string | null) {}

  private async read(): Promise<CacheFile> {
    if (this.dir === null) return inMemory;
    try {
      const c = JSON.parse(await fs.readFile(verdictFile(this.dir), 'utf8')) as CacheFile;
      if (c.schema === 'normscope.provider-verdicts/1' && c.verdicts && c.hashes) return c;
    } catch {
      // missing or unreadable: a cache, so start a new one (the probe runs again)
    }
    return emptyCache();
  }

  /** Read, change, write back; a write that fails (read-only home) only costs a probe next time. */
  private async update(change: (c: CacheFile) => void): Promise<void> {
    const c = await this.read();
    change(c);
    // without a folder, read() gave the in-memory cache itself: the change is already kept
    if (this.dir !== null) await writeFileAtomic(verdictFile(this.dir), JSON.stringify(c, null, 1) + '\n').catch(() => undefined);
  }

  async cached(k: VerdictKey): Promise<Verdict | null> {
    return (await this.read()).verdicts[keyOf(k)] ?? null;
  }

  async store(k: VerdictKey, r: ProbeResult): Promise<Verdict> {
    const v: Verdict = { ...k, ...r, normscope: VERSION, onnxruntime: ORT_VERSION, checked: new Date().toISOString() };
    await this.update((c) => {
      c.verdicts[keyOf(k)] = v;
    });
    return v;
  }

  /** sha256 of a file, from the memo when its size and mtime are unchanged, else hashed (and remembered). */
  async fileSha256(file: string): Promise<string> {
    const real = await fs.realpath(file);
    const st = await fs.stat(real);
    const known = (await this.read()).hashes[real];
    if (known && known.size === st.size && known.mtime_ms === st.mtimeMs) return known.sha256;
    const h = createHash('sha256');
    for await (const chunk of createReadStream(real)) h.update(chunk as Buffer);
    const sha256 = h.digest('hex');
    await this.update((c) => {
      c.hashes[real] = { size: st.size, mtime_ms: st.mtimeMs, sha256 };
    });
    return sha256;
  }
}
