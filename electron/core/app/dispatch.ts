// One request in, one Reply out: validate, call the service, turn any failure into a typed IpcError.
// Shared by electron/ipc.ts (after its sender check) and the test harness.
import { isInvokeChannel, type IpcError, type Reply } from '../../../shared/ipc.js';
import { FigureInputError } from '../../../shared/figures/figureInputError.js';
import { isNormscopeError } from '../errors.js';
import type { AppService } from './service.js';
import { validateRequest } from './validate.js';

export async function dispatch(service: AppService, channel: string, raw: unknown): Promise<Reply<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'BAD_CHANNEL', message: `no IPC channel '${channel}'` } };
  const handler = service.handlers[channel] as ((req: unknown) => Promise<unknown>) | undefined;
  try {
    const req = validateRequest(channel, raw);
    if (!handler) return { ok: false, error: { code: 'NOT_AVAILABLE', message: `${channel} is not available in this version` } };
    const value = await handler(req);
    return { ok: true, value: value ?? null };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}

/** Typed errors keep their code; anything else is a bug, logged here and reported without its stack. */
export function toIpcError(e: unknown): IpcError {
  if (isNormscopeError(e)) return { code: e.code, message: e.message };
  if (e instanceof FigureInputError) return { code: 'BAD_INPUT', message: e.message };
  console.error('normscope: unexpected error in an IPC handler:', e);
  return { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
}
