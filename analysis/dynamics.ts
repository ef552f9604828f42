/**
 * Dynamics of a trained network beyond its spectrum (paper-spec §4.2 "diversity of solutions"):
 *
 * - Free runs: each trial type is simulated, then the network runs on with zero input; the late state is classified
 *   as a fixed point, a sustained oscillation (with its mean period) or chaos (see freeRun).
 * - Fixed points (Sussillo & Barak 2013): minimise q(h) = ½‖F(h) − h‖² for the zero-input map, with the analytic
 *   gradient ∇q = (J − I)ᵀ (F(h) − h), from initial states sampled on trajectories; the Jacobian's eigenvalues at
 *   each fixed point tell whether it is stable (all |λ| < 1 for the discrete map). α is one value per unit (a scalar
 *   model repeats it), W the effective weights (engine effectiveModel):
 *     rate       F(h) = (1 − α) ⊙ h + α ⊙ f(W h + b)          J = diag(1 − α) + diag(α ⊙ f′(z)) W
 *     current    F(s) = (1 − α) ⊙ s + α ⊙ (W f(s) + b)        J = diag(1 − α) + diag(α) W diag(f′(s))
 *   f is the model's own activation and f′ is read from r = f(z) (engine/core/activation.ts), for tanh, relu and
 * softplus.
 */
import { alphaVector, effectiveModel, referenceBackend, Rng, type RnnModel, type Trials } from '@rnnlab/engine';
import {
  activate,
  activationSlope,
  createWorkspace,
  loadTrials,
  readHidden,
  applyReadout,
  readOutputs,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { eigenvalues, type Complex } from './linalg';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, hypot, log, max, sqrt } = Math;

export type LateBehaviour = 'fixed-point' | 'oscillation' | 'chaotic';

export interface FreeRunResult {
  behaviour: LateBehaviour;
  /**
   * Mean period in steps of a sustained oscillation (from mean-crossings of its most active unit; need not be whole).
   */
  period: number | null;
  /**
   * Largest Lyapunov exponent per step over the window: < 0 at a fixed point or a phase-locked cycle, ≈ 0 on an
   * invariant circle, > 0 chaos.
   */
  lyapunov: number;
  /** Largest per-unit standard deviation over the window. */
  maxUnitStd: number;
  /** Output at the last step. */
  finalOutput: number;
  /** Mean output over the window (a cycle the readout ignores has mean ≈ baseline). */
  meanOutput: number;
}

export interface FreeRunOptions {
  extraSteps: number;
  window: number;
  fpTol: number;
  chaosTol: number;
}
export const FREE_RUN_DEFAULTS: Readonly<FreeRunOptions> = Object.freeze({
  extraSteps: 3000,
  window: 500,
  fpTol: 1e-3,
  chaosTol: 2e-3,
});

/**
 * Extend each trial with `extraSteps` of zero input, run the float64 network, and classify the last `window` steps:
 * a fixed point when every unit's standard deviation is below `fpTol` (the criterion of paper-spec §4.2); otherwise
 * by the largest Lyapunov exponent along the trajectory (a tangent vector propagated by the Jacobian of the
 * zero-input map and renormalised each step): above `chaosTol` chaotic, else a sustained oscillation (a limit cycle
 * or, when its period is not a whole number of steps, an invariant circle of the discrete map).
 */
