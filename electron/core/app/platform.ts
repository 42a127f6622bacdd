// What the app service needs from its host — native dialogs, the clipboard, events to
// the renderer — so the same service runs in Electron (electron/main.ts) and in the test harness.
import type { EventChannel, EventMap, ExportFormat } from '../../../shared/ipc.js';

export interface AppPlatform {
  readonly host: 'electron' | 'harness';
  /** The open dialog; resolves to the chosen path or null. */
  chooseOpenFile(): Promise<string | null>;
  /** model: a GPT-2 folder to import; hf-cache: another Hugging Face cache to search. */
  chooseFolder(purpose: 'corpus' | 'results' | 'figures' | 'model' | 'hf-cache'): Promise<string | null>;
  /** The save dialog, proposing `suggestedName`; resolves to the chosen path or null. */
  chooseSavePath(suggestedName: string, format: ExportFormat | 'json'): Promise<string | null>;
  writeClipboard(text: string): Promise<void>;
  emit<E extends EventChannel>(event: E, payload: EventMap[E]): void;
}
