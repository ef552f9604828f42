/**
 * A gpu.js instance in a worker thread, behind the engine's synchronous calls.
 *
 * gpu.js' WebGPU kernels return Promises (WebGPU reads results back asynchronously), and so does every gpu.js
 * pipeline (kernels/gpujs-fused.ts), while the engine's time loop and Trainer are synchronous. The bridge: gpu.js
 * lives in a worker thread with its own event loop; the caller copies its operands into a SharedArrayBuffer, posts a
 * message, and blocks in Atomics.wait until the worker has awaited gpu.js and written the result back.
 *   'gemm'   one product (WebGPU per-product path: the whole engine runs on it unchanged, one round trip each)
 *   'gradient'  one minibatch's loss and gradient as one recorded pipeline (WebGPU or webasm: one round trip a step)
 *   'forward'   the forward pass over a batch as one recorded pipeline
 *
 * For WebGPU the thread installs Dawn (engine/kernels/webgpu-dawn.ts). Mesa's EGL needs EGL_PLATFORM=surfaceless
 * without a display, and reads it from the real process environment: a worker's process.env is normally a copy
 * (and inside jest so is the main thread's), so the thread shares the process environment (SHARE_ENV) and sets the
 * variable there, only when it is unset.
 */
import * as path from 'path';
import { SHARE_ENV, Worker } from 'worker_threads';
import { RnnlabError } from '../core/tensor';
import { storedExtent, storeScaled, type Gemm } from './gemm';
import type { DawnAdapter } from './webgpu-dawn';

/**
 * Shape and hyper-parameters a plan is recorded for (the pipelines of gpujs-fused.ts); all become gpu.js constants
 * (trace-time facts).
 */
export interface FusedShape {
  B: number;
  T: number;
  N: number;
  I: number;
  O: number;
  alpha: number;
  /** 0 tanh, 1 relu, 2 softplus. */
  act: number;
  /** 1 when the model has recurrent noise (ξ is drawn on the host, seeded, and uploaded), else 0. */
  noise: number;
}
/** Int32 words at the start of the control buffer, then the answer text (UTF-8 JSON). */
export const BRIDGE = { DONE: 0, ERROR: 1, LENGTH: 2, WORDS: 4, TEXT_BYTES: 16384 } as const;

export type ThreadMode = 'webgpu' | 'webasm';
/** [offset, length] in floats of each of a plan's arrays inside the shared data buffer, inputs then outputs. */
export type PlanLayout = Record<string, [number, number]>;

export type BridgeMessage =
  | { op: 'init'; ctrl: SharedArrayBuffer; mode: ThreadMode; dawnBackend?: DawnAdapter['backend'] }
  | {
      op: 'gemm';
      data?: SharedArrayBuffer;
      M: number;
      N: number;
      K: number;
      sAm: number;
      sAk: number;
      sBk: number;
      sBn: number;
      aAt: number;
      aLen: number;
      bAt: number;
      bLen: number;
      cAt: number;
    }
  | { op: 'gradient' | 'forward'; data?: SharedArrayBuffer; shape: FusedShape; layout: PlanLayout };

/** What the thread reports after running a plan: gpu.js' executor, and the mode whose kernels actually ran. */
export interface PlanAnswer {
  executorKind: string;
  backend: string;
  fallbackReason: string | null;
}

export interface GpuJsThread {
  readonly mode: ThreadMode;
  readonly kernelClass: string;
  /** What the thread's probe product 2·3 gave (engine/kernels/gpujs.ts checks it). */
  readonly probe: number;
  /** WebGPU only: Dawn's adapter. */
  readonly adapter: DawnAdapter | null;
  /** The shared data buffer as floats, grown (and re-sent with the next call) when `floats` do not fit. */
  data(floats: number): Float32Array;
  call(msg: Exclude<BridgeMessage, { op: 'init' }>): unknown;
  destroy(): void;
}

/** Seconds to wait for the worker: device creation, or one call (llvmpipe is slow on big ones). */
const INIT_TIMEOUT_S = 120,
  CALL_TIMEOUT_S = 600;

