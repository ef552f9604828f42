/**
 * The leaky firing-rate RNN of Jarne & Laje (2023) and its relatives, column-vector convention:
 *
 *   z_t = W_rec h_{t-1} + W_in x_t + b + ξ_t          ξ_t ~ N(0, noiseStd²) i.i.d. (recurrent noise, optional)
 *   h_t = (1 - α) h_{t-1} + α f(z_t)                   α = dt/τ; α = 1 is Keras' SimpleRNN used by the paper
 *   y_t = W_out h_t + b_out                            h_{-1} = h0 (zero and frozen unless trainH0)
 *
 * Shapes (PsychRNN names): W_in [N_rec][N_in], W_rec [N_rec][N_rec] (row = destination unit, column = source),
 * b [N_rec], W_out [N_out][N_rec], b_out [N_out], h0 [N_rec]. Keras stores the transposes (see
 * engine/io/keras-import.ts).
 *
 * All parameters live in one flat buffer with named `subarray` views (llm.c style), so zeroing, clipping, Adam and
 * checkpointing are single loops. Gradients and Adam moments use the same layout.
 */
import {
  ACTIVATIONS,
  PARAM_NAMES,
  paramCount,
  paramOffsets,
  type ParamName,
  type ParamSet,
  RNN_DEFAULTS,
  type RnnConfig,
} from './config';
import { assertModelFits } from './memory';
import { allocate, assertFinite, RnnlabError, type DType, type FloatArray } from './tensor';

export function allocParamSet(c: RnnConfig, dtype: DType = c.dtype): ParamSet {
  return viewParamSet(c, allocate(dtype, paramCount(c)));
}

export function viewParamSet(c: RnnConfig, flat: FloatArray): ParamSet {
  const offs = paramOffsets(c);
  if (flat.length !== paramCount(c))
    throw new RnnlabError(`parameter buffer has ${flat.length} entries, config needs ${paramCount(c)}`);
  const set: Record<string, FloatArray> = { flat };
  for (const name of PARAM_NAMES) set[name] = flat.subarray(offs[name][0], offs[name][1]);
  return set as unknown as ParamSet;
}

/** Whether the optimiser updates a parameter group under this config. */
export function isTrainable(c: RnnConfig, name: ParamName): boolean {
  if (name === 'b') return c.recurrentBias;
  if (name === 'h0') return c.trainH0;
  return true;
}

/** [start, end) ranges of the flat buffer that the optimiser updates. */
export function trainableRanges(c: RnnConfig): Array<[number, number]> {
  const offs = paramOffsets(c);
  return PARAM_NAMES.filter((n) => isTrainable(c, n)).map((n) => offs[n]);
}

export interface RnnModel {
  readonly config: RnnConfig;
  readonly params: ParamSet;
  /**
   * Fixed connectivity mask for W_rec ([N_rec][N_rec], 1 = connection exists), or null for full connectivity.
   * Masked weights are zero and stay zero: their gradient is zeroed before every update.
   */
  recMask: Uint8Array | null;
}

export function validateConfig(raw: Partial<RnnConfig>): RnnConfig {
  const c: RnnConfig = { ...RNN_DEFAULTS, ...raw };
  for (const k of ['nIn', 'nRec', 'nOut'] as const) {
    if (!Number.isInteger(c[k]) || c[k] <= 0)
      throw new RnnlabError(`config.${k} must be a positive integer, got ${JSON.stringify(c[k])}`);
  }
  if (typeof c.alpha !== 'number' || !(c.alpha > 0 && c.alpha <= 1))
    throw new RnnlabError(`config.alpha (dt/tau) must be in (0, 1], got ${JSON.stringify(c.alpha)}`);
  if (!ACTIVATIONS.includes(c.activation))
    throw new RnnlabError(
      `config.activation must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(c.activation)}`,
    );
  if (typeof c.noiseStd !== 'number' || !(c.noiseStd >= 0) || !Number.isFinite(c.noiseStd))
    throw new RnnlabError(`config.noiseStd must be a finite number >= 0, got ${JSON.stringify(c.noiseStd)}`);
  if (c.dtype !== 'float32' && c.dtype !== 'float64')
    throw new RnnlabError(`config.dtype must be float32 or float64, got ${JSON.stringify(c.dtype)}`);
  for (const k of ['recurrentBias', 'trainH0'] as const) {
    if (typeof c[k] !== 'boolean')
      throw new RnnlabError(`config.${k} must be true or false, got ${JSON.stringify(c[k])}`);
  }
  assertModelFits(c, 'config');
  const known = new Set(Object.keys(RNN_DEFAULTS));
  for (const k of Object.keys(raw))
    if (!known.has(k)) throw new RnnlabError(`config has unknown key "${k}" (known: ${[...known].join(', ')})`);
  return c;
}

