/**
 * @rnnlab/engine: a leaky tanh RNN with hand-written BPTT and Adam on flat typed arrays.
 *
 * Data flow: Trials (tasks/) → loadTrials → rnnForward → maskedMseForward/Backward → rnnBackward → adamStep,
 * wrapped by Trainer; models are saved as versioned JSON (serialize.ts) and checked by gradientAudit.
 */
export * from './tensor';
export * from './random';
export * from './model';
export * from './init';
export * from './trials';
export * from './workspace';
export * from './rnn';
export * from './simulate';
export * from './api';
export * from './activation';
export * from './loss';
export * from './optim';
export * from './backend';
export * from './serialize';
export * from './keras-import';
export * from './audit';
export * from './train';
export * from './checkpoint';
export { sha256Hex } from './sha256';
export * from './io';
export * from './memory';
export { gemmNaive, gemmBlocked, type Gemm } from './kernels/gemm';
export {
  createWasmBackend,
  enableRelaxedSimd,
  relaxedSimdSupported,
  type WasmBackend,
  type WasmBackendOptions,
} from './kernels/wasm';
export {
  createGpuJsBackend,
  gemmKernel,
  GPUJS_MODES,
  type GpuJsBackend,
  type GpuJsMode,
  type GpuJsOptions,
} from './kernels/gpujs';
export {
  ACTIVATION_CODES,
  createForwardPlan,
  createGradientPlan,
  type ForwardInputs,
  type ForwardOutputs,
  type ForwardPlan,
  type FusedInputs,
  type FusedOutputs,
  type FusedPlan,
  type FusedShape,
  type GradientPlan,
} from './kernels/gpujs-fused';
