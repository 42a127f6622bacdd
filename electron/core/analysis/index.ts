// The analysis pipeline's public face (text → tokens → taps → series → design → fit), one module per arrow.
export type { LoadedText } from './text.js';
export type { DocumentTaps, RunOptions } from './types.js';
export { readText, decodeText } from './text.js';
export { tokenizeText, type Tokens } from './tokens.js';
export { planWindows, stitchWindow, type Window } from './windows.js';
export { tapNorms, tapNormsMany, allTaps } from './taps.js';
export { logNorms, logNormsBySite, checkFinite } from './series.js';
export { lagDesign, checkLagSettings, type LagDesign } from './design.js';
export { fitLayers } from './fit.js';
export { computeTaps, analyzeFile, analyzeFiles } from './pipeline.js';
export { planBatches, DEFAULT_BATCH_LIMITS, type BatchLimits } from './batches.js';
export { modelInfo, provenance, analysisDocument, type ModelFacts } from './document.js';
export { collectInputs, isTextFileName, TEXT_EXTENSIONS } from './inputs.js';
export { checkDocumentFile, readDocumentBytes, DEFAULT_MAX_BYTES } from './document-file.js';
