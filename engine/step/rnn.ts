/**
 * RNN forward pass and hand-written backpropagation through time, side by side.
 *
 * The rate formulation (the paper's; the current formulation is rnn-current.ts). W are the effective weights W*
 * (engine/core/constraints.ts maps their gradients back to the raw parameters); α is a scalar or one per unit.
 *
 * Forward (column-vector form, per trial; engine/core/model.ts):
 *   z_t = W_rec h_{t-1} + W_in x_t + b + ξ_t,     r_t = f(z_t),     h_t = (1 − α) ⊙ h_{t-1} + α ⊙ r_t,
 *   a_t = W_out h_t + b_out   (the logits; y_t = g(a_t), loss.ts)
 *
 * Backward, with g_t = dL/dh_t (total) and δ_t = dL/dz_t:
 *   g_t     = W_outᵀ da_t + 2λ h_t / (B·T·N) + (1 − α) ⊙ g_{t+1} + W_recᵀ δ_{t+1}   (g_T, δ_T zero; λ = l2Rate)
 *   δ_t     = α ⊙ f′(z_t) ⊙ g_t        f′ read from r_t: tanh 1 − r², relu [r > 0], softplus 1 − e^(−r)
 *   dW_rec  = Σ_t δ_t h_{t-1}ᵀ     dW_in = Σ_t δ_t x_tᵀ     db = Σ_t δ_t
 *   dW_out  = Σ_t da_t h_tᵀ        db_out = Σ_t da_t
 *   dh0     = Σ_b g_{-1}[b]        (one initial state shared by the batch)
 *   dα_i    = Σ_{t,b} g_t,i (r_t,i − h_{t-1},i)     (per-unit α only)
 *
 * Storage is time-major so that one time step of the whole batch is a contiguous B×N matrix:
 *   h [T+1][B][N] (h[0] = h0, h[t+1] = state after x_t), r [T][B][N], x [T][B][I], y / dy [T][B][O], δ [T][B][N].
 * The batch is a row dimension of every product: the recurrent step is one (B×N)·(N×N)ᵀ product accumulated onto
 * the input term, which is computed for all T·B rows in one product before the time loop; each weight gradient is
 * a single product over all T·B rows after it (llm.c style), db included (1ᵀδ). With α = 1, r aliases h[1..].
 *
 * Nothing here allocates: the workspace (engine/step/workspace.ts) is created once per (max batch, max steps) and
 * reused.
 */
import { activate, activationSlope } from '../core/activation';
import type { Backend } from './backend';
import { maskRecGradient, type RnnModel } from '../core/model';
import { type ParamSet } from '../core/config';
import type { Rng } from '../core/random';
import { RnnlabError, type FloatArray } from '../core/tensor';
import { inputProjection, readout, readoutBack, recurrentBack, recurrentStep, weightGrad } from './products';
import { rOffset, type RnnWorkspace } from './workspace';
import { currentBackward, currentForward } from './rnn-current';
import { addOutputBias, addRateGradient } from './terms';

// ---------------------------------------------------------------------------------------------------------------
// Forward

/** Draw fresh recurrent noise ξ for the loaded batch into ws.noise (when the model has noise), in one fixed order. */
export function drawRecurrentNoise(ws: RnnWorkspace, noiseStd: number, rng: Rng): void {
  const noise = ws.noise_TxBxN;
  if (!noise) return;
  for (let i = 0; i < ws.T * ws.B * ws.nRec; i++) noise[i] = noiseStd * rng.normal();
}

/**
 * What every forward pass sets up in the workspace before its time loop: fresh noise (with an `rng`), h[0] = h0 for
 * every trial, and W_rec as the pass reads it, W_recᵀ for the forward product and W_rec itself for the backward one.
 * rnnForward calls it; so does a backend's whole-minibatch path that skips rnnForward (kernels/gpujs-fused.ts).
 */
export function prepareForward(model: RnnModel, ws: RnnWorkspace, rng: Rng | null): void {
  const N = model.config.nRec,
    p = model.params;
  if (ws.formulation !== model.config.formulation || ws.readout !== model.config.readout)
    throw new RnnlabError("this workspace was made for another formulation or readout than the model's");
  if (rng) drawRecurrentNoise(ws, model.config.noiseStd, rng);
  for (let b = 0; b < ws.B; b++) ws.h_T1xBxN.set(p.h0, b * N);
  ws.wRec_NxN.set(p.W_rec);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) ws.wRecT_NxN[j * N + i] = p.W_rec[i * N + j];
}

