// Experiment worker (analysis/experiments/pool.ts). In a package this file sits beside the compiled worker-main.js;
// in a source checkout beside worker-main.ts, which tsx (a development dependency) compiles on the fly.
if (require('fs').existsSync(require('path').join(__dirname, 'worker-main.ts'))) require('tsx/cjs');
require('./worker-main');
