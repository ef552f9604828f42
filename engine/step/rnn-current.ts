/**
 * The current formulation (PsychRNN `Basic`, murraylab/PsychRNN psychrnn/backend/models/basic.py and
 * simulation.py BasicSimulator.rnn_step; pycog): the state is the input current s, the rate is q = f(s).
 * Forward and backward side by side; W are the effective weights W*, α one value per unit (or a scalar).
 *
 * Forward:
 *   u_t = W_rec q_{t-1} + W_in x_t + b                    q_{-1} = f(s_{-1}), s_{-1} = h0 (PsychRNN init_state)
 *   s_t = (1 − α) ⊙ s_{t-1} + α ⊙ u_t + √(2α) ⊙ ξ_t        ξ_t ~ N(0, noiseStd²)
 *   q_t = f(s_t),    a_t = W_out q_t + b_out               (the logits; y_t = g(a_t))
 *
 * Backward, with G_t = dL/ds_t (total) and δ_t = α ⊙ G_t = dL/du_t:
 *   dL/dq_t = W_outᵀ da_t + 2λ q_t / (B·T·N) + W_recᵀ δ_{t+1}          (δ_T = 0; λ = l2Rate)
 *   G_t     = f′(s_t) ⊙ dL/dq_t + (1 − α) ⊙ G_{t+1}                    f′ read from q_t (activation.ts)
 *   dW_rec  = Σ_t δ_t q_{t-1}ᵀ     dW_in = Σ_t δ_t x_tᵀ     db = Σ_t δ_t
 *   dW_out  = Σ_t da_t q_tᵀ        db_out = Σ_t da_t
 *   dh0     = Σ_b [f′(s_{-1}) ⊙ W_recᵀ δ_0 + (1 − α) ⊙ G_0]
 *   dα_i    = Σ_{t,b} G_t,i (u_t,i − s_{t-1},i + ξ_t,i / √(2α_i))     (per-unit α only)
 *
 * Workspace: h [T+1][B][N] holds s (h[0] = s_{-1}), q [T+1][B][N] the rates, r [T][B][N] the u_t; the two carries
 * are W_recᵀ δ_{t+1} (carry) and (1 − α) G_{t+1} (carryS).
 */
import { activate, activationSlope } from '../core/activation';
import type { Backend } from './backend';
import type { RnnModel } from '../core/model';
import type { ParamSet } from '../core/config';
import { inputProjection, readout, readoutBack, recurrentBack, recurrentStep, weightGrad } from './products';
import type { RnnWorkspace } from './workspace';
import { addOutputBias, addRateGradient } from './terms';

/** α_i: the per-unit vector, or the scalar for every unit. */
const alphaOf = (model: RnnModel, i: number) =>
  model.config.perUnitAlpha ? model.params.alpha[i] : model.config.alpha;

/** The forward pass of the current formulation (rnnForward calls it after prepareForward: noise, h[0], W_rec). */
export function currentForward(model: RnnModel, ws: RnnWorkspace, backend: Backend): void {
  const { nIn: I, nRec: N, nOut: O, activation } = model.config;
  const { B, T } = ws;
  const BN = B * N,
    p = model.params;
  const s = ws.h_T1xBxN,
    u = ws.r_TxBxN,
    q = ws.q_T1xBxN!,
    noise = ws.noise_TxBxN;
  for (let k = 0; k < BN; k++) q[k] = activate(activation, s[k]);
  // u_t ← W_in x_t for every t at once
  inputProjection(backend.gemm, u, 0, ws.x_TxBxI, p.W_in, T * B, N, I);
  for (let t = 0; t < T; t++) {
    const prev = t * BN,
      next = prev + BN;
    // u_t += q_{t-1} W_recᵀ
    recurrentStep(backend.gemm, u, prev, q, prev, ws.wRecT_NxN, B, N);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        const k = b * N + i,
          a = alphaOf(model, i);
        const ut = u[prev + k] + p.b[i];
        u[prev + k] = ut;
        let st = (1 - a) * s[prev + k] + a * ut;
        if (noise) st += Math.sqrt(2 * a) * noise[prev + k];
        s[next + k] = st;
        q[next + k] = activate(activation, st);
      }
    }
  }
  // a = q[1..T] W_outᵀ + b_out
  readout(backend.gemm, ws.y_TxBxO, q, BN, p.W_out, T * B, O, N);
  addOutputBias(ws, p.b_out, O);
}