/**
 * Run the network over the loaded batch. Fills h, r and y.
 * Recurrent noise (config.noiseStd > 0): with an `rng`, fresh noise is drawn for this pass; with `rng = null` the
 * noise already in the workspace is reused, which freezes it (gradient audits, finite differences).
 */
export function rnnForward(model: RnnModel, ws: RnnWorkspace, backend: Backend, rng: Rng | null = null): void {
  const { nIn: I, nRec: N, nOut: O, alpha: a, activation } = model.config;
  const { B, T } = ws;
  const p = model.params;
  const h = ws.h_T1xBxN,
    r = ws.r_TxBxN,
    x = ws.x_TxBxI,
    noise = ws.noise_TxBxN;
  const BN = B * N;
  prepareForward(model, ws, rng);
  if (model.config.formulation === 'current') return currentForward(model, ws, backend);
  const wRecT = ws.wRecT_NxN;
  // A backend that runs the whole pass as one unit (gpu.js pipelines) fills h, r and y itself.
  if (backend.forwardPass?.(model, ws)) return;
  // z_t ← W_in x_t for every t at once      (T·B×I)·(I×N), W_in stored [N][I] → r. One product instead of an
  // input term inside every step: the step then only accumulates the recurrent product onto it (β = 1).
  inputProjection(backend.gemm, r, rOffset(ws, 0), x, p.W_in, T * B, N, I);
  const perUnit = model.config.perUnitAlpha;
  const fused = activation === 'tanh' && !perUnit ? backend.fused : undefined;
  for (let t = 0; t < T; t++) {
    const hPrev = t * BN,
      hNext = hPrev + BN,
      rt = rOffset(ws, t);
    // z_t += h_{t-1} W_recᵀ                 (B×N)·(N×N), with W_recᵀ stored
    recurrentStep(backend.gemm, r, rt, h, hPrev, wRecT, B, N);
    if (fused?.tanhForward(ws, p, t, a)) continue;
    if (perUnit) {
      leakyStepPerUnit(ws, p, t, activation);
      continue;
    }
    // z_t += b + ξ_t;  r_t = f(z_t);  h_t = (1 − α) h_{t-1} + α r_t
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        let z = r[rt + b * N + i] + p.b[i];
        if (noise) z += noise[t * BN + b * N + i];
        const ri = activate(activation, z);
        r[rt + b * N + i] = ri;
        if (!ws.rAliasesH) h[hNext + b * N + i] = (1 - a) * h[hPrev + b * N + i] + a * ri;
      }
    }
  }
  // y = h[1..T] W_outᵀ + b_out              (T·B×N)·(N×O)
  readout(backend.gemm, ws.y_TxBxO, h, BN, p.W_out, T * B, O, N);
  addOutputBias(ws, p.b_out, O);
}

