// The Electron main process, kept thin: the window with the settings of ./security.ts, the app's own
// protocol, menus and dialogs, and the IPC binding. All work happens in electron/core/app; the model
// runs on onnxruntime's own threads (its session.run is async), so neither this process's UI nor
// the renderer waits on inference.
import { app, BrowserWindow, clipboard, dialog, Menu, nativeTheme, protocol, session, shell, type MenuItemConstructorOptions } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventChannel, EventMap, ExportFormat, MenuCommand, RecentFile } from '../shared/ipc.js';
import { createAppService, type AppPlatform, type AppService } from './core/app/index.js';
import { setInferenceLauncher } from './core/corpus/run/process-host.js';
import { VERSION } from './core/version.js';
import { contentType } from './content-type.js';
import { bindIpc } from './ipc.js';
import { utilityLauncher } from './utility-launcher.js';
import { APP_SCHEME, APP_URL, CSP, isTrustedExternalUrl, mainWindowPreferences, rendererFile } from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'preload.cjs');
const RENDERER_DIR = path.join(app.getAppPath(), 'renderer', 'dist');
const HELP_URL = 'https://huggingface.co/openai-community/gpt2';

// the demo model ships as an extra resource next to app.asar (electron-builder.yml)
if (app.isPackaged) process.env.NORMSCOPE_RESOURCES ??= process.resourcesPath;

// the corpus's inference worker runs in a utility process of its own: a crash in onnxruntime leaves the app running
setInferenceLauncher(utilityLauncher);

// every renderer sandboxed, whatever its webPreferences say
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, corsEnabled: true } }]);

let mainWindow: BrowserWindow | null = null;
let service: AppService | null = null;

function send<E extends EventChannel>(event: E, payload: EventMap[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
}

/** normscope://app/<file> → renderer/dist/<file>, with the CSP header; nothing outside that folder. */
async function serveRenderer(request: Request): Promise<Response> {
  const file = rendererFile(request.url, RENDERER_DIR, path.resolve, path.sep);
  if (file === null) return new Response('not found', { status: 404 });
  try {
    const body = await fs.readFile(file);
    return new Response(body, {
      headers: {
        'content-type': contentType(file),
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('not found', { status: 404 });
  }
}

function lockDownSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // no remote content: the app's own scheme (and data: for the PDF printer) is all a page may load
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file:///*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isTrustedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

const FORMAT_FILTERS: Record<ExportFormat | 'json', Electron.FileFilter> = {
  svg: { name: 'SVG image', extensions: ['svg'] },
  png: { name: 'PNG image', extensions: ['png'] },
  pdf: { name: 'PDF document', extensions: ['pdf'] },
  json: { name: 'JSON', extensions: ['json'] },
};

const platform: AppPlatform = {
  host: 'electron',
  async chooseOpenFile() {
    const r = await dialog.showOpenDialog(mainWindow!, {
      title: 'Open a text',
      properties: ['openFile'],
      filters: [
        { name: 'Text', extensions: ['txt', 'md', 'text'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
  async chooseFolder(purpose) {
    const title = {
      corpus: 'Choose a folder of texts',
      results: 'Choose a folder for results',
      figures: 'Choose a folder for the figures',
      model: 'Choose a GPT-2 folder (config.json, model.safetensors, tokenizer)',
      'hf-cache': 'Choose a Hugging Face cache folder (…/huggingface/hub)',
    }[purpose];
    // a cache usually sits under ~/.cache, which file dialogs hide
    const extra = purpose === 'hf-cache' ? 'showHiddenFiles' : 'createDirectory';
    const r = await dialog.showOpenDialog(mainWindow!, { title, properties: ['openDirectory', extra] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
  async chooseSavePath(suggestedName, format) {
    const r = await dialog.showSaveDialog(mainWindow!, {
      title: 'Save figure',
      defaultPath: path.join(app.getPath('documents'), suggestedName),
      filters: [FORMAT_FILTERS[format]],
    });
    if (r.canceled || !r.filePath) return null;
    return path.extname(r.filePath).toLowerCase() === `.${format}` ? r.filePath : `${r.filePath}.${format}`;
  },
  async writeClipboard(text) {
    clipboard.writeText(text);
  },
  emit: send,
};

function buildMenu(recent: RecentFile[]): void {
  const isMac = process.platform === 'darwin';
  const command = (c: MenuCommand) => () => send('menu:command', c);
  const openRecent: MenuItemConstructorOptions[] = recent.length
    ? recent.map((r) => ({ label: r.file.displayPath, click: command({ command: 'open-file', file: r.file }) }))
    : [{ label: 'No recent files', enabled: false }];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: command({ command: 'open' }) },
        { label: 'Open Recent', submenu: openRecent },
        { type: 'separator' },
        { label: 'Save Figure…', accelerator: 'CmdOrCtrl+S', click: command({ command: 'save-figure' }) },
        { label: 'Save All Figures…', accelerator: 'CmdOrCtrl+Shift+S', click: command({ command: 'save-all-figures' }) },
        { type: 'separator' },
        { label: 'Close', accelerator: 'CmdOrCtrl+W', click: command({ command: 'close' }) },
        ...(isMac ? [] : [{ type: 'separator' } as const, { role: 'quit', accelerator: 'Ctrl+Q' } as const]),
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'copy' },
        { role: 'selectAll' },
        { type: 'separator' },
        { label: 'Copy Summary as Text', accelerator: 'CmdOrCtrl+Shift+C', click: command({ command: 'copy-summary', as: 'text' }) },
        { label: 'Copy Summary as TSV', accelerator: 'CmdOrCtrl+Alt+C', click: command({ command: 'copy-summary', as: 'tsv' }) },
      ],
    },
    {
      label: '&View',
      submenu: [
        { label: 'Toggle Dark Theme', accelerator: 'CmdOrCtrl+Shift+D', click: command({ command: 'toggle-theme' }) },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      ],
    },
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    {
      role: 'help',
      submenu: [
        { label: 'GPT-2 on Hugging Face', click: () => void (isTrustedExternalUrl(HELP_URL) && shell.openExternal(HELP_URL)) },
        { type: 'separator' },
        { label: 'About normscope', click: () => app.showAboutPanel() },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'normscope',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#2b2b2b' : '#f5f6f8',
    webPreferences: { ...mainWindowPreferences(app.isPackaged), preload: PRELOAD },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_URL);
  return win;
}

async function start(): Promise<void> {
  app.setAboutPanelOptions({ applicationName: 'normscope', applicationVersion: VERSION, copyright: 'MIT License' });
  protocol.handle(APP_SCHEME, serveRenderer);
  lockDownSessions();
  service = createAppService({
    dataDir: app.getPath('userData'),
    platform,
    onRecentChanged: buildMenu,
    onPrefsChanged: (prefs) => {
      nativeTheme.themeSource = prefs.theme;
    },
  });
  bindIpc(service);
  const prefs = await service.handlers['prefs:get']!(undefined);
  nativeTheme.themeSource = prefs.theme;
  buildMenu(await service.recentFiles());
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.whenReady().then(start, (e: unknown) => {
    console.error('normscope: could not start:', e);
    app.exit(1);
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void service?.dispose();
  });
}
