// The hub's file protocol, as huggingface_hub speaks it: HEAD {endpoint}/{repo}/resolve/{revision}/{file} for the
// commit, etag and size; GET (with Range to resume) from where that points. Errors become typed NormscopeErrors.
import { NormscopeError } from '../errors.js';
import { VERSION } from '../version.js';
import { checkedEndpoint, keepsToken } from './endpoint.js';
import { hfEndpoint, hfToken } from './locations.js';

export interface HubOptions {
  /** Base URL (default: HF_ENDPOINT, else https://huggingface.co). */
  endpoint?: string;
  /** Bearer token (default: HF_TOKEN or the saved login token); null sends none. */
  token?: string | null;
  signal?: AbortSignal;
  /** Seconds to wait for the hub's answer to a HEAD or for the first byte of a GET (default 30). */
  timeoutSeconds?: number;
}

export interface FileMetadata {
  repo: string;
  file: string;
  /** The commit the revision resolved to (X-Repo-Commit). */
  commit: string;
  /** The blob's name in the cache: git sha1 (40 hex) or, for LFS files, their sha256 (64 hex). */
  etag: string;
  size: number;
  /** Where to GET the bytes: the resolve URL itself, or the storage host an LFS file redirects to. */
  location: string;
}

const MAX_REDIRECTS = 10;
// failures that mean the host cannot be reached at all, as opposed to a connection that broke
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT']);
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function resolveUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${enc(repo)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}

/** `W/"abc"` → `abc`. */
export function normalizeEtag(v: string): string {
  return v.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** The low-level cause code of a failed fetch (`ECONNREFUSED`, `UND_ERR_SOCKET`, …), if any. */
export function causeCode(e: unknown): string | undefined {
  let c: unknown = e;
  for (let i = 0; i < 4 && c; i++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    c = (c as { cause?: unknown }).cause;
  }
  return undefined;
}

export function cancelled(): NormscopeError {
  return new NormscopeError('DOWNLOAD_CANCELLED', 'download cancelled');
}

/** A fetch that failed before any answer: cancelled, unreachable (OFFLINE), timed out, or another network error. */
export function networkError(e: unknown, url: string, signal?: AbortSignal): NormscopeError {
  if (signal?.aborted) return cancelled();
  const host = new URL(url).host;
  const code = causeCode(e);
  if (code && UNREACHABLE.has(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host name not found' : code;
    return new NormscopeError('OFFLINE', `cannot reach ${host} (${why}): you seem to be offline. Models already on disk still work; import a folder or use the Hugging Face cache.`, { url, cause: code });
  }
  return new NormscopeError('HTTP_ERROR', `network error talking to ${host}: ${(e as Error)?.message ?? String(e)}${code ? ` (${code})` : ''}`, { url, cause: code });
}

/** An HTTP answer that is not the file: not found, gated/private (401/403), or another status. */
function statusError(res: Response, repo: string, file: string, revision: string, hasToken: boolean): NormscopeError {
  const hubCode = res.headers.get('x-error-code');
  const details = { status: res.status, url: res.url, hubCode };
  if (res.status === 404) {
    const msg =
      hubCode === 'RepoNotFound' ? `repository ${repo} not found on the hub`
      : hubCode === 'RevisionNotFound' ? `revision ${revision} not found in ${repo}`
      : `${repo} has no file ${file} at revision ${revision}`;
    return new NormscopeError('HTTP_NOT_FOUND', `${msg} (HTTP 404)`, details);
  }
  if (res.status === 401 || res.status === 403) {
    // the hub answers 401 alike for a gated repository without a token, a private one and one that does not exist
    const what = hubCode === 'GatedRepo' ? `${repo} is gated` : `${repo} is gated, private or absent for this account`;
    const token = hasToken ? ' (the token in HF_TOKEN was refused)' : '';
    return new NormscopeError('HTTP_NOT_FOUND', `${what}${token}: accept the licence on the hub, then set HF_TOKEN to a token of that account (HTTP ${res.status})`, details);
  }
  return new NormscopeError('HTTP_ERROR', `the hub answered HTTP ${res.status} ${res.statusText} for ${repo}/${file}`, details);
}

function baseHeaders(): Record<string, string> {
  return { 'user-agent': `normscope/${VERSION}`, 'accept-encoding': 'identity' };
}

/** Waits `ms`, or rejects with DOWNLOAD_CANCELLED when `signal` aborts first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw cancelled();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One request, retried on 429/5xx with backoff; the timeout covers the wait for the answer's headers, not the body. */
async function request(url: string, init: RequestInit, opts: HubOptions, attempts = 3): Promise<Response> {
  for (let i = 1; ; i++) {
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), (opts.timeoutSeconds ?? 30) * 1000);
    let res: Response;
    try {
      const signal = opts.signal ? AbortSignal.any([opts.signal, timer.signal]) : timer.signal;
      res = await fetch(url, { ...init, redirect: 'manual', signal });
    } catch (e) {
      if (timer.signal.aborted && !opts.signal?.aborted) {
        throw new NormscopeError('OFFLINE', `${new URL(url).host} did not answer within ${opts.timeoutSeconds ?? 30} s: check the network connection (models already on disk still work)`, { url });
      }
      throw networkError(e, url, opts.signal);
    } finally {
      clearTimeout(t);
    }
    if (!RETRY_STATUS.has(res.status) || i >= attempts) return res;
    await res.body?.cancel();
    await sleep(500 * 2 ** (i - 1), opts.signal);
  }
}

