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
  FORMULATIONS,
  NO_REGULARIZERS,
  PARAM_NAMES,
  READOUTS,
  REGULARIZER_NAMES,
  paramCount,
  paramOffsets,
  type ParamName,
  type ParamSet,
  RNN_DEFAULTS,
  type RnnConfig,
  type RnnOptions,
} from './config';
import { assertModelFits } from './memory';
import { allocate, assertFinite, RnnlabError, type DType, type FloatArray } from './tensor';
import {
  applyConnectivity,
  checkedMask,
  effectiveParamsInto,
  excitatoryCount,
  type EffectiveWeights,
  type MaskedModel,
  type TrainMasks,
} from './constraints';

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
  if (name === 'alpha') return c.trainAlpha;
  return true;
}

/** [start, end) ranges of the flat buffer that the optimiser updates. */
export function trainableRanges(c: RnnConfig): Array<[number, number]> {
  const offs = paramOffsets(c);
  return PARAM_NAMES.filter((n) => isTrainable(c, n)).map((n) => offs[n]);
}

/** A network: configuration, parameters and masks (core/constraints.ts, MaskedModel, documents each field). */
export type RnnModel = MaskedModel;

export function validateConfig(raw: RnnOptions): RnnConfig {
  const c = { ...RNN_DEFAULTS, ...raw } as RnnConfig;
  // Regularisers may be given in part ({ l2Rate: 0.01 }); the others are 0.
  if (typeof raw.regularizers === 'object' && raw.regularizers !== null && !Array.isArray(raw.regularizers))
    c.regularizers = { ...NO_REGULARIZERS, ...raw.regularizers };
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
  validateConstraintConfig(c);
  assertModelFits(c, 'config');
  const known = new Set(Object.keys(RNN_DEFAULTS));
  for (const k of Object.keys(raw))
    if (!known.has(k)) throw new RnnlabError(`config has unknown key "${k}" (known: ${[...known].join(', ')})`);
  return c;
}

/** The constrained-model keys of a configuration (issue 24), each checked with a message that names it. */
function validateConstraintConfig(c: RnnConfig): void {
  const oneOf = <T>(k: keyof RnnConfig, list: readonly T[]) => {
    if (!list.includes(c[k] as T))
      throw new RnnlabError(`config.${k} must be one of ${list.join(', ')}, got ${JSON.stringify(c[k])}`);
  };
  oneOf('formulation', FORMULATIONS);
  oneOf('readout', READOUTS);
  for (const k of ['autapses', 'perUnitAlpha', 'trainAlpha'] as const) {
    if (typeof c[k] !== 'boolean')
      throw new RnnlabError(`config.${k} must be true or false, got ${JSON.stringify(c[k])}`);
  }
  if (c.trainAlpha && !c.perUnitAlpha)
    throw new RnnlabError('config.trainAlpha needs perUnitAlpha: true (a learnable α is one value per unit)');
  if (c.daleRatio !== null) {
    if (typeof c.daleRatio !== 'number' || !(c.daleRatio > 0 && c.daleRatio < 1))
      throw new RnnlabError(
        `config.daleRatio (the excitatory fraction) must be in (0, 1), got ${JSON.stringify(c.daleRatio)}`,
      );
    const nE = excitatoryCount(c);
    if (nE < 1 || nE >= c.nRec)
      throw new RnnlabError(
        `config.daleRatio ${c.daleRatio} with ${c.nRec} units gives ${nE} excitatory and ${c.nRec - nE} inhibitory ` +
          "units; Dale's law needs at least one of each",
      );
  }
  if (c.readout === 'softmax' && c.nOut < 2)
    throw new RnnlabError('config.readout softmax (cross-entropy) needs at least 2 outputs; with one, use sigmoid');
  validateOutputWeights(c);
  const r = c.regularizers;
  if (typeof r !== 'object' || r === null || Array.isArray(r))
    throw new RnnlabError(`config.regularizers must be an object like ${JSON.stringify(NO_REGULARIZERS)}`);
  for (const k of Object.keys(r))
    if (!(REGULARIZER_NAMES as readonly string[]).includes(k))
      throw new RnnlabError(`config.regularizers has unknown key "${k}" (known: ${REGULARIZER_NAMES.join(', ')})`);
  for (const k of REGULARIZER_NAMES) {
    const v = r[k];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))
      throw new RnnlabError(`config.regularizers.${k} must be a finite number >= 0, got ${JSON.stringify(v)}`);
  }
}

