// The model engine: a GPT-2 folder in, per-token activations and their norms out.
export * from './types.js';
export { checkModelFolder, loadModel } from './load.js';
export { readConfig } from './config.js';
