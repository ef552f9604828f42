/** The backends every engine spec body runs on (tfjs' ALL_ENVS idea). gpu.js modes are covered in spec/engine/gpujs. */
import { type Backend, createWasmBackend, jsBackend, referenceBackend } from '@rnnlab/engine';
import { enableRelaxedSimd } from '@rnnlab/engine/node';

/** The WebAssembly builds this process can run: plain SIMD128 always, the fused multiply-add one where supported. */
// The specs test both WebAssembly builds where the FMA one can run: enabling it is an explicit, process-wide choice.
export const WASM_BUILDS: Array<[string, boolean]> = enableRelaxedSimd()
  ? [
      ['simd128', false],
      ['fma', true],
    ]
  : [['simd128', false]];

export const CPU_BACKENDS: Array<[string, Backend]> = [
  ['reference', referenceBackend],
  ['js', jsBackend],
  ...WASM_BUILDS.map(([, fma]): [string, Backend] => {
    const b = createWasmBackend({ fma });
    return [b.name, b];
  }),
];