export function freeRun(model: RnnModel, trials: Trials, options: Partial<FreeRunOptions> = {}): FreeRunResult[] {
  const o = { ...FREE_RUN_DEFAULTS, ...options };
  const m = effectiveModel(model); // float64, W* as its own weights
  const { nTrials: B, nSteps: T, nIn: I, nOut: O } = trials;
  const T2 = T + o.extraSteps;
  const ext: Trials = {
    nTrials: B,
    nSteps: T2,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * T2 * I),
    targets: new Float64Array(B * T2 * O),
    mask: new Float64Array(B * T2).fill(1),
  };
  for (let b = 0; b < B; b++) ext.inputs.set(trials.inputs.subarray(b * T * I, (b + 1) * T * I), b * T2 * I);
  const ws = createWorkspace(m.config, B, T2);
  loadTrials(ws, ext);
  rnnForward(m, ws, referenceBackend);
  const h = readHidden(ws);
  const outputs = readOutputs(ws); // g(a): probabilities for sigmoid and softmax readouts
  const N = m.config.nRec;
  const out: FreeRunResult[] = [];
  for (let b = 0; b < B; b++) {
    const at = (t: number, i: number) => h[(b * T2 + t) * N + i];
    const y = (t: number) => outputs[(b * T2 + t) * O];
    const t0 = T2 - o.window;
    let maxStd = 0,
      active = 0,
      activeMean = 0;
    for (let i = 0; i < N; i++) {
      let s = 0,
        ss = 0;
      for (let t = t0; t < T2; t++) {
        s += at(t, i);
        ss += at(t, i) ** 2;
      }
      const mean = s / o.window;
      const sd = sqrt(max(ss / o.window - mean * mean, 0));
      if (sd > maxStd) {
        maxStd = sd;
        active = i;
        activeMean = mean;
      }
    }
    let meanY = 0;
    for (let t = t0; t < T2; t++) meanY += y(t) / o.window;
    const lyapunov = largestLyapunov(m, (t) => h.subarray((b * T2 + t) * N, (b * T2 + t + 1) * N), t0, T2);
    let behaviour: LateBehaviour,
      period: number | null = null;
    if (maxStd < o.fpTol) behaviour = 'fixed-point';
    else {
      behaviour = lyapunov > o.chaosTol ? 'chaotic' : 'oscillation';
      const ups: number[] = [];
      for (let t = t0 + 1; t < T2; t++) if (at(t - 1, active) < activeMean && at(t, active) >= activeMean) ups.push(t);
      if (ups.length >= 3) period = (ups[ups.length - 1] - ups[0]) / (ups.length - 1);
    }
    out.push({ behaviour, period, lyapunov, maxUnitStd: maxStd, finalOutput: y(T2 - 1), meanOutput: meanY });
  }
  return out;
}

/**
 * Mean log growth per step of a tangent vector under the Jacobians along states(t0) .. states(t1 − 1). The vector is
 * first aligned with the most expanding direction over the preceding t1 − t0 steps (not counted), which removes the
 * transient bias log(C)/window that a non-normal Jacobian would otherwise add.
 */
function largestLyapunov(model: RnnModel, state: (t: number) => Float64Array, t0: number, t1: number): number {
  const N = model.config.nRec;
  let v = new Float64Array(N).fill(1 / sqrt(N)),
    w = new Float64Array(N);
  let sum = 0;
  const burnIn = max(0, t0 - (t1 - t0));
  for (let t = burnIn; t < t1; t++) {
    const J = jacobian(model, state(t));
    let norm = 0;
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += J[i * N + j] * v[j];
      w[i] = s;
      norm += s * s;
    }
    norm = sqrt(norm);
    if (norm === 0) return -Infinity;
    if (t >= t0) sum += log(norm);
    for (let i = 0; i < N; i++) w[i] /= norm;
    [v, w] = [w, v];
  }
  return sum / (t1 - t0);
}

export interface FixedPoint {
  h: Float64Array;
  /** q at the end of the optimisation. */
  q: number;
  eigenvalues: Complex[];
  stable: boolean;
  /** Readout at the fixed point. */
  output: number;
}

export interface FixedPointOptions {
  starts: number;
  iterations: number;
  lr: number;
  qTol: number;
  uniqueTol: number;
  seed: number;
  noise: number;
}
export const FIXED_POINT_DEFAULTS: Readonly<FixedPointOptions> = Object.freeze({
  starts: 64,
  iterations: 3000,
  lr: 1e-2,
  qTol: 1e-10,
  uniqueTol: 1e-3,
  seed: 1,
  noise: 0.01,
});

/** q(h) and ∇q for the zero-input map, in place (h is the state: the rate, or the current s). */
export function speed(
  model: RnnModel,
  h: Float64Array,
  grad: Float64Array | null,
  scratch: { z: Float64Array; r: Float64Array; f: Float64Array },
): number {
  const { nRec: N, activation, formulation } = model.config;
  const a = alphaVector(model);
  const W = model.params.W_rec,
    b = model.params.b;
  const { z, r, f } = scratch;
  const current = formulation === 'current';
  if (current) for (let j = 0; j < N; j++) r[j] = activate(activation, h[j]); // r = f(s)
  for (let i = 0; i < N; i++) {
    let s = b[i];
    for (let j = 0; j < N; j++) s += W[i * N + j] * (current ? r[j] : h[j]);
    z[i] = s;
    if (!current) r[i] = activate(activation, s);
    f[i] = current ? a[i] * (s - h[i]) : (1 - a[i]) * h[i] + a[i] * r[i] - h[i]; // F(h) − h
  }
  let q = 0;
  for (let i = 0; i < N; i++) q += 0.5 * f[i] * f[i];
  if (grad) {
    // ∇q = (J − I)ᵀ f.  rate: J − I = −diag(α) + diag(α f′(z)) W;  current: −diag(α) + diag(α) W diag(f′(s))
    for (let j = 0; j < N; j++) grad[j] = -a[j] * f[j];
    for (let i = 0; i < N; i++) {
      const c = current ? a[i] * f[i] : a[i] * activationSlope(activation, r[i]) * f[i];
      for (let j = 0; j < N; j++) grad[j] += c * W[i * N + j] * (current ? activationSlope(activation, r[j]) : 1);
    }
  }
  return q;
}

