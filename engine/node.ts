/**
 * @rnnlab/engine/node: what needs Node itself. Durable file writes (temporary file, fsync, rename), model files,
 * one-writer locks on output folders, Keras files on disk, training threads (worker_threads) and V8's relaxed-SIMD
 * flag. Import it beside the core entry; its createWasmBackend is the core one plus `threads`.
 */
export {
  lockDirectory,
  LockHeldError,
  MAX_BINARY_FILE_BYTES,
  MAX_TEXT_FILE_BYTES,
  prepareOutputDir,
  prepareSubdirs,
  readBinaryFile,
  readTextFile,
  removeDeadWritersTempFiles,
  removeStaleTempFiles,
  writeFileAtomic,
  type DirLock,
} from './io/files';
export { loadModel, saveModel } from './io/model-file';
export { importKerasFile } from './io/keras-file';
export { createWasmBackend, enableRelaxedSimd } from './kernels/wasm-node';
