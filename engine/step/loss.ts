/**
 * Masked mean squared error, forward and backward side by side.
 *
 *   L = Σ_{t,b,o} m_{b,t} w_o (y_{t,b,o} − ŷ_{t,b,o})² / D
 *
 * w_o is config.outputWeights (null: every w_o = 1): Yang et al.'s cost, mean(((y − ŷ)·c_mask)²), weighs his
 * fixation output by 2² against the ring's 1; w leaves D as it is, as his mean does.
 *
 * The normaliser D is explicit and selectable, because the references disagree:
 *   'mask-sum'     D = O · Σ_{b,t} m_{b,t}          the gradient fixtures (PyTorch reference); the default
 *   'mask-nonzero' D = O · #{(b,t) : m_{b,t} ≠ 0}   Keras 2.0.6 temporal sample weights (equal to mask-sum for
 *                                                  0/1 masks)
 *   'all-steps'    D = O · B · T                    a plain mean over every step, masked steps counting as zero error
 */
import { RnnlabError } from '../core/tensor';
import type { RnnWorkspace } from './workspace';
import type { Readout } from '../core/config';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, exp, floor, log1p } = Math;

/** Per-output weights of the task loss, or null for all 1 (config.outputWeights). */
export type OutputWeights = ArrayLike<number> | null | undefined;

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
  weights?: OutputWeights,
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
      sum += (weights ? w * weights[o] : w) * e * e;
    }
  }
  return sum / D;
}

/** dL/dy into ws.dy:  ∂L/∂y_{t,b,o} = 2 m_{b,t} w_o (y − ŷ) / D. */
export function maskedMseBackward(
  ws: RnnWorkspace,
  nOut: number,
  norm: LossNormalization,
  denominator?: number,
  weights?: OutputWeights,
): void {
  const scale = 2 / (denominator ?? lossDenominator(ws, nOut, norm));
  const y = ws.y_TxBxO,
    target = ws.target_TxBxO,
    m = ws.mask_TxB,
    dy = ws.dy_TxBxO;
  for (let tb = 0; tb < ws.T * ws.B; tb++) {
    const w = scale * m[tb];
    if (weights) for (let o = 0, i = tb * nOut; o < nOut; o++, i++) dy[i] = w * weights[o] * (y[i] - target[i]);
    else for (let o = 0, i = tb * nOut; o < nOut; o++, i++) dy[i] = w * (y[i] - target[i]);
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
  weights?: OutputWeights,
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
      sum += (weights ? w * weights[o] : w) * e * e;
    }
  }
  return sum / checkedDenominator(O * count);
}

// ---------------------------------------------------------------------------------------------------------------
// Readouts other than linear (docs/model-conventions.md section 3). ws.y holds the logits a.
//
//   bce (sigmoid readout):  L = Σ m w_o [softplus(a) − ŷ a] / D,        D = O·count   dL/da = m w_o (σ(a) − ŷ) / D
//   ce  (softmax readout):  L = −Σ m Σ_o ŷ_o log softmax(a)_o / D,       D = count      dL/da_o = m (p_o Σŷ − ŷ_o) / D
// softplus(a) = max(a, 0) + log1p(e^(−|a|)) and log softmax = a − max − log Σ e^(a − max), stable for any a.

/** The task loss's D for a readout: O·count for mse and bce, count alone for ce (conventions section 3). */
export function taskDenominator(ws: RnnWorkspace, nOut: number, readout: Readout, norm: LossNormalization): number {
  return checkedDenominator((readout === 'softmax' ? 1 : nOut) * maskCount(ws, norm));
}

const softplus = (a: number) => (a > 0 ? a : 0) + log1p(exp(-abs(a)));

/** The task loss of the loaded batch under `readout` (mse for linear), from ws.y; D as taskDenominator. */
export function taskLossForward(
  ws: RnnWorkspace,
  nOut: number,
  readout: Readout,
  norm: LossNormalization,
  denominator?: number,
  weights?: OutputWeights,
): number {
  if (readout === 'linear') return maskedMseForward(ws, nOut, norm, denominator, weights);
  const D = denominator ?? taskDenominator(ws, nOut, readout, norm);
  const a = ws.y_TxBxO,
    target = ws.target_TxBxO,
    m = ws.mask_TxB;
  let sum = 0;
  for (let tb = 0; tb < ws.T * ws.B; tb++) {
    const w = m[tb];
    if (w === 0) continue;
    const row = tb * nOut;
    if (readout === 'sigmoid') {
      for (let o = row; o < row + nOut; o++)
        sum += (weights ? w * weights[o - row] : w) * (softplus(a[o]) - target[o] * a[o]);
      continue;
    }
    let max = -Infinity,
      z = 0;
    for (let o = row; o < row + nOut; o++) max = Math.max(max, a[o]);
    for (let o = row; o < row + nOut; o++) z += exp(a[o] - max);
    const logZ = max + Math.log(z);
    for (let o = row; o < row + nOut; o++) sum -= w * target[o] * (a[o] - logZ);
  }
  return sum / D;
}

