// Downloads one blob into the cache: into normscope's partial file (resumed with Range from wherever an earlier
// attempt, or an earlier run, stopped), checked against its size and, for LFS files, the sha256 the hub names it by,
// then renamed into place. A blob name therefore always holds complete, verified content.
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { NormscopeError } from '../errors.js';
import { diskFullOr } from '../fs/atomic.js';
import { blobHash } from './blob-hash.js';
import { fileSize } from './folder.js';
import type { CachedRepo } from './hf-cache.js';
import { cancelled, openBytes, sleep, type FileMetadata, type HubOptions } from './hub.js';

export interface TransferOptions extends HubOptions {
  /** Reconnections after a transfer breaks off, each resuming where it stopped (default 5). */
  retries?: number;
  /** First wait before reconnecting, doubled each time up to 10 s (default 1000 ms). */
  retryDelayMs?: number;
  /** A transfer silent this long is treated as broken (default 60 s). */
  stallSeconds?: number;
  /** On cancel, keep what was downloaded so that a later pull resumes: a pause (default: remove it). */
  keepPartial?: boolean;
  /** Called with each chunk's size as it is written. */
  onBytes?: (delta: number) => void;
}

export interface TransferResult {
  blob: string;
  /** Bytes that came over the network in this call. */
  downloaded: number;
  /** Where this call started: the size of the partial file it found (0 for a fresh download). */
  resumedFrom: number;
  /** Whether the content was checked against its etag (sha256 for LFS files, git blob sha1 for the others). */
  verified: boolean;
}

async function hashPrefix(file: string, bytes: number, hash: Hash, signal?: AbortSignal): Promise<void> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1, signal })) hash.update(chunk as Buffer);
}

function interrupted(meta: FileMetadata, done: number, why: unknown): NormscopeError {
  return new NormscopeError(
    'HTTP_ERROR',
    `the download of ${meta.repo}/${meta.file} broke off at ${done} of ${meta.size} bytes (${(why as Error)?.message ?? why}); run the pull again to resume from there`,
    { received: done, size: meta.size },
  );
}

/** A failed write to the partial file: never retried (a full disk does not empty by reconnecting). */
class WriteFailure {
  constructor(readonly error: unknown) {}
}

/** Downloads `meta`'s blob into `repo`, resuming and verifying; resolves when blobs/<etag> holds the whole file. */
export async function transferBlob(meta: FileMetadata, repo: CachedRepo, opts: TransferOptions = {}): Promise<TransferResult> {
  const blob = repo.blob(meta.etag);
  await fs.mkdir(path.dirname(blob), { recursive: true });
  const download = await PartialDownload.open(meta, repo.partial(meta.etag), opts);
  try {
    await download.fetchRest();
  } catch (e) {
    if (!opts.signal?.aborted) throw e;
    if (!opts.keepPartial) await fs.rm(download.partial, { force: true });
    throw cancelled();
  }
  await download.verify();
  await fs.rename(download.partial, blob);
  return { blob, downloaded: download.downloaded, resumedFrom: download.resumedFrom, verified: download.hash !== null };
}

/** One blob's partial file and what is known of it: its length, the running hash of its bytes, what came in this call. */
class PartialDownload {
  #digest: ReturnType<typeof blobHash>;
  done: number;
  downloaded = 0;
  readonly resumedFrom: number;

  private constructor(
    readonly meta: FileMetadata,
    readonly partial: string,
    private readonly opts: TransferOptions,
    size: number,
  ) {
    this.#digest = blobHash(meta.etag, meta.size);
    this.done = size;
    this.resumedFrom = size;
  }

  /** The partial file as an earlier attempt left it (created empty when there is none). */
  static async open(meta: FileMetadata, partial: string, opts: TransferOptions): Promise<PartialDownload> {
    await (await fs.open(partial, 'a')).close();
    let size = (await fileSize(partial)) ?? 0;
    if (size > meta.size) {
      // longer than the file: not a prefix of it
      await fs.truncate(partial, 0);
      size = 0;
    }
    return new PartialDownload(meta, partial, opts, size);
  }

