/**
 * @rnnlab/analysis: functions of a trained model. Linear algebra, spectra, dynamics (fixed points, free runs),
 * weight statistics, solution degeneracy, damage, figures and the run report. The experiment pipeline that trains
 * and merges many networks is @rnnlab/experiments.
 */
export { type Complex, eigenvalues, type Pca, pca, solve, symmetricEigen } from './linalg';
export { recurrentSpectrum, type SpectrumSummary, summarizeSpectrum } from './spectrum';
export { constraintRows } from './constraints';
export { gaussianPdf, histogram, type WeightStats, weightStats } from './weights';
export { renderSvg, svgToPng, type VegaLiteSpec } from './plot';
export {
  connectivitySpec,
  hiddenTracesSpec,
  lossCurveSpec,
  pcaTrajectorySpec,
  binned as pooledLevels,
  chronometricSpec,
  psychometricSpec,
  spectrumSpec,
  trialsSpec,
  weightHistogramSpec,
} from './figures';
export { type ReportInput, type ReportSummary, writeReport } from './report';
export { afterTrials, fixedPointSpectraFigure, pcaFigure, spectrumFigure, trialsFigure } from './views';
export {
  findFixedPoints,
  FIXED_POINT_DEFAULTS,
  type FixedPoint,
  type FixedPointOptions,
  FREE_RUN_DEFAULTS,
  freeRun,
  type FreeRunOptions,
  type FreeRunResult,
  jacobian,
  type LateBehaviour,
  speed,
} from './dynamics';
export {
  type Degeneracy,
  degeneracy,
  type DegeneracyOptions,
  type DegeneracyPair,
  hungarian,
  linearCka,
  matchUnits,
  type UnitMatch,
} from './degeneracy';
export {
  damage,
  DAMAGE_PROTOCOLS,
  DAMAGE_THRESHOLDS,
  type DamageProtocol,
  type DamageRow,
  damageSweep,
  removed,
} from './damage';
export {
  chronometric,
  type ChronometricLevel,
  type Link,
  nelderMead,
  psychometric,
  type Psychometric,
  psychometricCurve,
  type PsychometricFit,
  type PsychometricLevel,
  psychometricLevels,
  psychometricNll,
  type TimeStat,
} from './psychometric';
export { normalCdf } from '@rnnlab/tasks';
export { escapeHtml, fillTemplate, HtmlCell, htmlRow, joinHtml, SafeHtml } from './html';
export {
  delayEmbed,
  DSA_DEFAULTS,
  dsaDistance,
  dsaOperator,
  type DsaOptions,
  havokOperator,
  procrustesVectorFields,
} from './dsa';