/** The element-wise part of rnnForward's step t with one α per unit: z += b + ξ;  r = f(z);  h = (1 − α) h + α r. */
function leakyStepPerUnit(ws: RnnWorkspace, p: ParamSet, t: number, activation: RnnModel['config']['activation']) {
  const { B, nRec: N } = ws;
  const BN = B * N,
    rt = rOffset(ws, t),
    hPrev = t * BN,
    hNext = hPrev + BN;
  const r = ws.r_TxBxN,
    h = ws.h_T1xBxN,
    noise = ws.noise_TxBxN,
    alpha = p.alpha;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < N; i++) {
      let z = r[rt + b * N + i] + p.b[i];
      if (noise) z += noise[t * BN + b * N + i];
      const ri = activate(activation, z);
      r[rt + b * N + i] = ri;
      h[hNext + b * N + i] = (1 - alpha[i]) * h[hPrev + b * N + i] + alpha[i] * ri;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backward

/**
 * BPTT for the loaded batch. Needs rnnForward's h, r and the loss gradient in ws.dy (maskedMseBackward).
 * Accumulates (+=) into `grads`, which has the model's parameter layout; zero it first for a fresh gradient.
 * Gradients are computed for every parameter, trainable or not (the optimiser decides what to update); the entries
 * of dW_rec outside a connectivity mask are zeroed.
 */
export function rnnBackward(model: RnnModel, ws: RnnWorkspace, grads: ParamSet, backend: Backend): void {
  // (W_rec is read from ws.wRec_NxN, the copy made by the forward pass this backward pass belongs to.)
  const { nIn: I, nRec: N, nOut: O, alpha: a, activation } = model.config;
  if (model.config.formulation === 'current') return currentBackward(model, ws, grads, backend);
  const { B, T } = ws;
  const TB = T * B,
    BN = B * N;
  const p = model.params;
  const h = ws.h_T1xBxN,
    r = ws.r_TxBxN,
    dy = ws.dy_TxBxO,
    delta = ws.delta_TxBxN,
    carry = ws.carry_BxN;

  // dW_out += Σ_t dy_t h_tᵀ                 (O×TB)·(TB×N)
  weightGrad(backend.gemm, grads.W_out, dy, h, BN, O, N, TB);
  // db_out += Σ_t dy_t
  for (let tb = 0; tb < TB; tb++) for (let o = 0; o < O; o++) grads.b_out[o] += dy[tb * O + o];

  // readout part of g_t, for all t at once: δ_t ← W_outᵀ dy_t      (TB×O)·(O×N)
  readoutBack(backend.gemm, delta, dy, p.W_out, TB, N, O);
  addRateGradient(ws, h, BN, model.config.regularizers.l2Rate, backend.fused);

  const perUnit = model.config.perUnitAlpha;
  const fused = activation === 'tanh' && !perUnit ? backend.fused : undefined;
  carry.fill(0, 0, BN); // (1 − α) g_{t+1} + W_recᵀ δ_{t+1}, zero at t = T−1
  for (let t = T - 1; t >= 0; t--) {
    const dt = t * BN,
      rt = rOffset(ws, t);
    // g_t = (readout part) + carry;   carry ← (1 − α) g_t;   δ_t = α f′(z_t) ⊙ g_t
    if (perUnit) leakyBackPerUnit(ws, p.alpha, grads.alpha, t, activation);
    else if (!fused?.tanhBackward(ws, t, a)) {
      for (let i = 0; i < BN; i++) {
        const g = delta[dt + i] + carry[i];
        carry[i] = (1 - a) * g;
        delta[dt + i] = a * activationSlope(activation, r[rt + i]) * g;
      }
    }
    // carry += W_recᵀ δ_t, i.e. (B×N)·(N×N) with rows δ_t[b]: carry[b][j] += Σ_i δ_t[b][i] W_rec[i][j]
    recurrentBack(backend.gemm, carry, delta, dt, ws.wRec_NxN, B, N);
  }
  // dh0 += Σ_b g_{-1}[b]
  for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) grads.h0[j] += carry[b * N + j];

  // dW_rec += Σ_t δ_t h_{t-1}ᵀ             (N×TB)·(TB×N), h[0..T-1] are the h_{t-1}
  weightGrad(backend.gemm, grads.W_rec, delta, h, 0, N, N, TB);
  // dW_in += Σ_t δ_t x_tᵀ, computed transposed, (I×TB)·(TB×N), so that the long side (N) is the product's width
  const dWinT = ws.dWinT_IxN; // the carry's memory, free now that dh0 is done
  weightGrad(backend.gemm, dWinT, ws.x_TxBxI, delta, 0, I, N, TB, false);
  for (let i = 0; i < N; i++) for (let k = 0; k < I; k++) grads.W_in[i * I + k] += dWinT[k * N + i];
  // db += Σ_t δ_t, as the product 1ᵀ δ     (1×TB)·(TB×N), so that it runs in the backend's kernel
  weightGrad(backend.gemm, grads.b, ws.ones_TB, delta, 0, 1, N, TB);

  maskRecGradient(model, grads);
}

/** rnnBackward's element-wise step t with one α per unit, accumulating dα_i += g (r_t − h_{t-1}). */
function leakyBackPerUnit(
  ws: RnnWorkspace,
  alpha: ArrayLike<number>,
  dAlpha: FloatArray,
  t: number,
  activation: RnnModel['config']['activation'],
) {
  const { B, nRec: N } = ws;
  const BN = B * N,
    dt = t * BN,
    rt = rOffset(ws, t);
  const delta = ws.delta_TxBxN,
    carry = ws.carry_BxN,
    r = ws.r_TxBxN,
    h = ws.h_T1xBxN;
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < N; i++) {
      const k = b * N + i;
      const g = delta[dt + k] + carry[k];
      dAlpha[i] += g * (r[rt + k] - h[dt + k]);
      carry[k] = (1 - alpha[i]) * g;
      delta[dt + k] = alpha[i] * activationSlope(activation, r[rt + k]) * g;
    }
  }
}