  /** The running hash of the partial file's bytes, when the etag names a content hash. */
  get hash(): Hash | null {
    return this.#digest?.hash ?? null;
  }

  /** Requests until the file is whole: a broken transfer is resumed (with backoff), a refused Range starts over. */
  async fetchRest(): Promise<void> {
    const { meta, opts } = this;
    if (this.hash) await hashPrefix(this.partial, this.done, this.hash, opts.signal);
    for (let failures = 0, restarts = 0; this.done < meta.size; ) {
      try {
        if ((await this.attempt()) === 'restart' && ++restarts > 2) {
          throw new NormscopeError('HTTP_ERROR', `${meta.repo}/${meta.file}: the server does not serve the byte ranges it is asked for`);
        }
      } catch (e) {
        if (opts.signal?.aborted) throw cancelled();
        if (e instanceof WriteFailure) throw diskFullOr(e.error, this.partial);
        if (e instanceof NormscopeError) throw e;
        if (++failures > (opts.retries ?? 5)) throw interrupted(meta, this.done, e);
        await sleep(Math.min(10_000, (opts.retryDelayMs ?? 1000) * 2 ** (failures - 1)), opts.signal);
      }
    }
  }

  /** One request: appends what arrives; 'restart' when the server did not continue at our offset. */
  private async attempt(): Promise<'done' | 'restart'> {
    const stallSeconds = this.opts.stallSeconds ?? 60;
    const stall = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallSeconds * 1000);
    };
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, stall.signal]) : stall.signal;
    const fh = await fs.open(this.partial, 'a');
    try {
      arm();
      const res = await openBytes(this.meta, this.done, { ...this.opts, signal });
      const range = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      const startsAt = res.status === 206 && range ? Number(range[1]) : res.status === 200 ? 0 : -1;
      if (startsAt !== this.done) {
        // the server ignored or refused the Range (or the partial was no prefix of the file): start over
        await res.body?.cancel();
        await this.startOver();
        return 'restart';
      }
      await this.append(res, fh, arm);
      if (this.done < this.meta.size) throw new Error('the connection closed early');
      return 'done';
    } catch (e) {
      throw stall.signal.aborted && !this.opts.signal?.aborted ? new Error(`no data for ${stallSeconds} s`) : e;
    } finally {
      clearTimeout(timer);
      await fh.close();
    }
  }

  /** Writes the response's body to the partial file and the hash, re-arming the stall timer on each chunk. */
  private async append(res: Response, fh: fs.FileHandle, arm: () => void): Promise<void> {
    for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
      arm();
      await fh.write(chunk).catch((e: unknown) => Promise.reject(new WriteFailure(e)));
      this.hash?.update(chunk);
      this.done += chunk.length;
      this.downloaded += chunk.length;
      this.opts.onBytes?.(chunk.length);
      if (this.done > this.meta.size) break;
    }
    await fh.sync().catch((e: unknown) => Promise.reject(new WriteFailure(e)));
  }

  private async startOver(): Promise<void> {
    await fs.truncate(this.partial, 0);
    this.done = 0;
    this.#digest = blobHash(this.meta.etag, this.meta.size);
  }

  /** The whole file, of the size and (for content-hashed etags) the hash the hub announced; else it is discarded. */
  async verify(): Promise<void> {
    const { meta } = this;
    if (this.done !== meta.size) {
      await fs.rm(this.partial, { force: true });
      throw new NormscopeError('CHECKSUM_MISMATCH', `${meta.repo}/${meta.file}: received ${this.done} bytes where the hub announced ${meta.size}; the file was discarded`, { received: this.done, size: meta.size });
    }
    if (!this.hash) return;
    const actual = this.hash.digest('hex');
    if (actual !== meta.etag) {
      await fs.rm(this.partial, { force: true });
      throw new NormscopeError(
        'CHECKSUM_MISMATCH',
        `${meta.repo}/${meta.file}: the downloaded bytes have ${this.#digest!.kind} ${actual}, not the ${meta.etag} the hub announced; the file was discarded, nothing was used`,
        { expected: meta.etag, actual },
      );
    }
  }
}
