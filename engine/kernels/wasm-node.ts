/**
 * The WebAssembly backend's Node-only half: training threads (worker_threads, engine/kernels/parallel.ts) and the V8
 * flag for relaxed SIMD. Exported from the /node entry, so the core entry stays free of Node modules.
 */
import * as v8 from 'v8';
import { createDataParallel } from './parallel';
import {
  createWasmBackendWith,
  forgetRelaxedSimdAnswer,
  relaxedSimdSupported,
  type WasmBackend,
  type WasmBackendOptions,
} from './wasm';

/**
 * The WebAssembly SIMD backend, with `threads` > 1 splitting each minibatch across worker threads (same API as the
 * core entry's createWasmBackend, which runs one thread).
 */
export function createWasmBackend(opts: WasmBackendOptions = {}): WasmBackend {
  return createWasmBackendWith(opts, createDataParallel);
}

/**
 * Turn on V8's relaxed SIMD where it is behind a flag (Node 20: --experimental-wasm-relaxed-simd), so that
 * createWasmBackend picks the fused multiply-add build (about 1.2× faster GEMMs). This changes a process-wide V8
 * flag, which is why the engine never does it on import or on its own: the rnnlab command and the benchmark call it
 * at start; an embedder calls it if it wants the FMA build. V8 reads wasm feature flags when it validates a module, so
 * calling it before the first backend is created is enough (worker threads share the process's flags). Newer Node
 * versions have relaxed SIMD on, and then nothing is set. Returns whether the FMA build can now run.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    /* not a V8 that knows the flag */
  }
  forgetRelaxedSimdAnswer();
  return relaxedSimdSupported();
}
