// The OLS engine's public names: statsmodels' OLS with robust covariances, diagnostics and tails.
export { fitOls, checkOlsOptions, OlsModel, OlsResults, type OlsOptions } from './ols.js';
export { packDesign, type Design } from './design.js';
export { detectConstant, type ConstantInfo } from './constant.js';
export { durbinWatson } from './durbinWatson.js';
export { jarqueBera, omnibus, moments, skewTest, kurtosisTest, type Moments, type TestResult } from './normality.js';
export { tSf, fSf, chi2Sf, normSf, tIsf, normIsf, tPdf, normPdf } from './distributions.js';
export { tPpfScipy } from './scipyTQuantile.js';
export { betaRegularized, gammaRegularizedUpper, logGamma, logBeta } from './special.js';
export type { CovType, FitJSON } from '../../../shared/result.js';
