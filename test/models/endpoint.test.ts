// The token travels only encrypted: HF_ENDPOINT must be https (plain http only on loopback), a redirect that changes
// scheme, host or port leaves the token behind, and a small file whose bytes do not match its git blob sha1 is refused.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isNormscopeError, type NormscopeError } from '../../electron/core/errors.js';
import { checkedEndpoint, isLoopbackHost } from '../../electron/core/models/endpoint.js';
import { fileMetadata, openBytes } from '../../electron/core/models/hub.js';
import { pull } from '../../electron/core/models/index.js';
import { tempDir, tinyAModel } from '../analysis/fixtures.js';
import { COMMIT, FakeHub, gitBlobSha1, repoFiles, type HubFile } from './fake-hub.js';
import { testWorld, type TestWorld } from './env.js';

async function rejection(p: Promise<unknown>): Promise<NormscopeError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!isNormscopeError(e)) throw new Error(`expected a NormscopeError, got ${String(e)}`);
  return e;
}

describe('checkedEndpoint(url)', () => {
  it('accepts https anywhere and http on loopback names and addresses', () => {
    for (const ok of ['https://huggingface.co', 'https://mirror.example.org/hf', 'http://127.0.0.1:8080', 'http://127.9.8.7', 'http://localhost:3000', 'http://[::1]:9000']) {
      expect(checkedEndpoint(ok)).toBe(ok);
    }
    expect(isLoopbackHost('[0:0:0:0:0:0:0:1]')).toBe(true);
  });

  it('refuses http to any other host, other schemes, and non-URLs with BAD_USAGE naming HF_ENDPOINT', () => {
    for (const bad of ['http://huggingface.co', 'http://10.0.0.1:8080', 'http://127.0.0.1.nip.io', 'http://[::2]', 'ftp://127.0.0.1', 'file:///etc', 'huggingface.co']) {
      const e = (() => { try { checkedEndpoint(bad); return null; } catch (err) { return err; } })();
      expect(isNormscopeError(e, 'BAD_USAGE'), bad).toBe(true);
      expect((e as Error).message).toContain('HF_ENDPOINT');
    }
  });
});

describe('pull over HF_ENDPOINT', () => {
  const REPO = 'openai-community/gpt2';
  let files: Map<string, HubFile>;
  let hub: FakeHub;
  let world: TestWorld;
  beforeAll(() => { files = repoFiles(tinyAModel()); });
  beforeEach(async () => {
    hub = await FakeHub.start();
    hub.repos.set(REPO, files);
    world = testWorld('endpoint', { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'secret-token' });
    process.env.HF_HUB_CACHE = path.join(world.root, 'hub');
  });
  afterEach(async () => {
    await hub.close();
    world.restore();
  });

  it('an http endpoint on another host is refused before any request, while the loopback fake hub works', async () => {
    process.env.HF_ENDPOINT = 'http://hub.example.test';
    const e = await rejection(pull('gpt2'));
    expect(e.code).toBe('BAD_USAGE');
    expect(e.message).toMatch(/HF_ENDPOINT "http:\/\/hub\.example\.test" refused.*unencrypted/);
    expect(fs.existsSync(path.join(world.root, 'hub'))).toBe(false);
    process.env.HF_ENDPOINT = hub.endpoint;
    expect((await pull('gpt2')).revision).toBe(COMMIT);
  });

  it('a small file whose bytes do not match its git blob sha1 ETag is refused and nothing is linked', async () => {
    hub.tamperFile = 'config.json';
    const e = await rejection(pull('gpt2'));
    expect(e.code).toBe('CHECKSUM_MISMATCH');
    expect(e.message).toContain(`git-sha1`);
    expect(e.message).toContain(gitBlobSha1(files.get('config.json')!.data));
    const repoDir = path.join(world.root, 'hub', 'models--openai-community--gpt2');
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false);
    expect(fs.existsSync(path.join(repoDir, 'blobs', gitBlobSha1(files.get('config.json')!.data)))).toBe(false);
  });
});

/** One 127.0.0.1 port serving https and http (told apart by the TLS handshake's first byte), logging each request. */
async function dualServer(cert: { key: Buffer; cert: Buffer }, handler: http.RequestListener) {
  const log: { encrypted: boolean; method: string; url: string; authorization: string | null }[] = [];
  const wrap: http.RequestListener = (req, res) => {
    log.push({ encrypted: 'encrypted' in req.socket, method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? null });
    handler(req, res);
  };
  const plain = http.createServer(wrap);
  const secure = https.createServer(cert, wrap);
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  const port = (front.address() as AddressInfo).port;
  return {
    port, log,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => front.close(r));
    },
  };
}

describe('redirects: the token stays with the scheme, host and port it was meant for', () => {
  let dir: string;
  let cert: { key: Buffer; cert: Buffer };
  const savedTls = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  beforeAll(() => {
    dir = tempDir('tls');
    // a throwaway self-signed certificate for 127.0.0.1; this test file alone trusts it, by turning verification off
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterAll(() => {
    if (savedTls === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = savedTls;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an https hub redirecting to http on the same host and port: HEAD and GET over http carry no token', async () => {
    const body = Buffer.from('{"model_type": "gpt2"}\n');
    const server = await dualServer(cert, (req, res) => {
      const encrypted = 'encrypted' in req.socket;
      const headers = { 'x-repo-commit': COMMIT, etag: `"${gitBlobSha1(body)}"`, 'content-length': String(body.length) };
      if (encrypted) {
        res.writeHead(302, { ...headers, location: `http://127.0.0.1:${server.port}/plain${req.url}` });
        return void res.end();
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    try {
      const endpoint = `https://127.0.0.1:${server.port}`;
      const meta = await fileMetadata('org/model', 'main', 'config.json', { endpoint, token: 'secret-token' });
      expect(meta.location.startsWith(`http://127.0.0.1:${server.port}/plain/`)).toBe(true);
      const res = await openBytes(meta, 0, { endpoint, token: 'secret-token' });
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
      const secure = server.log.filter((r) => r.encrypted), plain = server.log.filter((r) => !r.encrypted);
      expect(secure.length).toBeGreaterThan(0);
      expect(secure.every((r) => r.authorization === 'Bearer secret-token')).toBe(true);
      expect(plain.map((r) => r.method)).toEqual(['GET']);
      expect(plain.every((r) => r.authorization === null)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('an https GET redirected to http mid-download drops the token for that hop and every later one', async () => {
    const body = Buffer.from('weights');
    const server = await dualServer(cert, (req, res) => {
      if ('encrypted' in req.socket) {
        res.writeHead(302, { location: `http://127.0.0.1:${server.port}/storage/1` });
        return void res.end();
      }
      if (req.url === '/storage/1') {
        res.writeHead(302, { location: '/storage/2' });
        return void res.end();
      }
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(body);
    });
    try {
      const endpoint = `https://127.0.0.1:${server.port}`;
      const meta = { repo: 'org/model', file: 'x', commit: COMMIT, etag: 'e', size: body.length, location: `${endpoint}/org/model/resolve/${COMMIT}/x` };
      const res = await openBytes(meta, 0, { endpoint, token: 'secret-token' });
      expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
      expect(server.log.map((r) => [r.encrypted, r.url, r.authorization])).toEqual([
        [true, `/org/model/resolve/${COMMIT}/x`, 'Bearer secret-token'],
        [false, '/storage/1', null],
        [false, '/storage/2', null],
      ]);
    } finally {
      await server.close();
    }
  });
});
