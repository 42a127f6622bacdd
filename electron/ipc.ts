// Binds every channel of shared/ipc.ts to the app service. Each handler first checks that the sender
// is the app's own top-level page, then the service's dispatcher validates the request.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { DROP_CHANNEL, INVOKE_CHANNELS, type Reply } from '../shared/ipc.js';
import { dispatch, toIpcError, validateDropPath, type AppService } from './core/app/index.js';
import { isTrustedFrame } from './security.js';

const FORBIDDEN: Reply<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'IPC is only answered for the normscope window' } };

/** Only the app's page in its top frame may call: not a subframe, not a page it navigated to (navigation is blocked anyway). */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return isTrustedFrame(event.senderFrame);
}

export function bindIpc(service: AppService): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) => (isTrustedSender(event) ? dispatch(service, channel, raw) : FORBIDDEN));
  }
  ipcMain.handle(DROP_CHANNEL, async (event, raw: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSender(event)) return FORBIDDEN;
    try {
      return { ok: true, value: await service.registerDroppedFile(validateDropPath(raw)) };
    } catch (e) {
      return { ok: false, error: toIpcError(e) };
    }
  });
  return () => {
    for (const channel of [...INVOKE_CHANNELS, DROP_CHANNEL]) ipcMain.removeHandler(channel);
  };
}