export function createGpuJsThread(mode: ThreadMode, dawnBackend?: DawnAdapter['backend']): GpuJsThread {
  const label = mode === 'webgpu' ? 'WebGPU' : 'webasm';
  const ctrlBuffer = new SharedArrayBuffer(4 * BRIDGE.WORDS + BRIDGE.TEXT_BYTES);
  const ctrl = new Int32Array(ctrlBuffer, 0, BRIDGE.WORDS);
  const text = new Uint8Array(ctrlBuffer, 4 * BRIDGE.WORDS);
  const worker = new Worker(path.join(__dirname, 'gpujs-thread.js'), { env: SHARE_ENV });
  worker.unref();
  let exited: string | null = null;
  worker.on('error', (e) => {
    exited = e.message;
  });
  worker.on('exit', (code) => {
    exited ??= `exit code ${code}`;
  });

  function call(msg: BridgeMessage, timeoutS: number): unknown {
    if (exited) throw new RnnlabError(`gpu.js ${label} thread is gone (${exited})`);
    Atomics.store(ctrl, BRIDGE.DONE, 0);
    worker.postMessage(msg);
    if (Atomics.wait(ctrl, BRIDGE.DONE, 0, timeoutS * 1000) === 'timed-out') {
      void worker.terminate();
      exited = 'timed out';
      throw new RnnlabError(`gpu.js ${label} thread did not answer "${msg.op}" within ${timeoutS} s; it was stopped`);
    }
    const answer = JSON.parse(Buffer.from(text.subarray(0, Atomics.load(ctrl, BRIDGE.LENGTH))).toString());
    if (Atomics.load(ctrl, BRIDGE.ERROR)) throw new RnnlabError(`gpu.js ${label}: ${answer}`);
    return answer;
  }

  let init: { kernelClass: string; probe: number; adapter: DawnAdapter | null };
  try {
    init = call({ op: 'init', ctrl: ctrlBuffer, mode, dawnBackend }, INIT_TIMEOUT_S) as typeof init;
  } catch (e) {
    void worker.terminate();
    throw e;
  }

  let f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  let fresh: SharedArrayBuffer | undefined;
  return {
    mode,
    kernelClass: init.kernelClass,
    probe: init.probe,
    adapter: init.adapter,
    data(floats) {
      if (f32.length < floats) {
        fresh = new SharedArrayBuffer(4 * Math.max(floats, 2 * f32.length, 1 << 16));
        f32 = new Float32Array(fresh);
      }
      return f32;
    },
    call(msg) {
      const sent = fresh ? { ...msg, data: fresh } : msg;
      fresh = undefined;
      return call(sent, CALL_TIMEOUT_S);
    },
    destroy: () => {
      void worker.terminate();
      exited = 'destroyed';
    },
  };
}

/** One product through the thread: op(A) and op(B) travel, the M×N result comes back and is scaled in here. */
export function threadGemm(thread: GpuJsThread): Gemm {
  return (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
    if (M === 0 || N === 0) return;
    // With K = 0 nothing is read (the product is zero); the formulas' spans would be negative.
    const aLen = K > 0 ? storedExtent(transA, M, K, lda) : 0,
      bLen = K > 0 ? storedExtent(transB, K, N, ldb) : 0;
    const aAt = 0,
      bAt = aLen,
      cAt = bAt + bLen;
    const f32 = thread.data(cAt + M * N);
    f32.set(A.subarray(offA, offA + aLen), aAt);
    f32.set(B.subarray(offB, offB + bLen), bAt);
    thread.call({
      op: 'gemm',
      M,
      N,
      K: Math.max(K, 0),
      sAm: transA ? 1 : lda,
      sAk: transA ? lda : 1,
      sBk: transB ? 1 : ldb,
      sBn: transB ? ldb : 1,
      aAt,
      aLen,
      bAt,
      bLen,
      cAt,
    });
    storeScaled(
      M,
      N,
      alpha,
      () => f32,
      (m) => cAt + m * N,
      beta,
      C,
      offC,
      ldc,
    );
  };
}
