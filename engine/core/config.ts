/**
 * The model's configuration and its parameter layout: what every other module needs to know about a network's
 * shape, apart from the code that builds one (model.ts). memory.ts sizes models from here, and model.ts validates
 * configurations with memory.ts, so neither imports the other's module graph back.
 */
import type { DType, FloatArray } from './tensor';

export type Activation = 'tanh' | 'relu' | 'softplus';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'softplus'];

export interface RnnConfig {
  nIn: number;
  nRec: number;
  nOut: number;
  /** α = dt/τ in (0, 1]. */
  alpha: number;
  activation: Activation;
  /** Train a recurrent bias b (the paper: on for NOT and the N=500 AND nets, off elsewhere). */
  recurrentBias: boolean;
  /** Train the initial state h0 (shared by all trials); otherwise h0 stays at its initial value (zero). */
  trainH0: boolean;
  /** Standard deviation of the recurrent noise ξ_t added inside f; 0 disables it. */
  noiseStd: number;
  dtype: DType;
}

export const RNN_DEFAULTS: Readonly<RnnConfig> = Object.freeze({
  nIn: 2,
  nRec: 50,
  nOut: 1,
  alpha: 1,
  activation: 'tanh',
  recurrentBias: false,
  trainH0: false,
  noiseStd: 0,
  dtype: 'float32',
});

export const PARAM_NAMES = ['W_in', 'W_rec', 'b', 'W_out', 'b_out', 'h0'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** Named views into one flat buffer: the parameters, or their gradients, or Adam's moments. */
export type ParamSet = { readonly flat: FloatArray } & { readonly [K in ParamName]: FloatArray };

/** The sizes that fix the parameter layout. */
export type RnnSizes = Pick<RnnConfig, 'nIn' | 'nRec' | 'nOut'>;

export function paramShapes(c: RnnSizes): Record<ParamName, number[]> {
  return {
    W_in: [c.nRec, c.nIn],
    W_rec: [c.nRec, c.nRec],
    b: [c.nRec],
    W_out: [c.nOut, c.nRec],
    b_out: [c.nOut],
    h0: [c.nRec],
  };
}

/** [start, end) of each parameter inside the flat buffer. */
export function paramOffsets(c: RnnSizes): Record<ParamName, [number, number]> {
  const shapes = paramShapes(c);
  const out = {} as Record<ParamName, [number, number]>;
  let at = 0;
  for (const name of PARAM_NAMES) {
    const len = shapes[name].reduce((a, b) => a * b, 1);
    out[name] = [at, at + len];
    at += len;
  }
  return out;
}

export function paramCount(c: RnnSizes): number {
  return paramOffsets(c).h0[1];
}
