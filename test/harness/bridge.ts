// window.normscope over HTTP, for the renderer in a plain browser: the same NormscopeBridge the
// Electron preload exposes, one function per channel, against the harness server (same origin, so
// the page's CSP `script-src 'self'; connect-src 'self'` holds). The harness serves this file
// transpiled and adds a <script src> for it to index.html; Electron never loads it.
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type DroppedFile,
  type EventChannel,
  type FileHandle,
  type NormscopeBridge,
  type Reply,
} from '../../shared/ipc.js';

async function post<T>(url: string, init: RequestInit): Promise<Reply<T>> {
  try {
    const r = await fetch(url, { method: 'POST', ...init });
    return (await r.json()) as Reply<T>;
  } catch (e) {
    return { ok: false, error: { code: 'HARNESS_UNREACHABLE', message: String((e as Error)?.message ?? e) } };
  }
}

const invoke = Object.fromEntries(
  INVOKE_CHANNELS.map((channel) => [
    channel,
    (req: unknown) => post(`/ipc/${channel}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(req ?? null) }),
  ]),
) as unknown as NormscopeBridge['invoke'];

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>(EVENT_CHANNELS.map((e) => [e, new Set()]));
const source = new EventSource('/events');
for (const channel of EVENT_CHANNELS) {
  source.addEventListener(channel, (m) => {
    const payload: unknown = JSON.parse((m as MessageEvent<string>).data);
    for (const listener of listeners.get(channel)!) listener(payload);
  });
}

const on = Object.fromEntries(
  EVENT_CHANNELS.map((channel) => [
    channel,
    (listener: (payload: unknown) => void) => {
      listeners.get(channel)!.add(listener);
      return () => void listeners.get(channel)!.delete(listener);
    },
  ]),
) as unknown as NormscopeBridge['on'];

/** A browser cannot name a dropped file's path: the bytes go to the harness, which keeps them in a temporary file. */
async function dropFile(file: DroppedFile): Promise<Reply<FileHandle>> {
  return post<FileHandle>('/ipc/file:drop', {
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) },
    body: await file.arrayBuffer(),
  });
}

const bridge: NormscopeBridge = Object.freeze({ host: 'harness', invoke, on, dropFile });
(window as unknown as { normscope: NormscopeBridge }).normscope = bridge;
