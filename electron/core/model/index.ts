// The model engine: a GPT-2 folder in, per-token activations and their norms out.
export * from './types.js';
export { checkModelFolder, loadModel, surveyModelProviders } from './load.js';
export type { ProviderRow } from './choose.js';
export { PROVIDER_CHOICES, PROVIDERS, isProviderChoice, preferredProviders, providerChoice } from './providers.js';
export { readConfig } from './config.js';
