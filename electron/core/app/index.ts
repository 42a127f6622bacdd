// The app's service layer: the IPC API of shared/ipc.ts over the core, for Electron and the test harness alike.
export { createAppService, SERVICE_CHANNELS, type AppService, type AppServiceOptions, type Handlers, type ServiceChannel } from './service.js';
export { dispatch, toIpcError } from './dispatch.js';
export { MODEL_CHANNELS, type ModelChannel } from './model-bindings.js';
export { CORPUS_CHANNELS, corpusFigureData, type CorpusChannel } from './corpus-bindings.js';
export { validateRequest, validateSettings, validateDropPath } from './validate.js';
export type { AppPlatform } from './platform.js';
export { figureFile, corpusFigureFile, figureFileName, exportSize } from './figure-file.js';
export { displayPath } from './handles.js';