/** A model with all-zero parameters; see engine/core/init.ts for initialisation. */
export function createModel(config: Partial<RnnConfig>): RnnModel {
  const c = validateConfig(config);
  return { config: c, params: allocParamSet(c), recMask: null };
}

/** Zero the masked entries of W_rec (call after anything that writes W_rec). */
export function applyRecMask(model: RnnModel): void {
  const mask = model.recMask;
  if (!mask) return;
  const w = model.params.W_rec;
  for (let i = 0; i < w.length; i++) if (mask[i] === 0) w[i] = 0;
}

/** Zero the gradient of removed connections (so that Adam's moments for them stay zero too). */
export function maskRecGradient(model: RnnModel, grads: ParamSet): void {
  const mask = model.recMask;
  if (!mask) return;
  const g = grads.W_rec;
  for (let i = 0; i < g.length; i++) if (mask[i] === 0) g[i] = 0;
}

/** Set the connectivity mask; entries of W_rec outside it are zeroed now and kept at zero by training. */
export function setRecMask(model: RnnModel, mask: ArrayLike<number> | null): void {
  if (mask === null) {
    model.recMask = null;
    return;
  }
  const n = model.config.nRec;
  if (mask.length !== n * n)
    throw new RnnlabError(`connectivity mask has ${mask.length} entries, W_rec has ${n}x${n} = ${n * n}`);
  const m = new Uint8Array(n * n);
  for (let i = 0; i < m.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1)
      throw new RnnlabError(`connectivity mask must hold only 0 and 1, found ${mask[i]} at ${i}`);
    m[i] = mask[i];
  }
  model.recMask = m;
  applyRecMask(model);
}

/** A deep copy, optionally converted to another dtype (e.g. float64 for the gradient audit). */
export function cloneModel(model: RnnModel, dtype: DType = model.config.dtype): RnnModel {
  const config = { ...model.config, dtype };
  const params = allocParamSet(config);
  params.flat.set(model.params.flat);
  return { config, params, recMask: model.recMask ? model.recMask.slice() : null };
}

/**
 * Check a model handed to the engine from outside (the API, a file): its configuration, a parameter buffer of the
 * configuration's dtype and length, finite values (the first bad entry named), and flags that agree with the
 * parameters: a model without a recurrent bias has b = 0, and one whose h0 is not trained starts from h0 = 0, so a
 * non-zero value there would be used although the model says it does not exist. Called where a model enters
 * (Trainer, lossAndGradient, forward, simulate, modelToJson, model files), never inside the training loop.
 */
export function validateModel(model: RnnModel, what = 'model'): RnnModel {
  if (typeof model !== 'object' || model === null || typeof model.config !== 'object' || !model.params)
    throw new RnnlabError(`${what} must be an RnnModel { config, params, recMask } (createModel makes one)`);
  const config = validateConfig(model.config);
  const flat = model.params.flat;
  const want = config.dtype === 'float64' ? Float64Array : Float32Array;
  if (!(flat instanceof want))
    throw new RnnlabError(`${what}.params.flat must be a ${want.name} (config.dtype ${config.dtype})`);
  if (flat.length !== paramCount(config))
    throw new RnnlabError(
      `${what}.params.flat has ${flat.length} entries, the configuration needs ${paramCount(config)}`,
    );
  for (const name of PARAM_NAMES) {
    const p = model.params[name];
    const [start, end] = paramOffsets(config)[name];
    if (!p || p.buffer !== flat.buffer || p.length !== end - start)
      throw new RnnlabError(`${what}.params.${name} is not the view of params.flat that the configuration defines`);
    assertFinite(p, `${what}.params.${name}`);
  }
  const nonZero = (a: FloatArray) => a.findIndex((v) => v !== 0);
  const b = nonZero(model.params.b);
  if (!config.recurrentBias && b >= 0)
    throw new RnnlabError(`${what} has no recurrent bias (recurrentBias false) but b[${b}] = ${model.params.b[b]}`);
  const h = nonZero(model.params.h0);
  if (!config.trainH0 && h >= 0)
    throw new RnnlabError(`${what} does not train h0 (trainH0 false) but h0[${h}] = ${model.params.h0[h]}`);
  return model;
}
