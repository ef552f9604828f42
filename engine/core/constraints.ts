/**
 * Biological constraints as effective weights (docs/model-conventions.md section 2, PsychRNN's
 * murraylab/PsychRNN psychrnn/backend/rnn.py get_effective_W_*):
 *
 *   without Dale's law   W* = W ⊙ M
 *   with Dale's law      W_rec* = (|W_rec| ⊙ M_rec) · D     d_j = +1 for j < n_E, −1 after (column = presynaptic)
 *                        W_in*  =  |W_in|  ⊙ M_in
 *                        W_out* = (|W_out| ⊙ M_out) · D_out  e_j = 1 for j < n_E, 0 after
 *
 * Backward (chain to the raw parameters W, as PyTorch's autograd does: d|w|/dw = sign(w), 0 at w = 0):
 *
 *   dW_rec[i][j] = dW_rec*[i][j] · M_rec[i][j] · d_j · sign(W_rec[i][j])      (and likewise for W_in, W_out)
 *   dX          ← dX ⊙ T_X                                                    per-element trainable masks
 *
 * The raw entries a mask removes are kept at zero (as the recurrent mask always was), so without Dale's law W* is
 * the raw W itself and the network runs on the model's own buffer; only Dale's law needs a copy (stepModel).
 */
import { PARAM_NAMES, type ParamName, type ParamSet, type RnnConfig } from './config';
import { RnnlabError, type FloatArray } from './tensor';

/** Per-element trainable masks (1 = trained, 0 = frozen), PsychRNN's fixed_weights inverted. */
export type TrainMasks = Partial<Record<ParamName, Uint8Array>>;

/**
 * A model: its configuration, its parameters, and its masks (null or absent = all ones). Declared here, where the
 * masks are applied; engine/core/model.ts names it RnnModel.
 */
export interface MaskedModel {
  readonly config: RnnConfig;
  readonly params: ParamSet;
  /**
   * Fixed connectivity mask for W_rec ([N_rec][N_rec], 1 = connection exists), or null for full connectivity.
   * Masked weights are zero and stay zero: their gradient is zeroed before every update.
   */
  recMask: Uint8Array | null;
  /** Connectivity masks for W_in [N][I] and W_out [O][N], kept like recMask; absent or null: full connectivity. */
  inMask?: Uint8Array | null;
  outMask?: Uint8Array | null;
  /** Per-element trainable masks (0 = frozen: the entry keeps its value bit for bit); absent or null: all trained. */
  trainMask?: TrainMasks | null;
}

/** n_E, truncated as PsychRNN's int(dale_ratio · N_rec); N when Dale's law is off (every unit counts as E). */
export function excitatoryCount(c: Pick<RnnConfig, 'daleRatio' | 'nRec'>): number {
  return c.daleRatio === null ? c.nRec : Math.floor(c.daleRatio * c.nRec);
}

/** The sign d_j of every unit's outgoing weights: +1 (E) or −1 (I); all +1 without Dale's law. */
export function unitSigns(c: Pick<RnnConfig, 'daleRatio' | 'nRec'>): Float64Array {
  const nE = excitatoryCount(c);
  return Float64Array.from({ length: c.nRec }, (_, j) => (j < nE ? 1 : -1));
}

/** Whether the network must run on a copy of its weights (Dale's law); otherwise W* is the raw W. */
export function needsEffectiveCopy(c: RnnConfig): boolean {
  return c.daleRatio !== null;
}

/** Fill `eff` (the model's layout) with the effective parameters: W* for the three matrices, the rest copied. */
export function effectiveParamsInto(eff: ParamSet, model: MaskedModel): void {
  const c = model.config,
    p = model.params;
  eff.flat.set(p.flat);
  if (c.daleRatio === null) return; // masked raw entries are zero already: W ⊙ M = W
  const N = c.nRec,
    nE = excitatoryCount(c);
  for (let i = 0; i < eff.W_in.length; i++) eff.W_in[i] = Math.abs(p.W_in[i]);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++)
      eff.W_rec[i * N + j] = j < nE ? Math.abs(p.W_rec[i * N + j]) : 0 - Math.abs(p.W_rec[i * N + j]); // +0, not −0
  for (let o = 0; o < c.nOut; o++)
    for (let j = 0; j < N; j++) eff.W_out[o * N + j] = j < nE ? Math.abs(p.W_out[o * N + j]) : 0;
}

const sign = (w: number) => (w > 0 ? 1 : w < 0 ? -1 : 0);

/**
 * Turn gradients with respect to the effective parameters (in `grads`, the model's layout) into gradients with
 * respect to the raw parameters, in place: through |·| and D under Dale's law, then the connectivity masks, then the
 * trainable masks.
 */
export function chainToRaw(grads: ParamSet, model: MaskedModel): void {
  const c = model.config,
    p = model.params;
  if (c.daleRatio !== null) {
    const N = c.nRec,
      nE = excitatoryCount(c);
    for (let i = 0; i < grads.W_in.length; i++) grads.W_in[i] *= sign(p.W_in[i]);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) grads.W_rec[i * N + j] *= (j < nE ? 1 : -1) * sign(p.W_rec[i * N + j]);
    for (let o = 0; o < c.nOut; o++)
      for (let j = 0; j < N; j++) grads.W_out[o * N + j] *= j < nE ? sign(p.W_out[o * N + j]) : 0;
  }
  zeroWhereMasked(grads.W_in, model.inMask ?? null);
  zeroWhereMasked(grads.W_rec, model.recMask);
  zeroWhereMasked(grads.W_out, model.outMask ?? null);
  const train = model.trainMask;
  if (train) for (const name of PARAM_NAMES) zeroWhereMasked(grads[name], train[name] ?? null);
}

/** a[i] = 0 wherever mask[i] = 0 (no-op without a mask). */
function zeroWhereMasked(a: FloatArray, mask: Uint8Array | null): void {
  if (!mask) return;
  for (let i = 0; i < a.length; i++) if (mask[i] === 0) a[i] = 0;
}

/** Zero the raw entries the connectivity masks remove (after anything that writes the weights: init, Adam). */
export function applyConnectivity(model: MaskedModel): void {
  zeroWhereMasked(model.params.W_in, model.inMask ?? null);
  zeroWhereMasked(model.params.W_rec, model.recMask);
  zeroWhereMasked(model.params.W_out, model.outMask ?? null);
}

/** A checked 0/1 mask of `length` entries, as a Uint8Array; `what` names it in the error. */
export function checkedMask(mask: ArrayLike<number>, length: number, what: string, shape: string): Uint8Array {
  if (!mask || typeof mask.length !== 'number')
    throw new RnnlabError(`${what} must be an array of 0 and 1 of shape ${shape}`);
  if (mask.length !== length)
    throw new RnnlabError(`${what} has ${mask.length} entries, but its shape ${shape} needs ${length}`);
  const m = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = mask[i];
    if (v !== 0 && v !== 1) throw new RnnlabError(`${what} must hold only 0 and 1, found ${String(v)} at ${i}`);
    m[i] = v;
  }
  return m;
}

/** Effective weights as fresh float64 arrays: what the network computes with (analyses read these). */
export interface EffectiveWeights {
  W_in: Float64Array;
  W_rec: Float64Array;
  W_out: Float64Array;
}
