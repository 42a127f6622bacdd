// The harness and the IPC layer without a browser: every request is validated before the core sees it,
// the server answers only its own origin and serves only the bridge's sources, events arrive over SSE.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../electron/security.js';
import { startHarness, type Harness } from '../harness/server.js';
import { SHARED as ROOT_SHARED, expected, tinyModel } from './fixtures.js';

const SETTINGS = { component: 'attn', lags: 2, start: 3, cov: 'nonrobust' };

describe('harness IPC over 127.0.0.1', () => {
  let h: Harness;
  let work: string;

  /** The Reply as JSON, loosely typed: these tests read whichever side came back. */
  type Loose = { ok: boolean; value?: any; error?: { code: string; message: string } };
  const post = async (channel: string, body: unknown, headers: Record<string, string> = {}): Promise<Loose> => {
    const r = await fetch(`${h.url}ipc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await r.json()) as Loose;
  };
  const status = (pathname: string, init: RequestInit = {}) => fetch(new URL(pathname, h.url), init).then((r) => r.status);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'normscope-harness-test-'));
    h = await startHarness({ modelSpec: tinyModel() });
  });

  afterAll(async () => {
    await h?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('serves index.html with the CSP header and the bridge as a same-origin script before the app', async () => {
    const r = await fetch(h.url);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    const html = await r.text();
    const bridge = html.indexOf('src="./__harness/test/harness/bridge.js"');
    expect(bridge).toBeGreaterThan(0);
    expect(bridge).toBeLessThan(html.indexOf('src="./assets/'));
    const js = await fetch(new URL('__harness/test/harness/bridge.js', h.url)).then((r) => r.text());
    expect(js).toContain("import { EVENT_CHANNELS, INVOKE_CHANNELS, } from '../../shared/ipc.js'");
    expect(js).not.toMatch(/:\s*NormscopeBridge/);
  });

  it('serves no source outside shared/ and the bridge, and nothing outside renderer/dist', async () => {
    expect(await status('__harness/electron/security.js')).toBe(404);
    expect(await status('__harness/test/harness/server.js')).toBe(404);
    expect(await status('__harness/shared/../electron/main.js')).toBe(404);
    expect(await status('%2e%2e/package.json')).toBe(404);
    expect(await status('__harness/shared/ipc.js')).toBe(200);
  });

  it('refuses other origins and hosts (no cross-site posts, no DNS rebinding)', async () => {
    expect(await status('ipc/app:info', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: 'null' })).toBe(403);
    const { port } = new URL(h.url);
    const code = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      req.end();
    });
    expect(code).toBe(403);
    expect(await status('ipc/app:info', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'null' })).toBe(415);
  });

  it('validates every request: channel, shape, types, ranges, handles', async () => {
    expect(await post('nope:nothing', null)).toMatchObject({ ok: false, error: { code: 'BAD_CHANNEL' } });
    expect(await post('models:scanCache', { other: 'yes' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('app:info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const bad = [
      { file: 'not-a-handle', settings: SETTINGS },
      { file: 'a'.repeat(32), settings: SETTINGS },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, lags: 0 } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, lags: 2.5 } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, start: 1 } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, cov: 'HC9' } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, maxlags: 2 } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, component: '../../etc' } },
      { file: 'a'.repeat(32), settings: { ...SETTINGS, path: '/etc/passwd' } },
      { path: '/etc/passwd', settings: SETTINGS },
    ];
    for (const req of bad) {
      const r = await post('document:open', req);
      expect(r, JSON.stringify(req)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect((await post('document:open', bad[6]!)).error!.message).toMatch(/maxlags applies to the HAC covariance only/);
    expect(await post('document:refit', { docId: 'b'.repeat(32), settings: SETTINGS })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('figure:save', { docId: 'b'.repeat(32), figure: 'attention-norm-strip', format: 'gif', theme: 'light' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('figure:save', { docId: 'b'.repeat(32), figure: 'attention-norm-strip', format: 'png', theme: 'light', width: 50_000 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('clipboard:write', { text: 7 })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('prefs:set', { theme: 'purple' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // three export styles, and the app's own theme is never the notebook figure style
    expect(await post('figure:save', { docId: 'b'.repeat(32), figure: 'attention-norm-strip', format: 'svg', theme: 'sepia' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/light, dark, notebook/) } });
    expect(await post('prefs:set', { exportTheme: 'current' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('prefs:set', { theme: 'notebook' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await post('models:setDefault', { name: '../../secret' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('keeps preferences in the data folder', async () => {
    expect(await post('prefs:set', { theme: 'dark', pngResolution: '300dpi' })).toMatchObject({ ok: true, value: { theme: 'dark', exportTheme: 'light', pngResolution: '300dpi' } });
    expect(await post('prefs:get', null)).toMatchObject({ ok: true, value: { theme: 'dark', pngResolution: '300dpi' } });
    expect(JSON.parse(fs.readFileSync(path.join(h.dataDir, 'prefs.json'), 'utf8')).theme).toBe('dark');
    expect(await post('prefs:set', { exportTheme: 'notebook' })).toMatchObject({ ok: true, value: { exportTheme: 'notebook' } });
    expect(JSON.parse(fs.readFileSync(path.join(h.dataDir, 'prefs.json'), 'utf8')).exportTheme).toBe('notebook');
    expect(await post('prefs:set', { exportTheme: 'light' })).toMatchObject({ ok: true, value: { exportTheme: 'light' } });
  });

  it('opens only files a dialog chose, sends progress over SSE, refits without the model, and lists recent files', async () => {
    const file = path.join(work, 'lighthouse.txt');
    fs.writeFileSync(file, expected().documents['lighthouse']!.text);
    const received: string[] = [];
    const controller = new AbortController();
    const sse = await fetch(new URL('events', h.url), { signal: controller.signal });
    const reader = sse.body!.getReader();
    void (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        for (const m of decoder.decode(value).matchAll(/event: ([\w:]+)\ndata: (.*)\n/g)) received.push(`${m[1]} ${JSON.parse(m[2]!).phase ?? JSON.parse(m[2]!).state}`);
      }
    })();

    expect(await post('file:open', null)).toEqual({ ok: true, value: null });
    h.hooks.nextOpenFile(file);
    const handle = await post('file:open', null);
    expect(handle).toMatchObject({ ok: true, value: { kind: 'file', name: 'lighthouse.txt' } });
    expect(handle.value.id).toMatch(/^[0-9a-f]{32}$/);

    const opened = await post('document:open', { file: handle.value.id, settings: SETTINGS });
    expect(opened.ok).toBe(true);
    expect(opened.value.tokens.map((t: { id: number }) => t.id)).toEqual(expected().documents['lighthouse']!.ids);
    await expect.poll(() => received.includes('document:progress done')).toBe(true);
    expect(received).toContain('model:progress ready');
    expect(received.indexOf('document:progress running')).toBeLessThan(received.indexOf('document:progress done'));

    const progressBefore = received.filter((r) => r.startsWith('document:progress')).length;
    const refit = await post('document:refit', { docId: opened.value.docId, settings: { ...SETTINGS, component: 'block', cov: 'HAC', maxlags: 2 } });
    expect(refit.ok).toBe(true);
    const want = expected().documents['lighthouse']!.taps['h.1']!.ar2 as unknown as { params: number[]; bse_HAC2: number[] };
    refit.value.layers[1].fit.params.forEach((p: number, i: number) => expect(Math.abs(p - want.params[i]!)).toBeLessThanOrEqual(1e-3 * Math.abs(want.params[i]!)));
    refit.value.layers[1].fit.bse.forEach((b: number, i: number) => expect(Math.abs(b - want.bse_HAC2[i]!)).toBeLessThanOrEqual(1e-3 * want.bse_HAC2[i]!));
    expect(received.filter((r) => r.startsWith('document:progress')).length).toBe(progressBefore);

    const recent = await post('file:recent', null);
    expect(recent.value[0].file).toEqual(handle.value);
    controller.abort();
  });

  it('cancels a document run in flight: CANCELLED, and the next open still works', async () => {
    const dir = path.resolve(ROOT_SHARED, 'corpus', 'licenses');
    const corpus = fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n\n');
    const file = path.join(work, 'long.txt');
    fs.writeFileSync(file, corpus);
    h.hooks.nextOpenFile(file);
    const handle = await post('file:open', null);
    const seen = h.hooks.events().length;
    const opening = post('document:open', { file: handle.value.id, settings: SETTINGS });
    await expect
      .poll(() => h.hooks.events().slice(seen).some((e) => e.event === 'document:progress' && (e.payload as { tokensDone: number }).tokensDone > 0), { interval: 5, timeout: 30_000 })
      .toBe(true);
    expect(await post('document:cancel', null)).toEqual({ ok: true, value: { cancelled: true } });
    expect(await opening).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await post('document:cancel', null)).toEqual({ ok: true, value: { cancelled: false } });
    const again = (await post('file:recent', null)).value.find((r: { file: { name: string } }) => r.file.name === 'lighthouse.txt');
    expect(await post('document:open', { file: again.file.id, settings: SETTINGS })).toMatchObject({ ok: true });
  }, 60_000);
});
