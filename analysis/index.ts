/** @rnnlab/analysis: linear algebra, dynamics, weight statistics, degradation experiments, figures and reports. */
export * from './linalg';
export * from './spectrum';
export * from './weights';
export * from './plot';
export * from './figures';
export * from './report';
export * from './dynamics';
export * from './degeneracy';
export * from './damage';
export * from './paperdata';
export * from './experiments';
export * from './html';
