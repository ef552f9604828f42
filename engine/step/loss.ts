/**
 * Masked mean squared error, forward and backward side by side.
 *
 *   L = Σ_{t,b,o} m_{b,t} (y_{t,b,o} − ŷ_{t,b,o})² / D
 *
 * The normaliser D is explicit and selectable, because the references disagree:
 *   'mask-sum'     D = O · Σ_{b,t} m_{b,t}          the gradient fixtures (PyTorch reference); the default
 *   'mask-nonzero' D = O · #{(b,t) : m_{b,t} ≠ 0}   Keras 2.0.6 temporal sample weights (equal to mask-sum for
 *                                                  0/1 masks)
 *   'all-steps'    D = O · B · T                    a plain mean over every step, masked steps counting as zero error
 */
import { RnnlabError } from '../core/tensor';
import type { RnnWorkspace } from './workspace';

export type LossNormalization = 'mask-sum' | 'mask-nonzero' | 'all-steps';
export const LOSS_NORMALIZATIONS: readonly LossNormalization[] = ['mask-sum', 'mask-nonzero', 'all-steps'];

/** What the normaliser counts over the loaded batch (mask weights, non-zero mask entries, or steps), before ×O. */
export function maskCount(ws: RnnWorkspace, norm: LossNormalization): number {
  if (norm === 'all-steps') return ws.B * ws.T;
  const m = ws.mask_TxB;
  let d = 0;
  for (let i = 0; i < ws.B * ws.T; i++) d += norm === 'mask-sum' ? m[i] : m[i] !== 0 ? 1 : 0;
  return d;
}

/** D itself, refusing a batch whose mask is zero everywhere. */
export function checkedDenominator(D: number): number {
  if (!(D > 0)) throw new RnnlabError('loss: the mask of this batch is zero everywhere, so the loss is undefined');
  return D;
}

export function lossDenominator(ws: RnnWorkspace, nOut: number, norm: LossNormalization): number {
  return checkedDenominator(nOut * maskCount(ws, norm));
}

/**
 * L for the outputs in ws.y (after rnnForward). `denominator` overrides D: a shard of a batch split across threads
 * uses the whole batch's D, so that the shards' losses and gradients add up to the batch's.
 */
export function maskedMseForward(
  ws: RnnWorkspace,
  nOut: number,
  norm: LossNormalization,
  denominator?: number,
): number {
  const D = denominator ?? lossDenominator(ws, nOut, norm);
  const y = ws.y_TxBxO,
    target = ws.target_TxBxO,
    m = ws.mask_TxB;
  let sum = 0;
  for (let tb = 0; tb < ws.T * ws.B; tb++) {
    const w = m[tb];
    if (w === 0) continue;
    for (let o = 0, i = tb * nOut; o < nOut; o++, i++) {
      const e = y[i] - target[i];
      sum += w * e * e;
    }
  }
  return sum / D;
}

/** dL/dy into ws.dy:  ∂L/∂y_{t,b,o} = 2 m_{b,t} (y − ŷ) / D. */
export function maskedMseBackward(ws: RnnWorkspace, nOut: number, norm: LossNormalization, denominator?: number): void {
  const scale = 2 / (denominator ?? lossDenominator(ws, nOut, norm));
  const y = ws.y_TxBxO,
    target = ws.target_TxBxO,
    m = ws.mask_TxB,
    dy = ws.dy_TxBxO;
  for (let tb = 0; tb < ws.T * ws.B; tb++) {
    const w = scale * m[tb];
    for (let o = 0, i = tb * nOut; o < nOut; o++, i++) dy[i] = w * (y[i] - target[i]);
  }
}

/**
 * L over a whole trial set from outputs already computed (simulate's [trial][t][o] layout), so an evaluation that
 * has the outputs needs no second forward pass. Same L and D as maskedMseForward on the same trials.
 */
export function maskedMseOfOutputs(
  trials: { nTrials: number; nSteps: number; nOut: number; targets: ArrayLike<number>; mask: ArrayLike<number> },
  outputs: ArrayLike<number>,
  norm: LossNormalization,
): number {
  const { nTrials: B, nSteps: T, nOut: O, targets, mask } = trials;
  let sum = 0,
    count = 0;
  for (let bt = 0; bt < B * T; bt++) {
    const w = mask[bt];
    count += norm === 'all-steps' ? 1 : norm === 'mask-sum' ? w : w !== 0 ? 1 : 0;
    if (w === 0) continue;
    for (let o = 0, i = bt * O; o < O; o++, i++) {
      const e = outputs[i] - targets[i];
      sum += w * e * e;
    }
  }
  return sum / checkedDenominator(O * count);
}