/** BPTT of the current formulation; accumulates (+=) into `grads`, like rnnBackward. */
export function currentBackward(model: RnnModel, ws: RnnWorkspace, grads: ParamSet, backend: Backend): void {
  const { nIn: I, nRec: N, nOut: O, activation } = model.config;
  const { B, T } = ws;
  const TB = T * B,
    BN = B * N;
  const q = ws.q_T1xBxN!,
    dy = ws.dy_TxBxO,
    delta = ws.delta_TxBxN,
    carry = ws.carry_BxN,
    carryS = ws.carryS_BxN!;
  // dW_out += Σ_t da_t q_tᵀ;  db_out += Σ_t da_t
  weightGrad(backend.gemm, grads.W_out, dy, q, BN, O, N, TB);
  for (let tb = 0; tb < TB; tb++) for (let o = 0; o < O; o++) grads.b_out[o] += dy[tb * O + o];
  // dL/dq_t, readout and rate-regulariser parts, for all t at once (δ holds them until the loop turns them into δ)
  readoutBack(backend.gemm, delta, dy, model.params.W_out, TB, N, O);
  addRateGradient(ws, q, BN, model.config.regularizers.l2Rate, backend.fused);
  carry.fill(0, 0, BN);
  carryS.fill(0, 0, BN);
  for (let t = T - 1; t >= 0; t--) {
    currentBackStep(model, ws, grads, t);
    // carry ← W_recᵀ δ_t: the recurrent part of dL/dq_{t-1}
    carry.fill(0, 0, BN);
    recurrentBack(backend.gemm, carry, delta, t * BN, ws.wRec_NxN, B, N);
  }
  // dh0 = Σ_b [f′(s_{-1}) ⊙ carry + carryS]
  for (let b = 0; b < B; b++)
    for (let j = 0; j < N; j++)
      grads.h0[j] += activationSlope(activation, q[b * N + j]) * carry[b * N + j] + carryS[b * N + j];
  // dW_rec += Σ_t δ_t q_{t-1}ᵀ    (q[0..T-1])
  weightGrad(backend.gemm, grads.W_rec, delta, q, 0, N, N, TB);
  // dW_in += Σ_t δ_t x_tᵀ, transposed as in rnnBackward (the carry's memory is free now)
  const dWinT = ws.dWinT_IxN;
  weightGrad(backend.gemm, dWinT, ws.x_TxBxI, delta, 0, I, N, TB, false);
  for (let i = 0; i < N; i++) for (let k = 0; k < I; k++) grads.W_in[i * I + k] += dWinT[k * N + i];
  weightGrad(backend.gemm, grads.b, ws.ones_TB, delta, 0, 1, N, TB);
}

/** Step t of currentBackward: G_t from dL/dq_t and carryS, dα, then δ_t = α G_t and carryS = (1 − α) G_t. */
function currentBackStep(model: RnnModel, ws: RnnWorkspace, grads: ParamSet, t: number): void {
  const { nRec: N, activation, perUnitAlpha } = model.config;
  const BN = ws.B * N,
    dt = t * BN;
  const s = ws.h_T1xBxN,
    u = ws.r_TxBxN,
    q = ws.q_T1xBxN!,
    noise = ws.noise_TxBxN;
  const delta = ws.delta_TxBxN,
    carry = ws.carry_BxN,
    carryS = ws.carryS_BxN!;
  for (let b = 0; b < ws.B; b++) {
    for (let i = 0; i < N; i++) {
      const k = b * N + i,
        a = alphaOf(model, i);
      const G = activationSlope(activation, q[dt + BN + k]) * (delta[dt + k] + carry[k]) + carryS[k];
      if (perUnitAlpha) {
        let ds = u[dt + k] - s[dt + k];
        if (noise) ds += noise[dt + k] / Math.sqrt(2 * a);
        grads.alpha[i] += G * ds;
      }
      delta[dt + k] = a * G;
      carryS[k] = (1 - a) * G;
    }
  }
}