function validateOutputWeights(c: RnnConfig): void {
  const w = c.outputWeights;
  if (w === null) return;
  if (!Array.isArray(w) || w.length !== c.nOut)
    throw new RnnlabError(
      `config.outputWeights must be null or ${c.nOut} numbers (one per output), got ${JSON.stringify(w)}`,
    );
  if (!w.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) || !w.some((v) => v > 0))
    throw new RnnlabError(`config.outputWeights must be finite numbers >= 0, not all 0; got ${JSON.stringify(w)}`);
  if (c.readout === 'softmax')
    throw new RnnlabError(
      "config.outputWeights weigh each output's squared error (linear) or cross-entropy (sigmoid); the softmax " +
        "readout's cross-entropy is one term per step: leave them null",
    );
}

/** A model with all-zero parameters (α = config.alpha per unit); see engine/core/init.ts for initialisation. */
export function createModel(config: RnnOptions): RnnModel {
  const c = validateConfig(config);
  const model: RnnModel = { config: c, params: allocParamSet(c), recMask: null };
  model.params.alpha.fill(c.alpha);
  if (!c.autapses) setRecMask(model, noAutapses(null, c.nRec));
  return model;
}

/** A recurrent mask with an empty diagonal: `mask` (or all ones) without self-connections. */
function noAutapses(mask: ArrayLike<number> | null, n: number): Uint8Array {
  const m = mask ? Uint8Array.from(mask) : new Uint8Array(n * n).fill(1);
  for (let i = 0; i < n; i++) m[i * n + i] = 0;
  return m;
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
  const m = checkedMask(mask, n * n, 'connectivity mask', `${n}x${n}`);
  model.recMask = model.config.autapses ? m : noAutapses(m, n);
  applyRecMask(model);
}

/**
 * Set the connectivity masks of W_in ([N][I]) and W_out ([O][N]); null: full connectivity. The entries a mask
 * removes are zeroed now and kept at zero by training.
 */
export function setConnectivity(
  model: RnnModel,
  masks: { in?: ArrayLike<number> | null; out?: ArrayLike<number> | null },
): void {
  const { nIn: I, nRec: N, nOut: O } = model.config;
  if (masks.in !== undefined)
    model.inMask = masks.in === null ? null : checkedMask(masks.in, N * I, 'input mask', `${N}x${I}`);
  if (masks.out !== undefined)
    model.outMask = masks.out === null ? null : checkedMask(masks.out, O * N, 'output mask', `${O}x${N}`);
  applyConnectivity(model);
}

/** Set per-parameter trainable masks (1 = trained, 0 = frozen); a parameter left out is trained entirely. */
export function setTrainMask(model: RnnModel, masks: Partial<Record<ParamName, ArrayLike<number>>> | null): void {
  if (masks === null) {
    model.trainMask = null;
    return;
  }
  const out: TrainMasks = {};
  for (const [name, mask] of Object.entries(masks)) {
    if (!(PARAM_NAMES as readonly string[]).includes(name))
      throw new RnnlabError(`trainable mask for unknown parameter "${name}" (known: ${PARAM_NAMES.join(', ')})`);
    const p = model.params[name as ParamName];
    out[name as ParamName] = checkedMask(mask, p.length, `trainable mask of ${name}`, `${p.length} entries`);
  }
  model.trainMask = out;
}

