/**
 * Small element-wise terms both formulations add (rnn.ts, rnn-current.ts): the output bias, and the rate
 * regulariser's gradient.
 */
import type { RnnWorkspace } from './workspace';
import type { FusedKernels } from './backend';
import type { FloatArray } from '../core/tensor';

/** y_t += b_out for every row. */
export function addOutputBias(ws: RnnWorkspace, bOut: ArrayLike<number>, O: number): void {
  const y = ws.y_TxBxO;
  for (let tb = 0; tb < ws.T * ws.B; tb++) for (let o = 0; o < O; o++) y[tb * O + o] += bOut[o];
}

/**
 * The rate regulariser's gradient joins dL/d(rate) for every step: δ_t[b][i] += 2λ r_t[b][i] / count, r read from
 * `rates` from offset `at` (rate formulation: h[1..T]; current: q[1..T]). Loss: λ Σ r² / count (objective.ts).
 */
export function addRateGradient(
  ws: RnnWorkspace,
  rates: FloatArray,
  at: number,
  lambda: number,
  fused?: FusedKernels,
): void {
  if (lambda === 0) return;
  const c = (2 * lambda) / ws.rateCount,
    d = ws.delta_TxBxN,
    n = ws.T * ws.B * ws.nRec; // hoisted: a property read per iteration costs more than the update
  if (fused?.axpy?.(d, 0, rates, at, n, c)) return; // the WebAssembly kernel, when the workspace is in its memory
  for (let i = 0; i < n; i++) d[i] += c * rates[at + i];
}
