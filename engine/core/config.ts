/**
 * The model's configuration and its parameter layout: what every other module needs to know about a network's
 * shape, apart from the code that builds one (model.ts). memory.ts sizes models from here, and model.ts validates
 * configurations with memory.ts, so neither imports the other's module graph back.
 */
import type { DType, FloatArray } from './tensor';

export type Activation = 'tanh' | 'relu' | 'softplus';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'softplus'];

/** 'rate': the state is the rate (the paper, Keras, Yang 2019); 'current': the state is the input current
 * (PsychRNN). */
export type Formulation = 'rate' | 'current';
export const FORMULATIONS: readonly Formulation[] = ['rate', 'current'];

/** The readout g and the task loss that goes with it: identity + MSE, sigmoid + BCE, softmax + cross-entropy. */
export type Readout = 'linear' | 'sigmoid' | 'softmax';
export const READOUTS: readonly Readout[] = ['linear', 'sigmoid', 'softmax'];

/**
 * Regulariser weights, PsychRNN's definitions (means over every entry, masked zeros included), on the effective
 * weights W*; l2Rate on the rates of every step (docs/model.md, docs/model-conventions.md section 4).
 */
export interface Regularizers {
  l1In: number;
  l2In: number;
  l1Rec: number;
  l2Rec: number;
  l1Out: number;
  l2Out: number;
  l2Rate: number;
}
export const REGULARIZER_NAMES = ['l1In', 'l2In', 'l1Rec', 'l2Rec', 'l1Out', 'l2Out', 'l2Rate'] as const;
export const NO_REGULARIZERS: Readonly<Regularizers> = Object.freeze({
  l1In: 0,
  l2In: 0,
  l1Rec: 0,
  l2Rec: 0,
  l1Out: 0,
  l2Out: 0,
  l2Rate: 0,
});

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
  // The constrained-model options below (issue 24). Their defaults are the paper's model, and a model file leaves
  // out every one that is at its default (engine/io/serialize.ts), so plain models are written as before.
  formulation: Formulation;
  /**
   * Dale's law: the fraction of excitatory units, n_E = ⌊daleRatio·N⌋ (PsychRNN's int(dale_ratio·N_rec)), units
   * 0 … n_E−1 excitatory; null: no sign constraint.
   */
  daleRatio: number | null;
  /** false: no self-connections (diag of the recurrent mask is 0). */
  autapses: boolean;
  /** One α per unit, held in params.alpha [N] (initialised to `alpha`); false: the scalar `alpha` for every unit. */
  perUnitAlpha: boolean;
  /** Train the per-unit α by BPTT (needs perUnitAlpha); α is kept in (0, 1] after each update. */
  trainAlpha: boolean;
  readout: Readout;
  regularizers: Regularizers;
  /**
   * Per-output weights w_o of the task loss (linear and sigmoid readouts): Σ m_{b,t} w_o ℓ(y, ŷ) / D, D unchanged;
   * null weighs every output 1. Yang et al.'s cost squares his mask, so his fixation output weighs 2² = 4.
   */
  outputWeights: number[] | null;
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
  formulation: 'rate',
  daleRatio: null,
  autapses: true,
  perUnitAlpha: false,
  trainAlpha: false,
  readout: 'linear',
  regularizers: NO_REGULARIZERS,
  outputWeights: null,
});

/** What createModel and validateConfig take: any part of a configuration, the regularisers too. */
export type RnnOptions = Partial<Omit<RnnConfig, 'regularizers'>> & { regularizers?: Partial<Regularizers> };

/** The keys of the constrained-model options, which a file leaves out when they hold their defaults. */
export const CONSTRAINT_KEYS = [
  'formulation',
  'daleRatio',
  'autapses',
  'perUnitAlpha',
  'trainAlpha',
  'readout',
  'regularizers',
  'outputWeights',
] as const;

/** alpha is empty (length 0) unless perUnitAlpha: a plain model's layout is the one it always had. */
export const PARAM_NAMES = ['W_in', 'W_rec', 'b', 'W_out', 'b_out', 'h0', 'alpha'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

/** Named views into one flat buffer: the parameters, or their gradients, or Adam's moments. */
export type ParamSet = { readonly flat: FloatArray } & { readonly [K in ParamName]: FloatArray };

/** The sizes that fix the parameter layout. */
export type RnnSizes = Pick<RnnConfig, 'nIn' | 'nRec' | 'nOut'> & Partial<Pick<RnnConfig, 'perUnitAlpha'>>;

export function paramShapes(c: RnnSizes): Record<ParamName, number[]> {
  return {
    W_in: [c.nRec, c.nIn],
    W_rec: [c.nRec, c.nRec],
    b: [c.nRec],
    W_out: [c.nOut, c.nRec],
    b_out: [c.nOut],
    h0: [c.nRec],
    alpha: [c.perUnitAlpha ? c.nRec : 0],
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
  return paramOffsets(c).alpha[1];
}
