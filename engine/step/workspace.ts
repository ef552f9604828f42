/**
 * The RNN workspace: every buffer a forward and backward pass touches, allocated once per (max batch, max steps) and
 * reused, in the time-major layout engine/step/rnn.ts documents; trials are loaded into it (loadTrials) and results
 * read back from it (readOutputs, readHidden: these allocate and are not for hot loops).
 */
import { allocate as allocateArray, RnnlabError, type DType, type FloatArray } from '../core/tensor';
import type { Formulation, Readout, RnnConfig } from '../core/config';
import type { Trials } from '../core/trials';

export interface RnnWorkspace {
  readonly dtype: DType;
  readonly nIn: number;
  readonly nRec: number;
  readonly nOut: number;
  readonly maxBatch: number;
  readonly maxSteps: number;
  readonly formulation: Formulation;
  /** The readout g: ws.y holds the logits a = W_out* r + b_out; readOutputs returns g(a). */
  readonly readout: Readout;
  /** Current batch size and sequence length (≤ the maxima); set by loadTrials. */
  B: number;
  T: number;
  /**
   * The rate regulariser's count B·T·N over the whole minibatch (mean over b, t, i), set by loadTrials; a shard of a
   * batch split across threads is given the whole batch's count, as it is given the loss's D.
   */
  rateCount: number;
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
  /** Current formulation only: the rates q = f(s) [T+1][B][N] (q[0] = f(init state)); null otherwise. */
  readonly q_T1xBxN: FloatArray | null;
  /** Current formulation only: (1 − α) dL/ds carried from step t to t−1 in BPTT; null otherwise. */
  readonly carryS_BxN: FloatArray | null;
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
  const current = config.formulation === 'current';
  const rAliasesH = config.alpha === 1 && !config.perUnitAlpha && !current;
  return {
    dtype,
    nIn: I,
    nRec: N,
    nOut: O,
    maxBatch,
    maxSteps,
    formulation: config.formulation,
    readout: config.readout,
    B: maxBatch,
    T: maxSteps,
    rateCount: maxBatch * maxSteps * N,
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
    q_T1xBxN: current ? allocate(dtype, (maxSteps + 1) * maxBatch * N) : null,
    carryS_BxN: current ? allocate(dtype, maxBatch * N) : null,
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
  ws.rateCount = count * T * ws.nRec;
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

/** Outputs y = g(a) of the last forward pass, batch-major [B][T][O], as float64 (readout.ts applies g). */
export function readOutputs(ws: RnnWorkspace): Float64Array {
  const { B, T, nOut: O } = ws;
  const out = new Float64Array(B * T * O);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) out[(b * T + t) * O + o] = ws.y_TxBxO[(t * B + b) * O + o];
  applyReadout(out, B * T, O, ws.readout);
  return out;
}

/** Apply the readout g to `rows` rows of O logits each, in place (identity, logistic sigmoid, or softmax). */
export function applyReadout(a: Float64Array, rows: number, O: number, readout: Readout): void {
  if (readout === 'linear') return;
  if (readout === 'sigmoid') {
    for (let i = 0; i < rows * O; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
    return;
  }
  for (let r = 0; r < rows; r++) {
    let max = -Infinity,
      sum = 0;
    for (let o = 0; o < O; o++) max = Math.max(max, a[r * O + o]);
    for (let o = 0; o < O; o++) sum += a[r * O + o] = Math.exp(a[r * O + o] - max);
    for (let o = 0; o < O; o++) a[r * O + o] /= sum;
  }
}

/**
 * The state of the last forward pass, batch-major [B][T][N], as float64: h_t after consuming x_t (rate
 * formulation), or the current s_t (current formulation, PsychRNN's `states`; the rates are f(s_t)).
 */
export function readHidden(ws: RnnWorkspace): Float64Array {
  const { B, T, nRec: N } = ws;
  const out = new Float64Array(B * T * N);
  const h = ws.h_T1xBxN;
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const src = ((t + 1) * B + b) * N;
      for (let i = 0; i < N; i++) out[(b * T + t) * N + i] = h[src + i];
    }
  return out;
}