/** A deep copy, optionally converted to another dtype (e.g. float64 for the gradient audit). */
export function cloneModel(model: RnnModel, dtype: DType = model.config.dtype): RnnModel {
  const config = { ...model.config, dtype };
  const params = allocParamSet(config);
  params.flat.set(model.params.flat);
  const copy: RnnModel = { config, params, recMask: model.recMask ? model.recMask.slice() : null };
  if (model.inMask) copy.inMask = model.inMask.slice();
  if (model.outMask) copy.outMask = model.outMask.slice();
  if (model.trainMask) {
    copy.trainMask = {};
    for (const [k, m] of Object.entries(model.trainMask)) copy.trainMask[k as ParamName] = m.slice();
  }
  return copy;
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
  validateMasks(model, config, what);
  const a = model.params.alpha.findIndex((v) => !(v > 0 && v <= 1));
  if (a >= 0) throw new RnnlabError(`${what}.params.alpha[${a}] = ${model.params.alpha[a]} is outside (0, 1]`);
  return model;
}

/** Masks of the right length and values, masked weights at zero, and no autapse when autapses is false. */
function validateMasks(model: RnnModel, config: RnnConfig, what: string): void {
  const { nIn: I, nRec: N, nOut: O } = config;
  const check = (mask: Uint8Array | null | undefined, w: FloatArray, name: string, shape: string) => {
    if (mask === null || mask === undefined) return;
    if (!(mask instanceof Uint8Array)) throw new RnnlabError(`${what}: the ${name} mask must be a Uint8Array`);
    checkedMask(mask, w.length, `${what}: the ${name} mask`, shape);
    const bad = w.findIndex((v, i) => mask[i] === 0 && v !== 0);
    if (bad >= 0) throw new RnnlabError(`${what}: ${name}[${bad}] = ${w[bad]} but its connectivity mask removes it`);
  };
  check(model.inMask, model.params.W_in, 'W_in', `${N}x${I}`);
  check(model.recMask, model.params.W_rec, 'W_rec', `${N}x${N}`);
  check(model.outMask, model.params.W_out, 'W_out', `${O}x${N}`);
  if (!config.autapses) {
    const m = model.recMask;
    for (let i = 0; i < N; i++)
      if (!m || m[i * N + i] !== 0)
        throw new RnnlabError(
          `${what} has autapses false, but its recurrent mask keeps the self-connection of unit ${i}`,
        );
  }
  for (const [name, mask] of Object.entries(model.trainMask ?? {})) {
    const p = model.params[name as ParamName];
    if (!p) throw new RnnlabError(`${what}: trainable mask for unknown parameter "${name}"`);
    checkedMask(mask, p.length, `${what}: the trainable mask of ${name}`, `${p.length} entries`);
  }
}

/**
 * The effective weights W_in*, W_rec*, W_out* the network computes with (masks and Dale's law applied,
 * core/constraints.ts), as fresh float64 arrays in the model's layout. Analyses read these, not the raw weights.
 */
export function effectiveWeights(model: RnnModel): EffectiveWeights {
  const eff = allocParamSet({ ...model.config, dtype: 'float64' });
  effectiveParamsInto(eff, model);
  return { W_in: eff.W_in.slice(), W_rec: eff.W_rec.slice(), W_out: eff.W_out.slice() } as EffectiveWeights;
}

/**
 * A float64 model that computes exactly what `model` computes, with its effective weights as its own weights and no
 * sign constraint left to apply (daleRatio null; masks kept, trainable masks dropped): what analyses that read
 * W_rec, W_in and W_out directly (spectra, Jacobians, fixed points, unit matching) are given.
 */
export function effectiveModel(model: RnnModel): RnnModel {
  const m = cloneModel(model, 'float64');
  const eff = effectiveWeights(model);
  m.params.W_in.set(eff.W_in);
  m.params.W_rec.set(eff.W_rec);
  m.params.W_out.set(eff.W_out);
  const config = { ...m.config, daleRatio: null };
  return { config, params: m.params, recMask: m.recMask, inMask: m.inMask, outMask: m.outMask };
}

/** α of every unit: the per-unit vector, or the scalar repeated (a fresh array). */
export function alphaVector(model: RnnModel): Float64Array {
  const c = model.config;
  return c.perUnitAlpha ? Float64Array.from(model.params.alpha) : new Float64Array(c.nRec).fill(c.alpha);
}
