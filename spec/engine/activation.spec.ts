/**
 * The activation table (engine/core/activation.ts) and the analysis that must follow it: f′-from-r against central
 * differences of f, and the zero-input map's Jacobian, fixed-point speed and fixed points for tanh, relu and softplus,
 * each against an independent transcription of F(h) = (1 − α) h + α f(W h + b) written in this file. (The gpu.js and
 * WebAssembly copies of f are compared with the float64 engine, which uses this table, in spec/engine/gpujs*.spec.ts
 * and spec/engine/wasm-backend.spec.ts, for every activation they implement.)
 */
import { type Activation, ACTIVATIONS, createModel, initialize, Rng, type RnnModel } from '@rnnlab/engine';
import { activate, activationSlope } from '@rnnlab/engine/advanced';
import { findFixedPoints, jacobian, speed } from '@rnnlab/analysis';

/** f written independently of the engine (plain formulas, no overflow care needed at these magnitudes). */
const F_PLAIN: Record<Activation, (z: number) => number> = {
  tanh: (z) => (Math.exp(2 * z) - 1) / (Math.exp(2 * z) + 1),
  relu: (z) => Math.max(z, 0),
  softplus: (z) => Math.log(1 + Math.exp(z)),
};

/** The zero-input map, transcribed from the model equation. */
function mapF(model: RnnModel, h: Float64Array): Float64Array<ArrayBufferLike> {
  const { nRec: N, alpha: a, activation } = model.config;
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let z = model.params.b[i];
    for (let j = 0; j < N; j++) z += model.params.W_rec[i * N + j] * h[j];
    out[i] = (1 - a) * h[i] + a * F_PLAIN[activation](z);
  }
  return out;
}

function model12(activation: Activation, seed: number, gain = 1.4): RnnModel {
  const m = createModel({ nIn: 1, nRec: 12, nOut: 1, alpha: 0.3, activation, recurrentBias: true, dtype: 'float64' });
  initialize(m, { rec: 'normal', gain, seed });
  new Rng(seed + 7).fillNormal(m.params.b, 0.3);
  return m;
}

test.each(ACTIVATIONS)('%s: f matches its formula and f′(r) matches central differences of f', (f) => {
  const eps = 1e-6;
  for (let z = -4; z <= 4; z += 0.137) {
    if (f === 'relu' && Math.abs(z) < 2 * eps) continue; // the kink
    expect(Math.abs(activate(f, z) - F_PLAIN[f](z))).toBeLessThan(1e-14);
    const numeric = (F_PLAIN[f](z + eps) - F_PLAIN[f](z - eps)) / (2 * eps);
    expect(Math.abs(activationSlope(f, activate(f, z)) - numeric)).toBeLessThan(1e-8);
  }
  // softplus stays finite where the plain formula overflows
  expect(activate('softplus', 800)).toBe(800);
});

test.each(ACTIVATIONS)("%s, α = 0.3: the Jacobian equals central differences of the model's own map", (f) => {
  const m = model12(f, 3);
  const rng = new Rng(11);
  const eps = 1e-6;
  for (let trial = 0; trial < 5; trial++) {
    const h = new Float64Array(12).map(() => rng.normal() * 0.6);
    const J = jacobian(m, h);
    let worst = 0;
    for (let j = 0; j < 12; j++) {
      const hp = Float64Array.from(h),
        hm = Float64Array.from(h);
      hp[j] += eps;
      hm[j] -= eps;
      const Fp = mapF(m, hp),
        Fm = mapF(m, hm);
      for (let i = 0; i < 12; i++) worst = Math.max(worst, Math.abs(J[i * 12 + j] - (Fp[i] - Fm[i]) / (2 * eps)));
    }
    expect(worst).toBeLessThan(1e-8);
  }
});

test.each(ACTIVATIONS)("%s: the fixed-point speed q and its gradient follow the model's map", (f) => {
  const m = model12(f, 5);
  const h = new Float64Array(12).map((_, i) => Math.sin(i) * 0.5);
  const scratch = { z: new Float64Array(12), r: new Float64Array(12), f: new Float64Array(12) };
  const grad = new Float64Array(12);
  const q = speed(m, h, grad, scratch);
  const qOf = (x: Float64Array) => {
    const Fx = mapF(m, x);
    let s = 0;
    for (let i = 0; i < 12; i++) s += 0.5 * (Fx[i] - x[i]) ** 2;
    return s;
  };
  expect(Math.abs(q - qOf(h))).toBeLessThan(1e-14);
  for (let j = 0; j < 12; j++) {
    const hp = Float64Array.from(h),
      hm = Float64Array.from(h);
    hp[j] += 1e-6;
    hm[j] -= 1e-6;
    expect(Math.abs(grad[j] - (qOf(hp) - qOf(hm)) / 2e-6)).toBeLessThan(1e-8);
  }
});

test.each(['relu', 'softplus'] as const)(
  'fixed points of a %s model are fixed points of its own map, with the right stability',
  (f) => {
    const m = model12(f, 9, 1.2);
    // Starting states: a free run of the map from a few random states.
    const rng = new Rng(2);
    const starts: number[] = [];
    for (let k = 0; k < 6; k++) {
      let h: Float64Array<ArrayBufferLike> = new Float64Array(12).map(() => rng.normal());
      for (let t = 0; t < 50; t++) {
        h = mapF(m, h);
        starts.push(...h);
      }
    }
    const fps = findFixedPoints(m, Float64Array.from(starts), { starts: 24, iterations: 20000, qTol: 1e-18 });
    expect(fps.length).toBeGreaterThan(0);
    expect(fps.some((fp) => fp.stable)).toBe(true);
    for (const fp of fps) {
      // Its reported speed is the speed of the model's own map there, below the acceptance threshold √qTol = 1e-9.
      const Fh = mapF(m, fp.h);
      let q = 0;
      for (let i = 0; i < 12; i++) q += 0.5 * (Fh[i] - fp.h[i]) ** 2;
      expect(Math.abs(q - fp.q)).toBeLessThan(1e-15 + 1e-9 * q);
      expect(q).toBeLessThan(1e-9);
      // A stable one attracts: iterating the map from it settles on an exact fixed point (F(x) = x to 1e-12) nearby
      // (the optimiser stops at q < 1e-9 here, so "nearby" is within its tolerance).
      if (!fp.stable) continue;
      let x: Float64Array<ArrayBufferLike> = Float64Array.from(fp.h);
      for (let t = 0; t < 5000; t++) x = mapF(m, x);
      const Fx = mapF(m, x);
      let still = 0,
        near = 0;
      for (let i = 0; i < 12; i++) {
        still = Math.max(still, Math.abs(Fx[i] - x[i]));
        near = Math.max(near, Math.abs(x[i] - fp.h[i]));
      }
      expect(still).toBeLessThan(1e-12);
      expect(near).toBeLessThan(2e-2);
    }
  },
);
