/**
 * @rnnlab/engine: a leaky tanh RNN with hand-written BPTT and Adam on flat typed arrays.
 *
 * Data flow: Trials (from @rnnlab/tasks or your own) → Trainer (forward pass, masked MSE, BPTT, Adam) → a trained
 * RnnModel, saved as versioned, sealed JSON (modelToJson) and checked by gradientAudit.
 *
 * This core entry runs anywhere JavaScript runs (Node, browsers, bundlers): it imports no Node module, no GPU and no
 * plotting package. The other entries:
 * - `@rnnlab/engine/advanced`: step-level building blocks for a custom training loop (rnnForward, rnnBackward, the
 *   workspace, the loss, Adam's step, the GEMM kernels);
 * - `@rnnlab/engine/node`: files (durable writes, model files, locks), training threads and the V8 relaxed-SIMD flag;
 * - `@rnnlab/engine/keras`: import of Keras 2.0.6 HDF5 models from bytes (jsfive; browser-safe);
 * - `@rnnlab/engine/gpujs`: the gpu.js backends (gpu.js, and webgpu for WebGPU, are optional peer dependencies).
 */
export { RnnlabError, type DType, type FloatArray, type Tensor } from './core/tensor';
export { Rng, type RngState } from './core/random';
export {
  cloneModel,
  alphaVector,
  createModel,
  effectiveModel,
  effectiveWeights,
  setConnectivity,
  setRecMask,
  setTrainMask,
  validateConfig,
  validateModel,
  type RnnModel,
} from './core/model';
export {
  excitatoryCount,
  unitSigns,
  type EffectiveWeights,
  type MaskedModel,
  type TrainMasks,
} from './core/constraints';
export {
  ACTIVATIONS,
  FORMULATIONS,
  NO_REGULARIZERS,
  PARAM_NAMES,
  READOUTS,
  REGULARIZER_NAMES,
  RNN_DEFAULTS,
  paramCount,
  paramShapes,
  type Activation,
  type Formulation,
  type ParamName,
  type Readout,
  type Regularizers,
  type ParamSet,
  type RnnConfig,
  type RnnOptions,
  type RnnSizes,
} from './core/config';
export {
  DALE_BALANCES,
  INIT_DEFAULTS,
  REC_INITS,
  initialize,
  type DaleBalance,
  type InitConfig,
  type RecInit,
} from './core/init';
export { selectTrials, validateTrials, type Trials } from './core/trials';
export { forward, lossAndGradient, type ExactOptions, type ForwardResult, type LossAndGradient } from './step/api';
export { simulate } from './step/simulate';
export {
  LOSS_NORMALIZATIONS,
  checkTargetsForReadout,
  maskedMseOfOutputs,
  taskLossOfOutputs,
  type LossNormalization,
} from './step/loss';
export { LOSS_TERMS, type LossTerm, type LossTerms } from './step/objective';
export { ADAM_DEFAULTS, validateAdamConfig, type AdamConfig, type AdamConvention } from './step/optim';
export { jsBackend, referenceBackend, type Backend, validateBackend } from './step/backend';
export {
  createWasmBackend,
  relaxedSimdSupported,
  type WasmBackend,
  type WasmBackendOptions,
  wasmKernelBuild,
} from './kernels/wasm';
export {
  buildMismatch,
  checkedKernelBuild,
  ENGINE_VERSION,
  type KernelBuild,
  kernelBuildOf,
  runtimeDiffers,
} from './kernels/provenance';
export { type CheckpointReason, DivergenceError, Trainer, type TrainProgress } from './train/train';
export {
  TRAIN_DEFAULTS,
  validateTrainConfig,
  type EpochRecord,
  type StopReason,
  type TrainConfig,
  type TrainOptions,
} from './train/train-config';
export {
  MODEL_FORMAT,
  MODEL_VERSION,
  modelFromJson,
  modelToJson,
  type LoadedModel,
  type ModelFile,
  weightsSha256,
} from './io/serialize';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  trialsFingerprint,
  verifyCheckpoint,
  verifyCheckpointAndModel,
  type Amendment,
  type TrainCheckpoint,
  type TrainCheckpointPayload,
} from './io/checkpoint';
export {
  AUDIT_DEFAULTS,
  formatAudit,
  gradientAudit,
  type AuditOptions,
  type AuditReport,
  type ParamAudit,
  type TermAudit,
} from './train/audit';
export { assertFits, estimateTrainingMemory, formatBytes, type MemoryEstimate } from './core/memory';
export { parseJson, terminalLine, terminalSafe } from './io/text';
