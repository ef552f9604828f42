/**
 * @rnnlab/engine/gpujs: the gpu.js backends (Node). gpu.js is an optional peer dependency (install it to use this
 * entry), and so is webgpu (version 0.6.2, for mode 'webgpu' on Dawn). The backend checks that the mode it was asked
 * for is the one that runs, since gpu.js falls back between modes silently.
 */
export {
  createGpuJsBackend,
  gemmKernel,
  GPUJS_MODES,
  type GemmKernel,
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
