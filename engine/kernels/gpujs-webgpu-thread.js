// Worker thread of the gpu.js WebGPU bridge (engine/kernels/gpujs-webgpu.ts): load the TypeScript through tsx.
require('tsx/cjs');
require('./gpujs-webgpu-thread-main.ts');
