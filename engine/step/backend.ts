/**
 * The compute backend: where the engine's matrix products run. The RNN code (engine/step/rnn.ts) owns the time loop and
 * the element-wise work and calls `backend.gemm` for every product, so a backend is one function plus a name.
 *
 * `name` must state what actually ran (gpu.js falls back silently between modes; its backend reports the kernel
 * class it got, see engine/kernels/gpujs.ts).
 *
 * Which code runs where. A reader of engine/step/rnn.ts sees the whole algorithm; on the fast backends parts of it
 * run in kernels that mirror it (each spec'd against the float64 reference path):
 *
 *   reference                  forward  rnn.ts rnnForward; products gemm.ts gemmChecked
 *                              backward rnn.ts rnnBackward; gemmChecked
 *   js                         forward  rnn.ts rnnForward; products gemm.ts gemmBlocked
 *                              backward rnn.ts rnnBackward; gemmBlocked
 *   wasm-simd (float32, tanh)  forward  rnn.ts rnnForward calls fused.tanhForward = WAT tanh_forward
 *                                       (kernels/wasm-simd.wat.ts); products WAT gemm_nn / gemm_nt_dot
 *                                       (kernels/wasm.ts)
 *                              backward rnn.ts rnnBackward calls fused.tanhBackward = WAT tanh_backward; products
 *                                       gemm_nn / gemm_nt_dot
 *   wasm-simd, relu/softplus   rnn.ts element-wise loops (activation.ts); WAT products
 *   wasm-simd, float64 model   rnn.ts, products gemmBlocked (JS)
 *   wasm-simd --threads N      createMinibatchGradient = parallel.ts createDataParallel: each worker runs rnnForward /
 *                              rnnBackward (as above) on a slice of the minibatch (shardStep); gradients summed
 *   gpujs:<mode> per product   rnn.ts loops; products kernels/gpujs.ts gemmKernel
 *   gpujs:<mode> pipeline      forward  forwardPass = gpujs-fused.ts fusedForward (a plan of stateStep, leakStep,
 *                                       readout per step)
 *                              backward createMinibatchGradient = gpujs-fused.ts createFusedGradient (a plan of
 *                                       stateStep, leakStep, readout, outputGrad, lossAccum, stateGrad,
 *                                       preactGrad(Direct), recGradAccum, outGradAccum, initGrad)
 */
import { gemmBlocked, gemmChecked, type Gemm } from '../kernels/gemm';
import { RnnlabError, type DType, type FloatArray } from '../core/tensor';
import type { RnnModel } from '../core/model';
import type { ParamSet, RnnConfig } from '../core/config';
import type { Trials } from '../core/trials';
import type { LossNormalization } from './loss';
import type { Rng } from '../core/random';
import type { RnnWorkspace } from './workspace';

export interface Backend {
  /** What actually runs the products, e.g. 'reference', 'js', 'gpujs:webasm'. */
  readonly name: string;
  /** The hardware behind it, where the backend can tell (gpu.js WebGPU: Dawn's adapter, e.g. llvmpipe or a GPU). */
  readonly device?: string;
  /**
   * What fixes the arithmetic beyond the name, where the backend has a build of its own (wasm-simd: its module's
   * SHA-256); absent: the engine's loops. Read through kernelBuildOf (kernels/provenance.ts).
   */
  readonly build?: string;
  /**
   * How float64 operands are computed: 'float64' (reference, js; wasm-simd hands float64 arrays to its JS path) or
   * 'float32' (gpu.js rounds every product to single, whatever the operands). The audit needs 'float64'.
   */
  readonly precision: 'float64' | 'float32';
  readonly gemm: Gemm;
  /** Where workspaces are allocated (e.g. inside a WebAssembly memory); default: ordinary typed arrays. */
  allocate?(dtype: DType, length: number): FloatArray;
  /** With allocate: the allocator's position, and freeing everything allocated after a position (stack order). */
  mark?(): number;
  release?(mark: number): void;
  /**
   * Optional: the whole forward pass over the loaded batch in one piece (a gpu.js pipeline), filling ws.h, ws.r and
   * ws.y exactly as rnnForward's loop does (the noise is already in the workspace); false: run the loop instead.
   */
  forwardPass?(model: RnnModel, ws: RnnWorkspace): boolean;
  /** Optional fused element-wise kernels; the engine's own loops run when absent or when a kernel returns false. */
  readonly fused?: FusedKernels;
  /**
   * Optional: the whole minibatch's loss and gradient as one unit of work, which the Trainer uses when present
   * (float32 models): data-parallel over threads (wasm-simd, engine/kernels/parallel.ts), or one device-resident gpu.js
   * pipeline per step (engine/kernels/gpujs-fused.ts).
   */
  createMinibatchGradient?(config: RnnConfig, maxBatch: number, maxSteps: number): MinibatchGradient;
}

/**
 * The loss and gradient of one minibatch, computed by the backend in one piece (shards in parallel, or one pipeline).
 */
export interface MinibatchGradient {
  readonly threads: number;
  /** How it runs, where that differs from the backend's name (e.g. gpu.js' pipeline executor, 'fused-encoder'). */
  readonly executor?: string;
  /**
   * Trials order[start .. start+count) of `trials`: returns the minibatch loss and writes its gradient into `grads`
   * (overwriting it), exactly what one forward + backward over the whole minibatch gives, up to summation order.
   * Recurrent noise, when the model has it, is drawn from `rng` by the calling thread.
   */
  lossAndGradient(
    model: RnnModel,
    trials: Trials,
    order: ArrayLike<number>,
    start: number,
    count: number,
    norm: LossNormalization,
    grads: ParamSet,
    rng: Rng | null,
  ): number;
  destroy(): void;
}

/** Element-wise parts of a tanh time step, fused (see engine/step/rnn.ts for the formulas they implement). */
export interface FusedKernels {
  /** z_t = r_t (holding W_rec h_{t-1}) + W_in x_t + b + ξ_t;  r_t = tanh z_t;  h_t = (1 − α) h_{t-1} + α r_t. */
  tanhForward(ws: RnnWorkspace, p: ParamSet, t: number, alpha: number): boolean;
  /** g = δ_t + carry;  carry = (1 − α) g;  δ_t = α (1 − r_t²) g. */
  tanhBackward(ws: RnnWorkspace, t: number, alpha: number): boolean;
  /** d[dAt + i] += c · x[xAt + i] for i < n (the rate penalty's gradient); false: not for these arrays. */
  axpy?(d: FloatArray, dAt: number, x: FloatArray, xAt: number, n: number, c: number): boolean;
  /** Σ x[at + i]² for i < n, accumulated in double precision; null: not for this array. */
  sumSquares?(x: FloatArray, at: number, n: number): number | null;
}

/**
 * Plain triple loops with every operand's shape checked: the algorithmic reference and the audit path. Exact in
 * float64.
 */
export const referenceBackend: Backend = { name: 'reference', precision: 'float64', gemm: gemmChecked };

/** Register-blocked typed-array loops: the default CPU backend. Computes in doubles whatever the storage type. */
export const jsBackend: Backend = { name: 'js', precision: 'float64', gemm: gemmBlocked };

/** A backend handed in from outside must be one: at least a name and a gemm (jsBackend, createWasmBackend, …). */
export function validateBackend(backend: Backend): Backend {
  if (typeof backend !== 'object' || backend === null || typeof backend.gemm !== 'function')
    throw new RnnlabError('backend must be an rnnlab Backend with a gemm function (jsBackend, createWasmBackend(), …)');
  return backend;
}
