/** The backends every engine spec body runs on (tfjs' ALL_ENVS idea). gpu.js modes are covered in spec/engine/gpujs. */
import { createWasmBackend, jsBackend, referenceBackend, type Backend } from '@rnnlab/engine';

export const CPU_BACKENDS: Array<[string, Backend]> = [
  ['reference', referenceBackend],
  ['js', jsBackend],
  ['wasm-simd', createWasmBackend()],
];
