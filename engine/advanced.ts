/**
 * @rnnlab/engine/advanced: the step-level building blocks behind Trainer and lossAndGradient, for a custom training
 * loop or an audit of one step. A step is: loadTrials → rnnForward → maskedMseForward → maskedMseBackward →
 * rnnBackward (into zeroed gradients) → adamStep. Browser-safe, like the core entry.
 */
export { drawRecurrentNoise, prepareForward, rnnBackward, rnnForward } from './rnn';
export { createWorkspace, loadTrials, rOffset, readHidden, readOutputs, type RnnWorkspace } from './workspace';
export { checkedDenominator, lossDenominator, maskCount, maskedMseBackward, maskedMseForward } from './loss';
export { adamStep, clipGradNorm, createAdamState, gradNorm, type AdamState } from './optim';
export {
  allocParamSet,
  applyRecMask,
  isTrainable,
  maskRecGradient,
  paramOffsets,
  trainableRanges,
  viewParamSet,
} from './model';
export { glorotUniform, orthogonalMatrix } from './init';
export { arc4Key } from './random';
export { ACTIVATION_TABLE, activate, activationSlope } from './activation';
export {
  allocate,
  assertFinite,
  assertLength,
  assertPositiveInteger,
  dtypeOf,
  fromNested,
  product,
  tensor,
  toNested,
  view,
} from './tensor';
export { gemmBlocked, gemmNaive, type Gemm } from './kernels/gemm';
export type { FusedKernels, MinibatchGradient } from './backend';
export type { DataParallelFactory } from './kernels/wasm';
export { sealCheckpoint, sealedCheckpointText, stepsPerEpochOf } from './checkpoint';
export { sha256Hex } from './sha256';
export { WASM_MEMORY_LIMIT, assertModelFits } from './memory';
