// The browser harness: a node:http server on 127.0.0.1 that serves the built renderer and answers the
// shared/ipc.ts API against the same electron/core/app service Electron uses — POST /ipc/<channel> for
// invokes, Server-Sent Events on /events — so the renderer runs in Chromium exactly as in the app.
// Native dialogs are replaced by test hooks (queues of the paths a "user" picks).
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { EventChannel, EventMap, Reply } from '../../shared/ipc.js';
import { createAppService, dispatch, toIpcError, type AppPlatform, type AppService } from '../../electron/core/app/index.js';
import type { LoadOptions } from '../../electron/core/model/index.js';
import { contentType } from '../../electron/content-type.js';
import { CSP } from '../../electron/security.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BRIDGE_URL = './__harness/test/harness/bridge.js';
/** Source folders the harness may transpile and serve (the bridge and the contract it imports). */
const SERVABLE_SOURCES = ['shared/', 'test/harness/bridge.ts'];
const JSON_LIMIT = 8 << 20;
const DROP_LIMIT = 64 << 20;

export interface HarnessOptions {
  /** Model folder or registry name (default: the registry's default). */
  modelSpec?: string;
  loadOptions?: LoadOptions;
  /** The app's data folder (default: a new temporary folder, removed on close). */
  dataDir?: string;
  /** Built renderer (default renderer/dist). */
  rendererDir?: string;
  port?: number;
}

export interface HarnessHooks {
  /** The path the next open dialog "chooses" (null: the user cancels). */
  nextOpenFile(p: string | null): void;
  nextFolder(p: string | null): void;
  nextSavePath(p: string | null): void;
  /** What the app last put on the clipboard. */
  clipboard(): string | null;
  /** Every event sent so far, oldest first, with performance.now() at sending. */
  events(): { event: EventChannel; payload: unknown; at: number }[];
}

export interface Harness {
  url: string;
  service: AppService;
  hooks: HarnessHooks;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const rendererDir = path.resolve(o.rendererDir ?? path.join(ROOT, 'renderer', 'dist'));
  const indexHtml = await fs.readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`harness: ${rendererDir}/index.html is missing; run \`npm run build\` (or vite build --config renderer/vite.config.ts) first`);
  });
  const ownDataDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'normscope-harness-')));
  const dropDir = path.join(dataDir, 'dropped');

  const queues = { open: [] as (string | null)[], folder: [] as (string | null)[], save: [] as (string | null)[] };
  let clipboard: string | null = null;
  const events: { event: EventChannel; payload: unknown; at: number }[] = [];
  const streams = new Set<http.ServerResponse>();

  const platform: AppPlatform = {
    host: 'harness',
    chooseOpenFile: async () => queues.open.shift() ?? null,
    chooseFolder: async () => queues.folder.shift() ?? null,
    chooseSavePath: async () => queues.save.shift() ?? null,
    writeClipboard: async (text) => {
      clipboard = text;
    },
    emit<E extends EventChannel>(event: E, payload: EventMap[E]) {
      events.push({ event, payload, at: performance.now() });
      if (events.length > 10_000) events.splice(0, events.length - 10_000);
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of streams) res.write(frame);
    },
  };
  const service = createAppService({
    dataDir,
    platform,
    ...(o.modelSpec !== undefined ? { modelSpec: o.modelSpec } : {}),
    ...(o.loadOptions ? { loadOptions: o.loadOptions } : {}),
  });

  const transpiled = new Map<string, string>();
  async function source(rel: string): Promise<string | null> {
    const tsRel = rel.replace(/\.js$/, '.ts');
    if (!SERVABLE_SOURCES.some((s) => (s.endsWith('/') ? tsRel.startsWith(s) : tsRel === s)) || tsRel.includes('..')) return null;
    const cached = transpiled.get(tsRel);
    if (cached !== undefined) return cached;
    const text = await fs.readFile(path.join(ROOT, tsRel), 'utf8').catch(() => null);
    if (text === null) return null;
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
      fileName: tsRel,
    }).outputText;
    transpiled.set(tsRel, js);
    return js;
  }

  let origin = '';
  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', String((e as Error)?.message ?? e));
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // only this origin: no DNS rebinding, no cross-site posts from other pages in the browser
    if (req.headers.host !== origin.slice('http://'.length) || (req.headers.origin !== undefined && req.headers.origin !== origin)) {
      return send(res, 403, 'text/plain', 'forbidden');
    }
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname === '/ipc/file:drop') return drop(req, res);
    if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
      if (!String(req.headers['content-type']).startsWith('application/json')) return send(res, 415, 'text/plain', 'JSON only');
      const body = await readBody(req, JSON_LIMIT);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, { ok: false, error: { code: 'BAD_INPUT', message: 'the request is not JSON' } });
      }
      return sendJson(res, await dispatch(service, decodeURIComponent(url.pathname.slice('/ipc/'.length)), raw));
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const i = indexHtml.indexOf('<script');
      const html = i < 0 ? indexHtml : `${indexHtml.slice(0, i)}<script type="module" src="${BRIDGE_URL}"></script>\n    ${indexHtml.slice(i)}`;
      return send(res, 200, contentType('index.html'), html);
    }
    if (url.pathname.startsWith('/__harness/')) {
      const js = await source(decodeURIComponent(url.pathname.slice('/__harness/'.length)));
      return js === null ? send(res, 404, 'text/plain', 'not found') : send(res, 200, contentType('transpiled.js'), js);
    }
    const file = path.resolve(rendererDir, decodeURIComponent(url.pathname).replace(/^\/+/, ''));
    if (!file.startsWith(rendererDir + path.sep)) return send(res, 404, 'text/plain', 'not found');
    const body = await fs.readFile(file).catch(() => null);
    if (body === null) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, contentType(file), body);
  }

  async function drop(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let reply: Reply<unknown>;
    try {
      const name = path.basename(decodeURIComponent(String(req.headers['x-file-name'] ?? 'dropped.txt'))).replace(/[^\w. -]+/g, '_') || 'dropped.txt';
      const dir = path.join(dropDir, crypto.randomBytes(8).toString('hex'));
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, name);
      await fs.writeFile(file, await readBody(req, DROP_LIMIT));
      reply = { ok: true, value: await service.registerDroppedFile(file) };
    } catch (e) {
      reply = { ok: false, error: toIpcError(e) };
    }
    sendJson(res, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    service,
    dataDir,
    hooks: {
      nextOpenFile: (p) => void queues.open.push(p),
      nextFolder: (p) => void queues.folder.push(p),
      nextSavePath: (p) => void queues.save.push(p),
      clipboard: () => clipboard,
      events: () => events.slice(),
    },
    async close() {
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.dispose();
      if (ownDataDir) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendJson(res: http.ServerResponse, reply: Reply<unknown>): void {
  send(res, 200, 'application/json', JSON.stringify(reply));
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
