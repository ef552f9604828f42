// The /gpujs entry from a package, with its optional peers installed beside it (gpu.js, and webgpu@0.6.2 for WebGPU
// on Dawn): five training steps per gpu.js mode named on the command line; one JSON line per mode.
const engine = require('@rnnlab/engine');
const { createGpuJsBackend } = require('@rnnlab/engine/gpujs');
const { logicTrials, fiveSteps } = require('./steps.cjs');

const trials = logicTrials(4, 10, (x, y) => x & y);
for (const mode of process.argv.slice(2)) {
  try {
    const backend = createGpuJsBackend(mode);
    console.log(
      JSON.stringify({ mode, device: backend.device ?? null, ...fiveSteps(engine, backend, 'float32', trials, 8) }),
    );
  } catch (e) {
    console.log(JSON.stringify({ mode, error: String(e.message) }));
  }
}
process.exit(0); // gpu.js' WebGPU thread is not ours to wait for
