/**
 * @rnnlab/analysis/browser: the analyses and figures that run in a browser (no files, no renderer): the lab (web/)
 * draws with these the same Vega-Lite figures the report writes to files.
 */
export { type Complex, eigenvalues, type Pca, pca } from './linalg';
export { recurrentSpectrum, type SpectrumSummary } from './spectrum';
export { type FixedPoint, findFixedPoints, freeRun, type FreeRunResult, type LateBehaviour } from './dynamics';
export { DAMAGE_PROTOCOLS, DAMAGE_THRESHOLDS, damage, type DamageProtocol, removed } from './damage';
export { connectivitySpec, degradationSpec, lossCurveSpec, spectrumSpec } from './figures';
export { afterTrials, fixedPointSpectraFigure, pcaFigure, spectrumFigure, trialsFigure } from './views';
export type { VegaLiteSpec } from './plot';