/** dL/da of taskLossForward into ws.dy. */
export function taskLossBackward(
  ws: RnnWorkspace,
  nOut: number,
  readout: Readout,
  norm: LossNormalization,
  denominator?: number,
  weights?: OutputWeights,
): void {
  if (readout === 'linear') return maskedMseBackward(ws, nOut, norm, denominator, weights);
  const scale = 1 / (denominator ?? taskDenominator(ws, nOut, readout, norm));
  const a = ws.y_TxBxO,
    target = ws.target_TxBxO,
    m = ws.mask_TxB,
    dy = ws.dy_TxBxO;
  for (let tb = 0; tb < ws.T * ws.B; tb++) {
    const w = scale * m[tb],
      row = tb * nOut;
    if (readout === 'sigmoid') {
      for (let o = row; o < row + nOut; o++)
        dy[o] = (weights ? w * weights[o - row] : w) * (1 / (1 + exp(-a[o])) - target[o]);
      continue;
    }
    let max = -Infinity,
      z = 0,
      mass = 0;
    for (let o = row; o < row + nOut; o++) max = Math.max(max, a[o]);
    for (let o = row; o < row + nOut; o++) z += exp(a[o] - max);
    for (let o = row; o < row + nOut; o++) mass += target[o];
    for (let o = row; o < row + nOut; o++) dy[o] = w * ((exp(a[o] - max) / z) * mass - target[o]);
  }
}

/**
 * Targets a readout's loss is defined for, checked where trials meet a model (training, the exact API): in [0, 1]
 * for sigmoid + BCE; for softmax + CE, every row with a non-zero mask a probability vector (entries ≥ 0, sum 1 to
 * 1e-9). Names the first bad trial, step and value.
 */
export function checkTargetsForReadout(
  trials: { nTrials: number; nSteps: number; nOut: number; targets: ArrayLike<number>; mask: ArrayLike<number> },
  readout: Readout,
): void {
  if (readout === 'linear') return;
  const { nTrials: B, nSteps: T, nOut: O, targets, mask } = trials;
  const where = (bt: number) => `trial ${floor(bt / T)}, step ${bt % T}`;
  for (let bt = 0; bt < B * T; bt++) {
    if (readout === 'sigmoid') {
      for (let o = 0; o < O; o++) {
        const v = targets[bt * O + o];
        if (!(v >= 0 && v <= 1))
          throw new RnnlabError(
            `the sigmoid readout's binary cross-entropy needs targets in [0, 1]; ${where(bt)} has ${v}`,
          );
      }
      continue;
    }
    if (mask[bt] === 0) continue;
    let sum = 0;
    for (let o = 0; o < O; o++) {
      const v = targets[bt * O + o];
      if (!(v >= 0)) throw new RnnlabError(`cross-entropy needs probability-vector targets; ${where(bt)} has ${v}`);
      sum += v;
    }
    if (abs(sum - 1) > 1e-9)
      throw new RnnlabError(
        `cross-entropy needs targets that sum to 1 at every trained step; ${where(bt)} sums to ${sum}`,
      );
  }
}

/**
 * The task loss over a whole trial set from outputs y = g(a) already computed ([trial][t][o]), for evaluations:
 * maskedMseOfOutputs for a linear readout; BCE and CE from the probabilities (log clamped at 1e-300, so a saturated
 * output gives a large finite loss rather than Infinity).
 */
export function taskLossOfOutputs(
  trials: { nTrials: number; nSteps: number; nOut: number; targets: ArrayLike<number>; mask: ArrayLike<number> },
  outputs: ArrayLike<number>,
  readout: Readout,
  norm: LossNormalization,
  weights?: OutputWeights,
): number {
  if (readout === 'linear') return maskedMseOfOutputs(trials, outputs, norm, weights);
  const { nTrials: B, nSteps: T, nOut: O, targets, mask } = trials;
  const log = (p: number) => Math.log(Math.max(p, 1e-300));
  let sum = 0,
    count = 0;
  for (let bt = 0; bt < B * T; bt++) {
    const w = mask[bt];
    count += norm === 'all-steps' ? 1 : norm === 'mask-sum' ? w : w !== 0 ? 1 : 0;
    if (w === 0) continue;
    for (let o = bt * O; o < bt * O + O; o++) {
      const p = outputs[o],
        y = targets[o];
      const wo = weights ? w * weights[o - bt * O] : w;
      sum -= readout === 'sigmoid' ? wo * (y * log(p) + (1 - y) * log(1 - p)) : w * y * log(p);
    }
  }
  return sum / checkedDenominator((readout === 'softmax' ? 1 : O) * count);
}
