/**
 * The RNN workspace: every buffer a forward and backward pass touches, allocated once per (max batch, max steps) and
 * reused, in the time-major layout engine/step/rnn.ts documents; trials are loaded into it (loadTrials) and results
 * read back from it (readOutputs, readHidden: these allocate and are not for hot loops).
 */
import { allocate as allocateArray, RnnlabError, type DType, type FloatArray } from '../core/tensor';
import type { RnnConfig } from '../core/config';
import type { Trials } from '../core/trials';

export interface RnnWorkspace {
  readonly dtype: DType;
  readonly nIn: number;
  readonly nRec: number;
  readonly nOut: number;
  readonly maxBatch: number;
  readonly maxSteps: number;
  /** Current batch size and sequence length (≤ the maxima); set by loadTrials. */
  B: number;
  T: number;
  readonly x_TxBxI: FloatArray;
  readonly target_TxBxO: FloatArray;
  readonly mask_TxB: FloatArray;
  readonly h_T1xBxN: FloatArray;
  /** f(z_t); when α = 1 this is the same memory as h[1..]. */
  readonly r_TxBxN: FloatArray;
  readonly rAliasesH: boolean;
  readonly y_TxBxO: FloatArray;
  readonly dy_TxBxO: FloatArray;
  readonly delta_TxBxN: FloatArray;
  /** g carried from step t to t−1 in BPTT; its first B·N entries end as dh0. */
  readonly carry_BxN: FloatArray;
  /** dW_inᵀ [I][N] at the end of rnnBackward: the same memory as carry_BxN (free by then), sized max(B, I)·N. */
  readonly dWinT_IxN: FloatArray;
  /** Recurrent noise ξ, drawn by rnnForward when given an Rng, reused (frozen) otherwise. */
  readonly noise_TxBxN: FloatArray | null;
  /** W_rec and W_recᵀ as of the last forward pass, in the backend's memory: every time step reads them. */
  readonly wRec_NxN: FloatArray;
  readonly wRecT_NxN: FloatArray;
  /** T·B ones: sums over time and batch (db) run as products. */
  readonly ones_TB: FloatArray;
}

/**
 * Where a workspace's buffers come from: a backend passes itself (its `allocate` places them in its memory, e.g.
 * WebAssembly's); without one, ordinary typed arrays. Only the allocator is needed, so this module does not depend on
 * the Backend interface, which in turn names RnnWorkspace.
 */
export interface WorkspaceAllocator {
  allocate?(dtype: DType, length: number): FloatArray;
}

export function createWorkspace(
  config: RnnConfig,
  maxBatch: number,
  maxSteps: number,
  backend?: WorkspaceAllocator,
): RnnWorkspace {
  const { nIn: I, nRec: N, nOut: O, dtype } = config;
  const BT = maxBatch * maxSteps;
  const allocate = backend?.allocate ?? allocateArray;
  const h = allocate(dtype, (maxSteps + 1) * maxBatch * N);
  const carry = allocate(dtype, Math.max(maxBatch, I) * N);
  const rAliasesH = config.alpha === 1;
  return {
    dtype,
    nIn: I,
    nRec: N,
    nOut: O,
    maxBatch,
    maxSteps,
    B: maxBatch,
    T: maxSteps,
    x_TxBxI: allocate(dtype, BT * I),
    target_TxBxO: allocate(dtype, BT * O),
    mask_TxB: allocate(dtype, BT),
    h_T1xBxN: h,
    // With α = 1 the aliasing view is re-pointed per batch size in rOffset(); we keep one buffer.
    r_TxBxN: rAliasesH ? h : allocate(dtype, BT * N),
    rAliasesH,
    y_TxBxO: allocate(dtype, BT * O),
    dy_TxBxO: allocate(dtype, BT * O),
    delta_TxBxN: allocate(dtype, BT * N),
    carry_BxN: carry,
    dWinT_IxN: carry.subarray(0, I * N),
    noise_TxBxN: config.noiseStd > 0 ? allocate(dtype, BT * N) : null,
    wRec_NxN: allocate(dtype, N * N),
    wRecT_NxN: allocate(dtype, N * N),
    ones_TB: allocate(dtype, BT).fill(1),
  };
}

/** Offset (in elements) of r_t inside ws.r_TxBxN (which is h itself, shifted by one step, when α = 1). */
export function rOffset(ws: RnnWorkspace, t: number): number {
  return (ws.rAliasesH ? t + 1 : t) * ws.B * ws.nRec;
}

/**
 * Copy trials `indices[start .. start+count)` (all trials if `indices` is omitted) from batch-major `trials` into the
 * workspace's time-major buffers, and set ws.B / ws.T. Shapes must already be valid (validateTrials).
 */
export function loadTrials(
  ws: RnnWorkspace,
  trials: Trials,
  indices?: ArrayLike<number>,
  start = 0,
  count = indices ? indices.length - start : trials.nTrials - start,
): void {
  const { nSteps: T, nIn: I, nOut: O } = trials;
  if (I !== ws.nIn || O !== ws.nOut)
    throw new RnnlabError(`trials have ${I} inputs and ${O} outputs but the model has ${ws.nIn} and ${ws.nOut}`);
  if (count > ws.maxBatch || T > ws.maxSteps)
    throw new RnnlabError(
      `batch of ${count} trials × ${T} steps exceeds the workspace (${ws.maxBatch} × ${ws.maxSteps})`,
    );
  if (count <= 0) throw new RnnlabError('loadTrials: empty batch');
  ws.B = count;
  ws.T = T;
  const B = count;
  const x = ws.x_TxBxI,
    tg = ws.target_TxBxO,
    m = ws.mask_TxB;
  for (let b = 0; b < B; b++) {
    const s = indices ? indices[start + b] : start + b;
    for (let t = 0; t < T; t++) {
      const src = s * T + t,
        dst = t * B + b;
      for (let k = 0; k < I; k++) x[dst * I + k] = trials.inputs[src * I + k];
      for (let o = 0; o < O; o++) tg[dst * O + o] = trials.targets[src * O + o];
      m[dst] = trials.mask[src];
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Read-back helpers (allocate; not for hot loops)

/** Outputs of the last forward pass, batch-major [B][T][O], as float64. */
export function readOutputs(ws: RnnWorkspace): Float64Array {
  const { B, T, nOut: O } = ws;
  const out = new Float64Array(B * T * O);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) out[(b * T + t) * O + o] = ws.y_TxBxO[(t * B + b) * O + o];
  return out;
}

/** Hidden states of the last forward pass, batch-major [B][T][N] (h_t after consuming x_t), as float64. */
export function readHidden(ws: RnnWorkspace): Float64Array {
  const { B, T, nRec: N } = ws;
  const out = new Float64Array(B * T * N);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const src = ((t + 1) * B + b) * N;
      for (let i = 0; i < N; i++) out[(b * T + t) * N + i] = ws.h_T1xBxN[src + i];
    }
  return out;
}
