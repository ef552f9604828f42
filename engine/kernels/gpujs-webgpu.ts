/**
 * gpu.js WebGPU kernels behind the engine's synchronous Backend interface.
 *
 * gpu.js' WebGPU kernels return Promises (WebGPU reads results back asynchronously), while the engine calls
 * `backend.gemm` synchronously inside its time loop. The bridge: the kernel lives in a worker thread with its own
 * event loop; `gemm` copies op(A) and op(B) into a SharedArrayBuffer, posts a message, and blocks in Atomics.wait
 * until the worker has awaited the kernel and written the product back. The whole engine (forward, BPTT, the
 * Trainer, simulate, the CLI) then runs on WebGPU unchanged, at the price of one GPU round trip per product: about
 * 0.3-2 ms on Mesa's llvmpipe, so a training step of the paper's workload (~400 products) takes ~0.2-0.8 s there.
 *
 * The thread installs Dawn (engine/kernels/webgpu-dawn.ts). Mesa's EGL needs EGL_PLATFORM=surfaceless without a
 * display, and reads it from the real process environment: a worker's process.env is normally a copy (and inside
 * jest so is the main thread's), so the thread shares the process environment (SHARE_ENV) and sets the variable
 * there, only when it is unset.
 */
import * as path from 'path';
import { SHARE_ENV, Worker } from 'worker_threads';
import { RnnlabError } from '../tensor';
import { storedExtent, storeScaled, type Gemm } from './gemm';
import type { DawnAdapter } from './webgpu-dawn';

/** Int32 words at the start of the control buffer, then the answer text (UTF-8 JSON). */
export const BRIDGE = { DONE: 0, ERROR: 1, LENGTH: 2, WORDS: 4, TEXT_BYTES: 16384 } as const;

export type BridgeMessage =
  | { op: 'init'; ctrl: SharedArrayBuffer; dawnBackend?: DawnAdapter['backend'] }
  | { op: 'gemm'; data?: SharedArrayBuffer; M: number; N: number; K: number; sAm: number; sAk: number; sBk: number; sBn: number; aAt: number; aLen: number; bAt: number; bLen: number; cAt: number };

export interface WebGpuBridge {
  readonly gemm: Gemm;
  readonly kernelClass: string;
  /** What the thread's probe product 2·3 gave (engine/kernels/gpujs.ts checks it). */
  readonly probe: number;
  readonly adapter: DawnAdapter;
  destroy(): void;
}

/** Seconds to wait for the worker: device creation, or one product (llvmpipe is slow on big ones). */
const INIT_TIMEOUT_S = 120, CALL_TIMEOUT_S = 600;

export function createWebGpuBridge(dawnBackend?: DawnAdapter['backend']): WebGpuBridge {
  const ctrlBuffer = new SharedArrayBuffer(4 * BRIDGE.WORDS + BRIDGE.TEXT_BYTES);
  const ctrl = new Int32Array(ctrlBuffer, 0, BRIDGE.WORDS);
  const text = new Uint8Array(ctrlBuffer, 4 * BRIDGE.WORDS);
  const worker = new Worker(path.join(__dirname, 'gpujs-webgpu-thread.js'), { env: SHARE_ENV });
  worker.unref();
  let exited: string | null = null;
  worker.on('error', (e) => { exited = e.message; });
  worker.on('exit', (code) => { exited ??= `exit code ${code}`; });

  function call(msg: BridgeMessage, timeoutS: number): unknown {
    if (exited) throw new RnnlabError(`gpu.js WebGPU thread is gone (${exited})`);
    Atomics.store(ctrl, BRIDGE.DONE, 0);
    worker.postMessage(msg);
    if (Atomics.wait(ctrl, BRIDGE.DONE, 0, timeoutS * 1000) === 'timed-out') {
      void worker.terminate();
      exited = 'timed out';
      throw new RnnlabError(`gpu.js WebGPU thread did not answer "${msg.op}" within ${timeoutS} s; it was stopped`);
    }
    const answer = JSON.parse(Buffer.from(text.subarray(0, Atomics.load(ctrl, BRIDGE.LENGTH))).toString());
    if (Atomics.load(ctrl, BRIDGE.ERROR)) throw new RnnlabError(`gpu.js WebGPU: ${answer}`);
    return answer;
  }

  let init: { kernelClass: string; probe: number; adapter: DawnAdapter };
  try {
    init = call({ op: 'init', ctrl: ctrlBuffer, dawnBackend }, INIT_TIMEOUT_S) as typeof init;
  } catch (e) {
    void worker.terminate();
    throw e;
  }

  let f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  const gemm: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
    if (M === 0 || N === 0) return;
    // With K = 0 nothing is read (the product is zero); the formulas' spans would be negative.
    const aLen = K > 0 ? storedExtent(transA, M, K, lda) : 0, bLen = K > 0 ? storedExtent(transB, K, N, ldb) : 0;
    const aAt = 0, bAt = aLen, cAt = bAt + bLen;
    let fresh: SharedArrayBuffer | undefined;
    if (f32.length < cAt + M * N) {
      fresh = new SharedArrayBuffer(4 * Math.max(cAt + M * N, 2 * f32.length, 1 << 16));
      f32 = new Float32Array(fresh);
    }
    f32.set(A.subarray(offA, offA + aLen), aAt);
    f32.set(B.subarray(offB, offB + bLen), bAt);
    call({ op: 'gemm', data: fresh, M, N, K: Math.max(K, 0), sAm: transA ? 1 : lda, sAk: transA ? lda : 1, sBk: transB ? 1 : ldb, sBn: transB ? ldb : 1, aAt, aLen, bAt, bLen, cAt }, CALL_TIMEOUT_S);
    storeScaled(M, N, alpha, () => f32, (m) => cAt + m * N, beta, C, offC, ldc);
  };
  return {
    gemm, kernelClass: init.kernelClass, probe: init.probe, adapter: init.adapter,
    destroy: () => { void worker.terminate(); exited = 'destroyed'; },
  };
}
