/**
 * @rnnlab/engine/advanced: the step-level building blocks behind Trainer and lossAndGradient, for a custom training
 * loop or an audit of one step. A step is: loadTrials → rnnForward → maskedMseForward → maskedMseBackward →
 * rnnBackward (into zeroed gradients) → adamStep. Browser-safe, like the core entry.
 */
export { drawRecurrentNoise, prepareForward, rnnBackward, rnnForward } from './step/rnn';
export { createWorkspace, loadTrials, rOffset, readHidden, readOutputs, type RnnWorkspace } from './step/workspace';
export {
  checkedDenominator,
  lossDenominator,
  maskCount,
  maskedMseBackward,
  maskedMseForward,
  taskDenominator,
  taskLossBackward,
  taskLossForward,
} from './step/loss';
export {
  addWeightRegularizerGradient,
  batchObjective,
  createStepModel,
  finishMinibatchObjective,
  rateRegularizer,
  stepModel,
  weightRegularizers,
} from './step/objective';
export { applyConnectivity, chainToRaw, effectiveParamsInto, needsEffectiveCopy } from './core/constraints';
export { applyReadout } from './step/workspace';
export { adamStep, clipGradNorm, createAdamState, gradNorm, type AdamState } from './step/optim';
export { allocParamSet, applyRecMask, isTrainable, maskRecGradient, trainableRanges, viewParamSet } from './core/model';
export { paramOffsets } from './core/config';
export { glorotUniform, orthogonalMatrix } from './core/init';
export { arc4Key } from './core/random';
export { ACTIVATION_TABLE, activate, activationSlope } from './core/activation';
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
} from './core/tensor';
export { gemmBlocked, gemmChecked, gemmNaive, type Gemm } from './kernels/gemm';
export type { FusedKernels, MinibatchGradient } from './step/backend';
export type { DataParallelFactory } from './kernels/wasm';
export { sealCheckpoint, sealedCheckpointText, stepsPerEpochOf } from './io/checkpoint';
export { sha256Hex } from './io/sha256';
export { checkSeal, seal, sealObject, sealProblem, sealText } from './io/seal';
export { WASM_MEMORY_LIMIT, assertModelFits } from './core/memory';
