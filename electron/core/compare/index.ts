// Compare models: the same texts through several models (or finished corpus runs, one model each), by relative depth.
export { runModels, type CompareModelsOptions, type CompareProgress, type ComparePhase, type ModelRun } from './runModels.js';
export { comparisonDocument, DEFAULT_ALPHA } from './comparisonDocument.js';
export { compareRuns, openFinishedRun, RUN_SETTINGS_FIELDS, type OpenRun } from './compareRuns.js';
export { relativeDepth, modelDepth } from './depth.js';
export { summarizeModel } from './summary.js';
export { comparisonFigureData, type ComparisonFigureData } from './figureData.js';
export { writeComparisonFigures } from './figureFiles.js';