/** HEAD the resolve URL: the commit, the etag (X-Linked-Etag for LFS files, else ETag) and the size
 * (X-Linked-Size, else Content-Length). Redirects on the same scheme, host and port (a renamed repository) are
 * followed with the token; one elsewhere (LFS storage) is not: its Location is where the bytes will come from. */
export async function fileMetadata(repo: string, revision: string, file: string, opts: HubOptions = {}): Promise<FileMetadata> {
  const endpoint = checkedEndpoint(opts.endpoint ?? hfEndpoint());
  const token = opts.token === undefined ? hfToken() : opts.token;
  let url = resolveUrl(endpoint, repo, revision, file);
  const origin = url;
  for (let hops = 0; ; hops++) {
    const headers = { ...baseHeaders(), ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = await request(url, { method: 'HEAD', headers }, opts);
    const location = res.headers.get('location');
    const next = location ? new URL(location, url).toString() : null;
    const redirect = res.status >= 300 && res.status < 400 && next !== null;
    if (redirect && keepsToken(origin, next) && hops < MAX_REDIRECTS) {
      url = next;
      continue;
    }
    if (!redirect && !res.ok) throw statusError(res, repo, file, revision, token !== null);
    const commit = res.headers.get('x-repo-commit');
    const etagRaw = res.headers.get('x-linked-etag') ?? res.headers.get('etag');
    const sizeRaw = res.headers.get('x-linked-size') ?? res.headers.get('content-length');
    const size = sizeRaw === null ? NaN : Number(sizeRaw);
    const etag = etagRaw === null ? '' : normalizeEtag(etagRaw);
    // both become file names in the cache: nothing that could climb out of it
    if (!commit || !SAFE_NAME.test(commit) || !SAFE_NAME.test(etag) || !Number.isSafeInteger(size) || size < 0) {
      throw new NormscopeError('HTTP_ERROR', `${new URL(url).host} did not answer like a Hugging Face hub for ${repo}/${file} (missing or malformed X-Repo-Commit, ETag or size): check HF_ENDPOINT`, { url, commit, etag, size: sizeRaw });
    }
    return { repo, file, commit, etag, size, location: redirect ? next : url };
  }
}

/** GET a file's bytes from byte `start` on (Range), following redirects and dropping the Authorization header as
 * soon as one changes scheme, host or port (a signed storage URL, or plain http, must not receive the hub token).
 * Resolves to a 200, 206 or 416 whose body the caller reads (`signal` also cancels the body). */
export async function openBytes(meta: FileMetadata, start: number, opts: HubOptions = {}): Promise<Response> {
  const endpoint = checkedEndpoint(opts.endpoint ?? hfEndpoint());
  const token = opts.token === undefined ? hfToken() : opts.token;
  let url = meta.location;
  let sendAuth = token !== null && keepsToken(endpoint, url);
  for (let hops = 0; ; hops++) {
    const headers: Record<string, string> = { ...baseHeaders(), ...(start > 0 ? { range: `bytes=${start}-` } : {}) };
    if (sendAuth && token) headers.authorization = `Bearer ${token}`;
    const res = await request(url, { method: 'GET', headers }, opts);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location && hops < MAX_REDIRECTS) {
      await res.body?.cancel();
      const next = new URL(location, url).toString();
      if (!keepsToken(url, next)) sendAuth = false;
      url = next;
      continue;
    }
    if (res.status === 200 || res.status === 206 || res.status === 416) return res;
    await res.body?.cancel();
    throw statusError(res, meta.repo, meta.file, meta.commit, token !== null);
  }
}
