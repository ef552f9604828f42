/**
 * Adam, as one flat loop over the trainable ranges of the parameter buffer, in the two conventions a user meets.
 *
 * Both: m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²,   s = step number (1, 2, ...)
 *
 * 'pytorch' (torch.optim.Adam, https://pytorch.org/docs/stable/generated/torch.optim.Adam.html):
 *   p ← p − (lr_s / (1 − β1^s)) · m / ( √v / √(1 − β2^s) + ε )            ε inside, on the bias-corrected √v̂
 * 'keras' (Keras 2.0.6 keras/optimizers.py Adam, the paper's optimiser):
 *   lr_s = lr / (1 + decay · (s − 1))                                      inverse-time decay per update
 *   p ← p − lr_s · √(1 − β2^s) / (1 − β1^s) · m / ( √v + ε )               ε outside the bias correction
 * lr_s = lr / (1 + decay·(s − 1)) applies to the 'pytorch' convention too when decay > 0 (torch has no such
 * option; decay defaults to 0 there).
 */
import { allocate, RnnlabError, type FloatArray } from '../core/tensor';
import { trainableRanges, type RnnModel } from '../core/model';
import { applyConnectivity } from '../core/constraints';
import { paramOffsets, PARAM_NAMES } from '../core/config';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { max, min, pow, sqrt } = Math;

export type AdamConvention = 'pytorch' | 'keras';

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Inverse-time learning-rate decay per update (Keras `decay`). */
  decay: number;
  convention: AdamConvention;
}

/** The paper's optimiser: Keras 2.0.6 Adam(lr=1e-4, decay=1e-4). */
export const ADAM_DEFAULTS: Readonly<AdamConfig> = Object.freeze({
  lr: 1e-4,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  decay: 1e-4,
  convention: 'keras',
});

export interface AdamState {
  step: number;
  m: FloatArray;
  v: FloatArray;
}

export function validateAdamConfig(raw: Partial<AdamConfig>): AdamConfig {
  const c: AdamConfig = { ...ADAM_DEFAULTS, ...raw };
  const pos = (k: keyof AdamConfig, v: unknown, ok: boolean) => {
    if (!ok) throw new RnnlabError(`adam.${k} is out of range: ${JSON.stringify(v)}`);
  };
  pos('lr', c.lr, typeof c.lr === 'number' && c.lr > 0 && Number.isFinite(c.lr));
  pos('beta1', c.beta1, typeof c.beta1 === 'number' && c.beta1 >= 0 && c.beta1 < 1);
  pos('beta2', c.beta2, typeof c.beta2 === 'number' && c.beta2 >= 0 && c.beta2 < 1);
  pos('eps', c.eps, typeof c.eps === 'number' && c.eps >= 0 && Number.isFinite(c.eps));
  pos('decay', c.decay, typeof c.decay === 'number' && c.decay >= 0 && Number.isFinite(c.decay));
  if (c.convention !== 'pytorch' && c.convention !== 'keras')
    throw new RnnlabError(`adam.convention must be "pytorch" or "keras", got ${JSON.stringify(c.convention)}`);
  return c;
}

export function createAdamState(model: RnnModel): AdamState {
  const n = model.params.flat.length;
  return { step: 0, m: allocate(model.config.dtype, n), v: allocate(model.config.dtype, n) };
}

/** One Adam update of the trainable parameters of `model` from `grads` (the flat gradient buffer). */
export function adamStep(model: RnnModel, grads: FloatArray, state: AdamState, cfg: AdamConfig): void {
  const s = ++state.step;
  const lr = cfg.lr / (1 + cfg.decay * (s - 1));
  const { beta1: b1, beta2: b2, eps } = cfg;
  const bc1 = 1 - pow(b1, s);
  const bc2 = 1 - pow(b2, s);
  const p = model.params.flat,
    m = state.m,
    v = state.v;
  const keras = cfg.convention === 'keras';
  const stepSize = keras ? (lr * sqrt(bc2)) / bc1 : lr / bc1;
  const sqrtBc2 = sqrt(bc2);
  // Frozen entries (trainable mask 0) are skipped, so they keep their values bit for bit (with eps = 0 an update of
  // 0/0 would be NaN) and their moments stay zero.
  const train = flatTrainMask(model);
  for (const [start, end] of trainableRanges(model.config)) {
    for (let i = start; i < end; i++) {
      if (train && train[i] === 0) continue;
      const g = grads[i];
      m[i] = b1 * m[i] + (1 - b1) * g; // first moment
      v[i] = b2 * v[i] + (1 - b2) * g * g; // second moment
      const denom = keras ? sqrt(v[i]) + eps : sqrt(v[i]) / sqrtBc2 + eps;
      p[i] -= (stepSize * m[i]) / denom;
    }
  }
  // Masked connections stay exactly zero (their gradient is already zero, so m and v are too).
  applyConnectivity(model);
  // A learnt α stays in (0, 1] (conventions section 5): clipped after each step, at 1e-6 from below.
  if (model.config.trainAlpha) {
    const a = model.params.alpha;
    for (let i = 0; i < a.length; i++) a[i] = min(1, max(ALPHA_MIN, a[i]));
  }
}

/** The smallest α a learnt time constant may reach (τ = 10⁶ dt): α = 0 would freeze a unit for ever. */
const ALPHA_MIN = 1e-6;

/** The trainable masks as one flat array over the parameter buffer (1 = trained), cached per mask object. */
const flatMasks = new WeakMap<object, Uint8Array>();
function flatTrainMask(model: RnnModel): Uint8Array | null {
  const masks = model.trainMask;
  if (!masks) return null;
  let flat = flatMasks.get(masks);
  if (!flat || flat.length !== model.params.flat.length) {
    flat = new Uint8Array(model.params.flat.length).fill(1);
    const offs = paramOffsets(model.config);
    for (const name of PARAM_NAMES) {
      const m = masks[name];
      if (m) flat.set(m, offs[name][0]);
    }
    flatMasks.set(masks, flat);
  }
  return flat;
}
/** Euclidean norm of the gradient over the trainable ranges. */
export function gradNorm(model: RnnModel, grads: FloatArray): number {
  let ss = 0;
  for (const [start, end] of trainableRanges(model.config)) for (let i = start; i < end; i++) ss += grads[i] * grads[i];
  return sqrt(ss);
}

/** Rescale the gradient so that its norm is at most maxNorm (no-op for maxNorm ≤ 0). Returns the norm before. */
export function clipGradNorm(model: RnnModel, grads: FloatArray, maxNorm: number): number {
  const norm = gradNorm(model, grads);
  if (maxNorm > 0 && norm > maxNorm) {
    const s = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i] *= s;
  }
  return norm;
}
