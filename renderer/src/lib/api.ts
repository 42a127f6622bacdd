// The renderer's typed client of window.normscope: unwraps each Reply, throwing AppError with its code.
import type { EventChannel, EventMap, FileHandle, InvokeChannel, InvokeRequest, InvokeResponse, NormscopeBridge } from '../../../shared/ipc.js';

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function bridge(): NormscopeBridge {
  const b = window.normscope;
  if (!b) throw new AppError('NO_BRIDGE', 'normscope runs inside its desktop app (or the test harness); this page has no connection to it');
  return b;
}

export function host(): NormscopeBridge['host'] | null {
  return window.normscope?.host ?? null;
}

type Args<C extends InvokeChannel> = InvokeRequest<C> extends void ? [] : [InvokeRequest<C>];

export async function call<C extends InvokeChannel>(channel: C, ...args: Args<C>): Promise<InvokeResponse<C>> {
  const invoke = bridge().invoke[channel] as (req: unknown) => ReturnType<NormscopeBridge['invoke'][C]>;
  const reply = await invoke(args[0] ?? null);
  if (!reply.ok) throw new AppError(reply.error.code, reply.error.message);
  return reply.value as InvokeResponse<C>;
}

export function on<E extends EventChannel>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return bridge().on[event](listener);
}

export async function dropFile(file: File): Promise<FileHandle> {
  const reply = await bridge().dropFile(file);
  if (!reply.ok) throw new AppError(reply.error.code, reply.error.message);
  return reply.value;
}
