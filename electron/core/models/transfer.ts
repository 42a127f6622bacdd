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
  const partial = repo.partial(meta.etag);
  await fs.mkdir(path.dirname(blob), { recursive: true });
  await (await fs.open(partial, 'a')).close();
  const freshHash = () => blobHash(meta.etag, meta.size);
  let digest = freshHash();
  let hash = digest?.hash ?? null;
  let done = (await fileSize(partial)) ?? 0;
  if (done > meta.size) {
    // longer than the file: not a prefix of it
    await fs.truncate(partial, 0);
    done = 0;
  }
  const resumedFrom = done;
  let downloaded = 0;
  const stallSeconds = opts.stallSeconds ?? 60;

  /** One request: appends what arrives; 'restart' when the server did not continue at our offset. */
  const attempt = async (): Promise<'done' | 'restart'> => {
    const stall = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallSeconds * 1000);
    };
    const signal = opts.signal ? AbortSignal.any([opts.signal, stall.signal]) : stall.signal;
    const fh = await fs.open(partial, 'a');
    try {
      arm();
      const res = await openBytes(meta, done, { ...opts, signal });
      const range = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      const startsAt = res.status === 206 && range ? Number(range[1]) : res.status === 200 ? 0 : -1;
      if (startsAt !== done) {
        // the server ignored or refused the Range (or the partial was no prefix of the file): start over
        await res.body?.cancel();
        await fs.truncate(partial, 0);
        done = 0;
        digest = freshHash();
        hash = digest?.hash ?? null;
        return 'restart';
      }
      for await (const chunk of (res.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
        arm();
        await fh.write(chunk).catch((e: unknown) => Promise.reject(new WriteFailure(e)));
        hash?.update(chunk);
        done += chunk.length;
        downloaded += chunk.length;
        opts.onBytes?.(chunk.length);
        if (done > meta.size) break;
      }
      await fh.sync().catch((e: unknown) => Promise.reject(new WriteFailure(e)));
      if (done < meta.size) throw new Error('the connection closed early');
      return 'done';
    } catch (e) {
      throw stall.signal.aborted && !opts.signal?.aborted ? new Error(`no data for ${stallSeconds} s`) : e;
    } finally {
      clearTimeout(timer);
      await fh.close();
    }
  };

  try {
    if (hash) await hashPrefix(partial, done, hash, opts.signal);
    for (let failures = 0, restarts = 0; done < meta.size; ) {
      try {
        if ((await attempt()) === 'restart' && ++restarts > 2) {
          throw new NormscopeError('HTTP_ERROR', `${meta.repo}/${meta.file}: the server does not serve the byte ranges it is asked for`);
        }
      } catch (e) {
        if (opts.signal?.aborted) throw cancelled();
        if (e instanceof WriteFailure) throw diskFullOr(e.error, partial);
        if (e instanceof NormscopeError) throw e;
        if (++failures > (opts.retries ?? 5)) throw interrupted(meta, done, e);
        await sleep(Math.min(10_000, (opts.retryDelayMs ?? 1000) * 2 ** (failures - 1)), opts.signal);
      }
    }
  } catch (e) {
    if (!opts.signal?.aborted) throw e;
    if (!opts.keepPartial) await fs.rm(partial, { force: true });
    throw cancelled();
  }
  if (done !== meta.size) {
    await fs.rm(partial, { force: true });
    throw new NormscopeError('CHECKSUM_MISMATCH', `${meta.repo}/${meta.file}: received ${done} bytes where the hub announced ${meta.size}; the file was discarded`, { received: done, size: meta.size });
  }
  if (hash) {
    const actual = hash.digest('hex');
    if (actual !== meta.etag) {
      await fs.rm(partial, { force: true });
      throw new NormscopeError(
        'CHECKSUM_MISMATCH',
        `${meta.repo}/${meta.file}: the downloaded bytes have ${digest!.kind} ${actual}, not the ${meta.etag} the hub announced; the file was discarded, nothing was used`,
        { expected: meta.etag, actual },
      );
    }
  }
  await fs.rename(partial, blob);
  return { blob, downloaded, resumedFrom, verified: hash !== null };
}
