// A Hugging Face hub on 127.0.0.1 for the download tests: the resolve endpoint with the hub's headers
// (X-Repo-Commit, ETag / X-Linked-Etag, X-Linked-Size, X-Error-Code), LFS files redirected to a second server on
// another 127.0.0.1 port (a different host, so the client must drop Authorization), Range requests, and faults on demand:
// a connection cut after N bytes, a flipped byte, a slow trickle.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HubFile {
  data: Buffer;
  /** Stored with Git LFS on the hub: etag is its sha256 and the bytes come from the storage host. */
  lfs: boolean;
}

export interface LoggedRequest {
  server: 'hub' | 'lfs';
  method: string;
  url: string;
  range: string | null;
  authorization: string | null;
}

export const COMMIT = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';

/** git's blob id: sha1 of `blob <size>\0<content>` — what the hub sends as ETag for files kept in git. */
export function gitBlobSha1(data: Buffer): string {
  return crypto.createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The files a hub repository serves, read from a model folder (model.safetensors as LFS). */
export function repoFiles(dir: string): Map<string, HubFile> {
  const files = new Map<string, HubFile>();
  for (const name of fs.readdirSync(dir)) files.set(name, { data: fs.readFileSync(path.join(dir, name)), lfs: name.endsWith('.safetensors') });
  return files;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export class FakeHub {
  readonly log: LoggedRequest[] = [];
  /** Repositories served: id → files. */
  readonly repos = new Map<string, Map<string, HubFile>>();
  /** Repositories that answer 401 GatedRepo unless the request carries this token. */
  readonly gated = new Map<string, string>();
  /** Cut the next `cutTimes` LFS transfers after `cutAfter` bytes of the file (absolute offset). */
  cutAfter: number | null = null;
  cutTimes = 0;
  /** Serve LFS bytes with the byte at this offset flipped. */
  corruptAt: number | null = null;
  /** Serve the bytes of this git-kept file (config, tokenizer) with its first byte changed, under the original's ETag. */
  tamperFile: string | null = null;
  /** Send LFS bytes in chunks of this size with this pause between them. */
  trickle: { chunk: number; delayMs: number } | null = null;
  /** Headers that override the hub's own on resolve answers (to imitate a misbehaving mirror). */
  overrideHeaders: Record<string, string> = {};
  /** Called as each request arrives, before it is answered. */
  onRequest: ((r: LoggedRequest) => void) | null = null;

  private constructor(
    private readonly hub: http.Server,
    private readonly lfs: http.Server,
    readonly endpoint: string,
    readonly lfsOrigin: string,
  ) {}

  static async start(): Promise<FakeHub> {
    const hubServer = http.createServer();
    const lfsServer = http.createServer();
    const hubPort = await listen(hubServer);
    const lfsPort = await listen(lfsServer);
    // another port is another host (host:port, as huggingface_hub compares netlocs): the token must not follow
    const hub = new FakeHub(hubServer, lfsServer, `http://127.0.0.1:${hubPort}`, `http://127.0.0.1:${lfsPort}`);
    hubServer.on('request', (req, res) => hub.onHub(req, res));
    lfsServer.on('request', (req, res) => void hub.onLfs(req, res));
    return hub;
  }

  lfsRequests(): LoggedRequest[] {
    return this.log.filter((r) => r.server === 'lfs');
  }

  private record(server: 'hub' | 'lfs', req: http.IncomingMessage): void {
    const r = { server, method: req.method ?? '', url: req.url ?? '', range: req.headers.range ?? null, authorization: req.headers.authorization ?? null };
    this.log.push(r);
    this.onRequest?.(r);
  }

  private onHub(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.record('hub', req);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURI((req.url ?? '').split('?')[0]!));
    const fail = (status: number, code: string) => {
      res.writeHead(status, { 'x-error-code': code, 'content-type': 'text/plain' });
      res.end(code);
    };
    if (!m) return fail(404, 'RepoNotFound');
    const [, repo, revision, file] = m as unknown as [string, string, string, string];
    const files = this.repos.get(repo);
    if (!files) return fail(404, 'RepoNotFound');
    const token = this.gated.get(repo);
    if (token && req.headers.authorization !== `Bearer ${token}`) return fail(401, 'GatedRepo');
    if (revision !== 'main' && revision !== COMMIT) return fail(404, 'RevisionNotFound');
    const f = files.get(file);
    if (!f) return fail(404, 'EntryNotFound');
    if (f.lfs) {
      const sha = sha256(f.data);
      res.writeHead(302, {
        location: `${this.lfsOrigin}/repos/${sha}?X-Amz-Signature=fake`,
        'x-repo-commit': COMMIT,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': String(f.data.length),
        etag: `W/"${gitBlobSha1(Buffer.from('lfs pointer ' + sha))}"`,
        'content-length': '0',
        ...this.overrideHeaders,
      });
      return void res.end();
    }
    res.writeHead(200, { 'x-repo-commit': COMMIT, etag: `"${gitBlobSha1(f.data)}"`, 'content-length': String(f.data.length), ...this.overrideHeaders });
    const served = file === this.tamperFile ? Buffer.concat([Buffer.from(' '), f.data.subarray(1)]) : f.data;
    res.end(req.method === 'HEAD' ? undefined : served);
  }

  private async onLfs(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.record('lfs', req);
    const sha = /^\/repos\/([0-9a-f]{64})/.exec(req.url ?? '')?.[1];
    const f = [...this.repos.values()].flatMap((files) => [...files.values()]).find((x) => x.lfs && sha256(x.data) === sha);
    if (!f) {
      res.writeHead(404);
      return void res.end();
    }
    let data = f.data;
    if (this.corruptAt !== null) {
      data = Buffer.from(data);
      data[this.corruptAt] = data[this.corruptAt]! ^ 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= data.length) {
      res.writeHead(416, { 'content-range': `bytes */${data.length}` });
      return void res.end();
    }
    res.writeHead(range ? 206 : 200, {
      'content-length': String(data.length - start),
      ...(range ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    });
    const cut = this.cutAfter !== null && this.cutTimes > 0 && this.cutAfter > start ? this.cutAfter : null;
    if (cut !== null) this.cutTimes--;
    const end = cut ?? data.length;
    const step = this.trickle?.chunk ?? end - start;
    for (let at = start; at < end && !res.destroyed; at += step) {
      const piece = data.subarray(at, Math.min(end, at + step));
      await new Promise<void>((resolve) => res.write(piece, () => resolve()));
      if (this.trickle && at + step < end) await new Promise((r) => setTimeout(r, this.trickle!.delayMs));
    }
    // a cut: everything up to `cut` is sent, then the connection closes mid-body
    if (cut !== null) res.socket?.end();
    else res.end();
  }

  async close(): Promise<void> {
    for (const s of [this.hub, this.lfs]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  }
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}
