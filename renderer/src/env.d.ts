/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { NormscopeBridge } from '../../shared/ipc';

declare global {
  interface Window {
    /** Set by the Electron preload, or by the harness bridge in a plain browser. */
    readonly normscope?: NormscopeBridge;
  }
}
