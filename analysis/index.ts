/** @rnnlab/analysis: linear algebra, dynamics, weight statistics, degradation experiments, figures and reports. */
export * from './linalg';
