// The model manager's shapes: the listing, downloads and their progress, removal, the first-run screen and the
// cache scan (shared/ipc.ts re-exports them).
import type { IpcError } from './common.js';

/** What is known of one model whoever lists it: electron/core/models' ModelListing (the CLI's `models list`) and the
 * model manager's ModelEntry both extend it, each with its own names and its own form of the paths. */
export interface ModelFacts {
  /** What models:pull|remove|setDefault take: `gpt2`, `openai-community/gpt2`, an import name, `demo`. */
  name: string;
  /** One line: what it is and where it comes from. */
  label: string;
  /** registry: the GPT-2 family and the suggested models; cached: another supported model in the Hugging Face cache;
   * imported: a registered folder. */
  kind: 'registry' | 'cached' | 'imported' | 'demo';
  /** installed: loadable; available: can be downloaded; incomplete: files are missing; missing: the folder is gone. */
  status: 'installed' | 'available' | 'incomplete' | 'missing';
  /** Hub commit of the files, when from the cache. */
  revision: string | null;
  /** The engine's family (config.json's model_type as the engine reads it): gpt2, llama, mistral, qwen2, qwen3, gpt_neox, gemma2, gemma3_text. */
  family: string | null;
  shape: { n_layer: number; n_head: number; n_embd: number; n_positions: number } | null;
  /** Parameters of the base model (no separate LM head), as the engine counts them from config.json. */
  params: number | null;
  /** Memory a session needs in float32 at the default context (the engine's estimate; past this machine's: MODEL_TOO_LARGE). */
  memoryBytes: number | null;
  /** The hub asks for its licence to be accepted first; a download needs HF_TOKEN. */
  gated: boolean;
  /** Approximate download size (registry models). */
  downloadBytes: number | null;
  /** What its files take on disk, when present. */
  diskBytes: number | null;
  /** Bytes of an interrupted download that the next download resumes from. */
  partialBytes: number;
  /** The model used when none is named. */
  isDefault: boolean;
  demo: boolean;
  /** Why it is not usable, or what to do about it. */
  note: string | null;
}

/** One model as the model manager shows it: ModelFacts with the folder in display form; not the results store's
 * StoreModelEntry. */
export interface ModelEntry extends ModelFacts {
  /** How every view names it: the demo model is "demo (random weights)". */
  displayName: string;
  hubId: string | null;
  /** The model's folder (display form). */
  location: string | null;
  /** The dtype the weights are stored in (installed models); they are computed in float32. */
  dtype: string | null;
  /** A download of it is running now; its progress arrives as models:progress. */
  pulling: boolean;
}

export type ModelPullPhase = 'resolving' | 'waiting' | 'downloading' | 'linking' | 'done' | 'cancelled' | 'error';

export interface ModelPullProgress {
  name: string;
  phase: ModelPullPhase;
  /** The file being fetched (null outside 'downloading'). */
  file: string | null;
  /** All files together, the ones already present included. */
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error?: IpcError;
}

export interface ModelRemoved {
  name: string;
  /** import: only the registration went (the folder stays); cache: the files left the Hugging Face cache. */
  removed: 'import' | 'cache';
  freedBytes: number;
}

/** What the first-run screen needs: whether a real GPT-2 is anywhere, and where normscope looks for one. */
export interface FirstRunState {
  /** The default is the demo, no GPT-2 is in the Hugging Face cache and nothing is imported. */
  needed: boolean;
  /** The user went on without one ("try the demo"); remembered in the data folder. */
  dismissed: boolean;
  /** The Hugging Face cache normscope reads (display form). */
  cachePath: string;
  /** The download the screen offers (GPT-2 small). */
  suggested: ModelEntry;
  /** The suggested models of the other families that run on a laptop (Pythia, SmolLM2, Qwen, Llama, Gemma). */
  laptop: ModelEntry[];
}

export interface CacheScan {
  /** The folder searched (display form). */
  cachePath: string;
  /** The supported models found there. */
  found: ModelEntry[];
  /** Names under which models of another cache folder were imported (none for the cache in use: it is read in place). */
  imported: string[];
}
