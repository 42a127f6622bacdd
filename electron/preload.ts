// The page's only door to main: one function per channel of shared/ipc.ts, never ipcRenderer itself.
// Sandboxed preloads cannot load modules, so renderer/vite.preload.config.ts bundles this file (with
// shared/ipc.ts) into dist/electron/preload.cjs.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  DROP_CHANNEL,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type DroppedFile,
  type EventChannel,
  type EventMap,
  type FileHandle,
  type NormscopeBridge,
  type Reply,
} from '../shared/ipc.js';

const invoke = Object.fromEntries(
  INVOKE_CHANNELS.map((channel) => [channel, (req: unknown) => ipcRenderer.invoke(channel, req ?? null)]),
) as unknown as NormscopeBridge['invoke'];

function subscribe<E extends EventChannel>(channel: E) {
  return (listener: (payload: EventMap[E]) => void): (() => void) => {
    // the IPC event object (it reaches ipcRenderer) never goes to the page: only the payload
    const forward = (_event: Electron.IpcRendererEvent, payload: EventMap[E]) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

const on = Object.fromEntries(EVENT_CHANNELS.map((channel) => [channel, subscribe(channel)])) as unknown as NormscopeBridge['on'];

/** A dropped File's path is read here (webUtils), never taken from the page; main then checks it is a file. */
function dropFile(file: DroppedFile): Promise<Reply<FileHandle>> {
  const filePath = webUtils.getPathForFile(file as File);
  if (!filePath) return Promise.resolve({ ok: false, error: { code: 'BAD_INPUT', message: 'only files from disk can be dropped here' } });
  return ipcRenderer.invoke(DROP_CHANNEL, { path: filePath }) as Promise<Reply<FileHandle>>;
}

const bridge: NormscopeBridge = { host: 'electron', invoke, on, dropFile };
contextBridge.exposeInMainWorld('normscope', bridge);
