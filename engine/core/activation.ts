/**
 * The activation table: f and its derivative f′ written in terms of r = f(z), the one place this math lives.
 *
 *   f          f(z)                              f′ in terms of r = f(z)
 *   tanh       tanh z                            1 − r²
 *   relu       max(z, 0)                         [r > 0]            (0 at the kink)
 *   softplus   log(1 + eᶻ)                       1 − e^(−r)         (= σ(z), since e^(−softplus z) = 1 − σ(z))
 *
 * f′ from r lets backward passes and Jacobians use the stored post-activation instead of recomputing z. The engine
 * (rnn.ts: forward, BPTT) and the analysis (dynamics.ts: Jacobian, fixed-point speed, Lyapunov exponents) call these
 * functions. Two kernels keep their own copies, because their code cannot call back into JavaScript: the gpu.js
 * kernels (kernels/gpujs-fused.ts, as GPU code) and the WebAssembly tanh kernels (kernels/wasm-simd.wat.ts, a
 * rational tanh accurate to float32). spec/engine/activation.spec.ts checks this table against finite differences
 * and every kernel copy against it, through the engine's float64 forward pass and gradients.
 */
import type { Activation } from './config';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, exp, expm1, log1p, tanh } = Math;

/** f(z). softplus is written overflow-safe: log(1 + eᶻ) = max(z, 0) + log1p(e^(−|z|)). */
export function activate(f: Activation, z: number): number {
  if (f === 'tanh') return tanh(z);
  if (f === 'relu') return z > 0 ? z : 0;
  return (z > 0 ? z : 0) + log1p(exp(-abs(z)));
}

/** f′(z) written in terms of r = f(z). */
export function activationSlope(f: Activation, r: number): number {
  if (f === 'tanh') return 1 - r * r;
  if (f === 'relu') return r > 0 ? 1 : 0;
  return -expm1(-r);
}

/** The table as data, for documentation and for code that lists the activations with their formulas. */
export const ACTIVATION_TABLE: Readonly<Record<Activation, { f: string; slopeFromOutput: string }>> = Object.freeze({
  tanh: { f: 'tanh z', slopeFromOutput: '1 − r²' },
  relu: { f: 'max(z, 0)', slopeFromOutput: '[r > 0]' },
  softplus: { f: 'log(1 + eᶻ)', slopeFromOutput: '1 − e^(−r)' },
});
