// Worker thread of the gpu.js bridge (engine/kernels/gpujs-bridge.ts). In a package this file sits beside the
// compiled gpujs-thread-main.js; in a source checkout beside the .ts, which tsx (a development dependency) compiles.
if (require('fs').existsSync(require('path').join(__dirname, 'gpujs-thread-main.ts'))) require('tsx/cjs');
require('./gpujs-thread-main');
