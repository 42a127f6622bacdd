// Static checks of the Electron security model (STYLE.md, Electron section): the window options main.ts
// applies, the IPC handlers' sender check, the preload's surface and the Content-Security-Policy.
// Electron itself cannot run here, so these read the very objects and sources the app uses.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  CSP,
  CSP_META,
  isAppUrl,
  isTrustedExternalUrl,
  isTrustedFrame,
  mainWindowPreferences,
  rendererFile,
  WEB_PREFERENCES,
} from '../../electron/security.js';
import { ROOT } from './fixtures.js';

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const parse = (rel: string) => ts.createSourceFile(rel, read(rel), ts.ScriptTarget.Latest, true);

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

/** What a set of webPreferences gets wrong, by Electron's security checklist. */
function preferenceWeaknesses(p: Record<string, unknown>): string[] {
  const out: string[] = [];
  // the checklist itself, written here and not read from electron/security.ts: a weakened WEB_PREFERENCES must fail
  const mustBeOn = ['contextIsolation', 'sandbox', 'webSecurity'];
  const mustBeOff = ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag'];
  for (const k of mustBeOn) if (p[k] !== true) out.push(`${k} must be true`);
  for (const k of mustBeOff) if (p[k] !== false) out.push(`${k} must be false`);
  for (const k of ['enableBlinkFeatures', 'enableRemoteModule', 'additionalArguments']) if (k in p) out.push(`${k} must not be set`);
  return out;
}

/** What a CSP allows that normscope's must not: eval, inline or remote script, remote anything. */
function cspWeaknesses(policy: string): string[] {
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
  );
  const out: string[] = [];
  const script = directives.get('script-src') ?? directives.get('default-src');
  if (!directives.has('default-src')) out.push('no default-src');
  if (!script) out.push('no script-src');
  else if (script.length !== 1 || script[0] !== "'self'") out.push(`script-src must be exactly 'self' (is ${script.join(' ')})`);
  if (policy.includes("'unsafe-eval'") || policy.includes("'wasm-unsafe-eval'")) out.push('eval allowed');
  for (const [name, values] of directives) {
    for (const v of values) {
      // only 'self', 'none', 'unsafe-inline' for styles, and data:/blob: for images stay on the machine
      const local = v === "'self'" || v === "'none'" || (name === 'style-src' && v === "'unsafe-inline'") || (name === 'img-src' && (v === 'data:' || v === 'blob:'));
      if (!local) out.push(`${name} allows ${v}`);
    }
  }
  if (directives.get('object-src')?.join(' ') !== "'none'") out.push("object-src must be 'none'");
  if (directives.get('base-uri')?.join(' ') !== "'none'") out.push("base-uri must be 'none'");
  return out;
}

function metaCsp(html: string): string {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  if (!m) throw new Error('no CSP meta tag');
  return m[1]!;
}

