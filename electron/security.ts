// The app window's security settings as data, in one module without `electron`, so main.ts applies
// them and test/app/security.test.ts reads the very same objects (Electron's security checklist).

/** The renderer's origin: a privileged custom scheme (not file://), so 'self' means the app's own files only. */
export const APP_SCHEME = 'normscope';
export const APP_HOST = 'app';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** webPreferences of every window that shows the renderer (the preload path is added by main.ts). */
export const WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools: false,
});

/** The main window's webPreferences: DevTools only in an unpackaged build (a packaged app gives no console to a page). */
export function mainWindowPreferences(isPackaged: boolean): Readonly<Omit<typeof WEB_PREFERENCES, 'devTools'> & { devTools: boolean }> {
  return Object.freeze({ ...WEB_PREFERENCES, devTools: !isPackaged });
}

/** The Content-Security-Policy, sent as a header by main (and the harness). Inline styles are allowed because
 * Svelte and D3 set style attributes; no inline or remote script, no eval, nothing from another origin. */
export const CSP_DIRECTIVES: readonly string[] = Object.freeze([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]);
export const CSP = CSP_DIRECTIVES.join('; ');

/** renderer/index.html's meta tag: the same policy less frame-ancestors, which browsers ignore (and warn about) in a meta tag. */
export const CSP_META = CSP_DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors')).join('; ');

/** The file `normscope://app/<path>` serves: inside `rendererDir` (index.html for the root), or null for another host,
 * a path that climbs out, or one that is not valid percent-encoding (decodeURIComponent throws on `%E0%A4%A`). */
export function rendererFile(requestUrl: string, rendererDir: string, join: (dir: string, rel: string) => string, sep: string): string | null {
  try {
    const url = new URL(requestUrl);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    if (rel.includes('\0')) return null;
    const file = join(rendererDir, rel);
    return file.startsWith(rendererDir + sep) ? file : null;
  } catch {
    return null;
  }
}

/** Is this the app's own page (the only sender IPC handlers answer)? */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The IPC sender check: the app's own page in a top-level frame (not a subframe, not a destroyed frame). */
export function isTrustedFrame(frame: { readonly url: string; readonly parent: unknown } | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

/** Hosts `shell.openExternal` may open (Help menu links); anything else is refused. */
export const TRUSTED_EXTERNAL_HOSTS: readonly string[] = Object.freeze(['github.com', 'huggingface.co']);

/** https only, a trusted host, no credentials in the URL. */
export function isTrustedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && TRUSTED_EXTERNAL_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}
