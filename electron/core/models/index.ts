// The models' public face: which folder a name means, the GPT-2 family, the shared Hugging Face cache, downloads,
// imports and the default model. Used by `normscope analyze|models`, the app and the corpus manager.
export { resolveModel, resolveSpec, isDemoName, DEMO_NAME, DEMO_LABEL, type ResolvedModel, type ModelSource } from './resolve.js';
export { GPT2_FAMILY, MODEL_FILES, findRegistryEntry, gpt2ParamCount, type RegistryEntry, type ModelFile } from './registry.js';
export { pull, pullTarget, type PullOptions, type PullProgress, type PullResult, type PulledFile } from './pull.js';
export { listModels, scanHubCache, type ModelListing } from './list.js';
export { importModel, removeModel, setDefaultModel, setDefaultInstalledModel, getDefaultModel, type ImportResult, type RemoveResult } from './library.js';
export { findCachedSnapshot, repoFolderName, type CachedSnapshot } from './hf-cache.js';
export { hfHubCache, hfEndpoint, hfOffline, normscopeHome, resourcesDir, demoModelDir } from './locations.js';
export { modelSettingsPath } from './settings.js';
