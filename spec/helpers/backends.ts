/** The backends every engine spec body runs on (tfjs' ALL_ENVS idea). gpu.js modes are added in spec/gpujs. */
import { jsBackend, referenceBackend, type Backend } from '@rnnlab/engine';

export const CPU_BACKENDS: Array<[string, Backend]> = [
  ['reference', referenceBackend],
  ['js', jsBackend],
];