describe('BrowserWindow options', () => {
  it('the renderer window is isolated, sandboxed, without Node and with web security', () => {
    expect(preferenceWeaknesses(WEB_PREFERENCES)).toEqual([]);
    expect(Object.isFrozen(WEB_PREFERENCES)).toBe(true);
  });

  it('the checker catches each weakening (so the test above can fail)', () => {
    for (const [k, v] of Object.entries({
      contextIsolation: false,
      sandbox: false,
      nodeIntegration: true,
      webSecurity: false,
      allowRunningInsecureContent: true,
      webviewTag: true,
    })) {
      expect(preferenceWeaknesses({ ...WEB_PREFERENCES, [k]: v }), k).toHaveLength(1);
    }
  });

  it('main.ts builds every window from those options, adding only the preload, and overrides none', () => {
    const src = parse('electron/main.ts');
    const windows: ts.NewExpression[] = [];
    walk(src, (n) => {
      if (ts.isNewExpression(n) && n.expression.getText() === 'BrowserWindow') windows.push(n);
    });
    expect(windows.length).toBeGreaterThanOrEqual(1);
    for (const w of windows) {
      const options = w.arguments?.[0];
      expect(options && ts.isObjectLiteralExpression(options)).toBe(true);
      const prefs = (options as ts.ObjectLiteralExpression).properties.find((p) => p.name?.getText() === 'webPreferences');
      expect(prefs, w.getText()).toBeDefined();
      const literal = (prefs as ts.PropertyAssignment).initializer;
      expect(ts.isObjectLiteralExpression(literal)).toBe(true);
      const props = (literal as ts.ObjectLiteralExpression).properties;
      const spreads = props.filter(ts.isSpreadAssignment).map((p) => p.expression.getText());
      expect(spreads.length).toBe(1);
      expect(spreads[0]).toBe('mainWindowPreferences(app.isPackaged)');
      const own = props.filter((p) => !ts.isSpreadAssignment(p)).map((p) => p.name?.getText());
      expect(own.every((name) => name === 'preload'), `only preload may be added: ${own.join(', ')}`).toBe(true);
    }
  });

  it('main.ts sandboxes every renderer, blocks navigation, new windows, webviews, permissions and remote requests', () => {
    const main = read('electron/main.ts');
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    expect(main).toMatch(/on\('will-navigate', \(event\) => event\.preventDefault\(\)\)/);
    expect(main).toMatch(/on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    expect(main).toMatch(/setWindowOpenHandler\([\s\S]*?return \{ action: 'deny' \}/);
    expect(main).toMatch(/setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
    expect(main).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(main).toMatch(/onBeforeRequest\(\{ urls: \['http:\/\/\*\/\*', 'https:\/\/\*\/\*'[^\]]*\] \}, \(_details, callback\) =>\s*callback\(\{ cancel: true \}\)/);
    // openExternal only behind the trusted-URL check
    const calls = [...main.matchAll(/shell\.openExternal\(/g)].length;
    const guarded = [...main.matchAll(/isTrustedExternalUrl\((\w+)\)\)? (?:void |&& )shell\.openExternal\(\1\)/g)].length;
    expect(calls).toBeGreaterThan(0);
    expect(guarded).toBe(calls);
    // the page is the app's own scheme, not file:// or a remote URL
    expect(main).toMatch(/loadURL\(APP_URL\)/);
    expect(main).not.toMatch(/loadFile\(|loadURL\('http/);
  });
});

describe('IPC surface', () => {
  it("every ipcMain handler checks the sender frame before anything else", () => {
    const src = parse('electron/ipc.ts');
    const handlers: ts.CallExpression[] = [];
    walk(src, (n) => {
      if (ts.isCallExpression(n) && n.expression.getText() === 'ipcMain.handle') handlers.push(n);
    });
    expect(handlers.length).toBe(2);
    for (const h of handlers) {
      const fn = h.arguments[1]!;
      expect(ts.isArrowFunction(fn)).toBe(true);
      const body = (fn as ts.ArrowFunction).body;
      const first = ts.isBlock(body) ? body.statements[0]!.getText() : body.getText();
      expect(first.startsWith('if (!isTrustedSender(event)) return FORBIDDEN') || first.startsWith('(isTrustedSender(event) ?')).toBe(true);
    }
    expect(read('electron/ipc.ts')).toMatch(/return isTrustedFrame\(event\.senderFrame\)/);
  });

  it('the sender check accepts only the app page in its top frame', () => {
    expect(isTrustedFrame({ url: 'normscope://app/index.html', parent: null })).toBe(true);
    expect(isTrustedFrame({ url: 'normscope://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame({ url: 'normscope://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'file:///tmp/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame({ url: 'https://app/index.html', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('openExternal trusts https URLs on the listed hosts only', () => {
    expect(isTrustedExternalUrl('https://huggingface.co/openai-community/gpt2')).toBe(true);
    expect(isTrustedExternalUrl('http://huggingface.co/')).toBe(false);
    expect(isTrustedExternalUrl('https://huggingface.co.evil.com/')).toBe(false);
    expect(isTrustedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isTrustedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedExternalUrl('javascript:alert(1)')).toBe(false);
  });

  it('the preload exposes one object of per-channel functions, never ipcRenderer', () => {
    const src = parse('electron/preload.ts');
    const exposed: string[] = [];
    walk(src, (n) => {
      if (ts.isCallExpression(n) && n.expression.getText() === 'contextBridge.exposeInMainWorld') exposed.push(n.arguments.map((a) => a.getText()).join(', '));
    });
    expect(exposed).toEqual(["'normscope', bridge"]);
    let bridgeKeys: string[] = [];
    walk(src, (n) => {
      if (ts.isVariableDeclaration(n) && n.name.getText() === 'bridge' && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
        bridgeKeys = n.initializer.properties.map((p) => p.name!.getText());
      }
    });
    expect(bridgeKeys).toEqual(['host', 'invoke', 'on', 'dropFile']);
    // listeners get the payload only: the IPC event (which reaches ipcRenderer) stays in the preload
    expect(read('electron/preload.ts')).toMatch(/\(_event: Electron\.IpcRendererEvent, payload: EventMap\[E\]\) => listener\(payload\)/);
  });
});

describe('Content-Security-Policy', () => {
  it('the header and renderer/index.html hold the strict policy', () => {
    expect(cspWeaknesses(CSP)).toEqual([]);
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(metaCsp(read('renderer/index.html'))).toBe(CSP_META);
    expect(cspWeaknesses(CSP_META)).toEqual([]);
  });

  it('the checker catches each weakening', () => {
    const weakened = [
      CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'"),
      CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
      CSP.replace("script-src 'self'", "script-src 'self' https://cdn.example.com"),
      CSP.replace("connect-src 'self'", "connect-src 'self' https:"),
      CSP.replace("default-src 'self'", 'default-src *'),
      CSP.replace("object-src 'none'", "object-src 'self'"),
      CSP.replace("img-src 'self' data: blob:", "img-src 'self' https://example.com"),
    ];
    for (const p of weakened) expect(cspWeaknesses(p), p).not.toEqual([]);
  });

  it('the built renderer keeps the policy and has no inline script or handler', () => {
    const built = path.join(ROOT, 'renderer', 'dist', 'index.html');
    if (!fs.existsSync(built)) throw new Error('renderer/dist is missing: run `npm run build` first');
    const html = fs.readFileSync(built, 'utf8');
    expect(metaCsp(html)).toBe(CSP_META);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\.\/[^"]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });
});

describe('mainWindowPreferences(isPackaged) and rendererFile(url, dir, join, sep)', () => {
  it('gives DevTools only to an unpackaged build, and keeps every other option', () => {
    expect(mainWindowPreferences(true).devTools).toBe(false);
    expect(mainWindowPreferences(false).devTools).toBe(true);
    expect(preferenceWeaknesses(mainWindowPreferences(true))).toEqual([]);
    expect(WEB_PREFERENCES.devTools).toBe(false);
  });

  it('maps the app scheme into the renderer folder and refuses other hosts, climbing paths and broken percent-encoding', () => {
    const dir = path.resolve('/opt/normscope/renderer/dist');
    const map = (u: string) => rendererFile(u, dir, path.resolve, path.sep);
    expect(map('normscope://app/')).toBe(path.join(dir, 'index.html'));
    expect(map('normscope://app/assets/a%20b.js')).toBe(path.join(dir, 'assets', 'a b.js'));
    // the URL parser itself resolves an encoded dot segment, so it cannot climb above the root
    expect(map('normscope://app/%2e%2e/secret')).toBe(path.join(dir, 'secret'));
    for (const bad of ['normscope://app/%E0%A4%A', 'normscope://app/%', 'normscope://app/..%2f..%2fetc%2fpasswd',
      'normscope://other/index.html', 'https://app/index.html', 'normscope://app/a%00b', 'not a url']) {
      expect(map(bad), bad).toBeNull();
    }
  });
});
