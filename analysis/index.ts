/**
 * @rnnlab/analysis: functions of a trained model. Linear algebra, spectra, dynamics (fixed points, free runs),
 * weight statistics, solution degeneracy, damage, figures and the run report. The experiment pipeline that trains
 * and merges many networks is @rnnlab/experiments.
 */
export * from './linalg';
export * from './spectrum';
export * from './weights';
export * from './plot';
export * from './figures';
export * from './report';
export * from './dynamics';
export * from './degeneracy';
export * from './damage';
export * from './html';
