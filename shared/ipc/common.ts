// The contract's common shapes: the reply envelope, file handles, preferences, figure export options and the
// app-wide limits every group of channels uses (shared/ipc.ts re-exports them).
import type { ThemeName } from '../figures/types.js';
import type { ProviderChoice } from '../providers.js';

/** An error as it crosses the boundary: a stable code (electron/core/errors.ts ErrorCode or an IPC code) and a sentence. */
export interface IpcError {
  code: string;
  message: string;
}

/** Every invoke answers with this envelope, so typed error codes survive the trip (thrown errors lose them). */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** A file or folder the user chose (dialog, drop, recent list). Main keeps the path; the renderer holds only the id. */
export interface FileHandle {
  /** Opaque, random, valid for this session only. */
  id: string;
  kind: 'file' | 'folder';
  /** Base name, for display. */
  name: string;
  /** The location with the home folder shortened to ~, for display only: the renderer cannot open anything with it. */
  displayPath: string;
}

/** The app's own theme: the OS's, light, or dark (the notebook's palette). */
export type ThemePreference = 'system' | 'light' | 'dark';
/** Which look exported figures get: clean light (the default), the dark palette, or the notebook's own look. */
export type ExportTheme = ThemeName;

export interface Prefs {
  theme: ThemePreference;
  exportTheme: ExportTheme;
  pngResolution: PngResolution;
  /** Where the model runs: auto, or one provider (which must still pass the parity probe). */
  provider: ProviderChoice;
  /** Largest document read, in MiB (1–4096, default 64): a larger one is TOO_LARGE and never read. */
  maxDocumentMiB: number;
}

/** The app's limits on maxDocumentMiB. */
export const MAX_DOCUMENT_MIB = { min: 1, max: 4096, default: 64 } as const;

export const EXPORT_FORMATS = ['svg', 'png', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** PNG sizes: 1× and 2× the figure's CSS pixels, or 300 dots per inch at 96 CSS pixels per inch. */
export const PNG_RESOLUTIONS = ['1x', '2x', '300dpi'] as const;
export type PngResolution = (typeof PNG_RESOLUTIONS)[number];

export interface AppInfo {
  version: string;
  /** Where the renderer runs: the Electron app, or the test harness in a browser. */
  host: 'electron' | 'harness';
  os: string;
  /** Where finished results are kept (display form). */
  resultsFolder: string;
}

export interface RecentFile {
  file: FileHandle;
  /** ISO-8601. */
  openedAt: string;
}

export interface SavedFile {
  /** Display form of where it went. */
  displayPath: string;
  name: string;
  bytes: number;
}

/** How any figure (document or corpus) is exported. */
export interface FigureExportOptions {
  format: ExportFormat;
  /** PNG only (default 2x). */
  resolution?: PngResolution;
  theme: ThemeName;
  /** CSS pixels; default per figure. */
  width?: number;
  height?: number;
}

/** What a native menu item asks the renderer to do. */
export type MenuCommand =
  | { command: 'open' }
  | { command: 'open-file'; file: FileHandle }
  | { command: 'save-figure' }
  | { command: 'save-all-figures' }
  | { command: 'close' }
  | { command: 'toggle-theme' }
  | { command: 'copy-summary'; as: 'text' | 'tsv' };

/** The largest text `clipboard:write` accepts (a summary of every layer of a 48-layer model fits easily). */
export const CLIPBOARD_MAX_CHARS = 4_000_000;

/** Bounds the IPC layer enforces on settings before the core sees them. */
export const SETTINGS_LIMITS = { lagsMax: 16, startMax: 100_000, maxlagsMax: 256 } as const;
