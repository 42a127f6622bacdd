// The app's IPC contract, in one place: every channel the renderer may invoke with its request and
// response types, and every event main may send. main (electron/ipc.ts), the preload, the browser
// harness (test/harness) and the renderer all import it from here; nothing else crosses the process boundary.
// The shapes live by concern under shared/ipc/ (common, documents, models, corpus, compare) and the table of
// channels in shared/ipc/channels.ts; this file is the one entry every importer uses.
export * from './ipc/common.js';
export * from './ipc/documents.js';
export * from './ipc/models.js';
export * from './ipc/corpus.js';
export * from './ipc/compare.js';
export * from './ipc/channels.js';