/** J = ∂F/∂h at h for the model's formulation, α and activation (the formulas in this file's header). */
export function jacobian(model: RnnModel, h: Float64Array): Float64Array {
  const { nRec: N, activation, formulation } = model.config;
  const a = alphaVector(model);
  const W = model.params.W_rec,
    b = model.params.b;
  const J = new Float64Array(N * N);
  if (formulation === 'current') {
    const slope = Float64Array.from(h, (s) => activationSlope(activation, activate(activation, s)));
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) J[i * N + j] = a[i] * W[i * N + j] * slope[j] + (i === j ? 1 - a[i] : 0);
    return J;
  }
  for (let i = 0; i < N; i++) {
    let s = b[i];
    for (let j = 0; j < N; j++) s += W[i * N + j] * h[j];
    const d = a[i] * activationSlope(activation, activate(activation, s));
    for (let j = 0; j < N; j++) J[i * N + j] = d * W[i * N + j] + (i === j ? 1 - a[i] : 0);
  }
  return J;
}

/** Fixed points of the zero-input dynamics, from initial states drawn (with small noise) from `states` ([n][N]). */
export function findFixedPoints(
  model: RnnModel,
  states: Float64Array,
  options: Partial<FixedPointOptions> = {},
): FixedPoint[] {
  const o = { ...FIXED_POINT_DEFAULTS, ...options };
  const m = effectiveModel(model); // float64, W* as its own weights
  const N = m.config.nRec;
  const nStates = states.length / N;
  const rng = new Rng(o.seed);
  const scratch = { z: new Float64Array(N), r: new Float64Array(N), f: new Float64Array(N) };
  const grad = new Float64Array(N),
    mom = new Float64Array(N),
    vel = new Float64Array(N);
  const found: FixedPoint[] = [];
  for (let s = 0; s < o.starts; s++) {
    const src = rng.int(nStates);
    const h = Float64Array.from(states.subarray(src * N, (src + 1) * N), (v) => v + o.noise * rng.normal());
    mom.fill(0);
    vel.fill(0);
    let q = Infinity;
    for (let it = 1; it <= o.iterations; it++) {
      // Adam on q
      q = speed(m, h, grad, scratch);
      if (q < o.qTol) break;
      for (let i = 0; i < N; i++) {
        mom[i] = 0.9 * mom[i] + 0.1 * grad[i];
        vel[i] = 0.999 * vel[i] + 0.001 * grad[i] * grad[i];
        h[i] -= (o.lr * mom[i]) / (1 - 0.9 ** it) / (sqrt(vel[i] / (1 - 0.999 ** it)) + 1e-12);
      }
    }
    q = speed(m, h, null, scratch); // the loop's q belongs to the state before its last update
    if (!(q < sqrt(o.qTol))) continue; // a slow point, not a fixed point
    if (
      found.some((fp) => {
        let d = 0;
        for (let i = 0; i < N; i++) d = max(d, abs(fp.h[i] - h[i]));
        return d < o.uniqueTol;
      })
    )
      continue;
    const ev = eigenvalues(jacobian(m, h), N);
    const y = fixedPointOutput(m, h);
    found.push({ h, q, eigenvalues: ev, stable: ev.every((e) => hypot(e.re, e.im) < 1), output: y });
  }
  return found;
}

/** The first output g(W_out r + b_out)_0 at state h (r = h, or f(h) for the current formulation). */
function fixedPointOutput(m: RnnModel, h: Float64Array): number {
  const { nRec: N, nOut: O, activation, formulation, readout } = m.config;
  const a = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    let y = m.params.b_out[o];
    for (let i = 0; i < N; i++)
      y += m.params.W_out[o * N + i] * (formulation === 'current' ? activate(activation, h[i]) : h[i]);
    a[o] = y;
  }
  applyReadout(a, 1, O, readout);
  return a[0];
}
