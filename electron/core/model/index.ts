// The model engine: a model folder of any supported family in, per-token activations and their norms out.
export * from './types.js';
export { checkModelFolder, loadModel, surveyModelProviders } from './load.js';
export type { ProviderRow } from './choose.js';
export { PROVIDER_CHOICES, PROVIDERS, isProviderChoice, preferredProviders, providerChoice } from './providers.js';
export { readConfig } from './config.js';
export { describeConfig, SUPPORTED_MODEL_TYPES } from './families/index.js';
export { paramCount, float32Bytes, lmHeadParams } from './arch.js';
export { INDEX_FILE, readIndex, WEIGHTS_FILE } from './checkpoint.js';
export { SHAPES, type Shape } from './families/shapes.js';
export { checkMemory, modelSummary, resolveContext, CONTEXT_CAP } from './budget.js';
