// Worker thread of the gpu.js bridge (engine/kernels/gpujs-bridge.ts): load the TypeScript through tsx.
require('tsx/cjs');
require('./gpujs-thread-main.ts');
