// Experiment worker (analysis/experiments/pool.ts): load the TypeScript sources through tsx, then run jobs.
require('tsx/cjs');
require('./worker-main.ts');
