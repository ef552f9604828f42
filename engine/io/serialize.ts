/**
 * The rnnlab model file: versioned, self-describing JSON.
 *
 *   { "format": "rnnlab-model", "version": 2 or 3,
 *     "config":  { nIn, nRec, nOut, alpha, activation, recurrentBias, trainH0, noiseStd, dtype,
 *                  version 3 only, each where not at its default: formulation, daleRatio, autapses, perUnitAlpha,
 *                  trainAlpha, readout, regularizers },
 *     "init":    { rec, gain, seed, daleBalance? } | null,   how the weights were first drawn
 *     "params":  { W_in: [N][I], W_rec: [N][N], b: [N], W_out: [O][N], b_out: [O], h0: [N], alpha: [N] (version 3,
 *                  perUnitAlpha only) }                       (row-major nested, the raw parameters)
 *     "recMask": [N][N] of 0/1 | null,
 *     "inMask": [N][I] | null, "outMask": [O][N] | null,    version 3 only
 *     "trainMask": { W_in?: [N][I], … } | null,            version 3 only: per-element trainable masks
 *     "meta":    { ... },                              free-form provenance: task, training summary, source file
 *     "sha256":  "…" }                                 SHA-256 of JSON.stringify of everything above
 *
 * A model without any constrained-model option (docs/model.md) is written as version 2, byte for byte as before;
 * one with any is version 3. Loading checks everything and names the first thing that is wrong: JSON syntax, format
 * tag, version, the checksum (versions 2, 3), config values, every parameter's shape, non-finite numbers, mask
 * values and masked weights that are not zero. Version 1 files (written before checksums, or by hand) are still
 * read, checked by schema only.
 */
import { fromNested, RnnlabError, toNested } from '../core/tensor';
import { allocParamSet, validateConfig, type RnnModel, validateModel } from '../core/model';
import {
  CONSTRAINT_KEYS,
  PARAM_NAMES,
  type ParamName,
  paramShapes,
  RNN_DEFAULTS,
  type RnnConfig,
} from '../core/config';
import { checkedMask, type TrainMasks } from '../core/constraints';
import type { InitConfig } from '../core/init';
import { checkSeal, sealObject } from './seal';
import { sha256Hex } from './sha256';

export const MODEL_FORMAT = 'rnnlab-model';
export const MODEL_VERSION = 3;
/** Versions this rnnlab reads: 3 (constrained models), 2 (sealed with a SHA-256) and 1 (the same without it). */
const READABLE_VERSIONS = [1, 2, 3];

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  config: RnnConfig;
  init: InitConfig | null;
  params: Record<string, unknown>;
  recMask: number[][] | null;
  inMask?: number[][] | null;
  outMask?: number[][] | null;
  trainMask?: Record<string, unknown> | null;
  meta: Record<string, unknown>;
  /** Version 2: SHA-256 of the file without this field. */
  sha256?: string;
}

export interface LoadedModel {
  model: RnnModel;
  init: InitConfig | null;
  meta: Record<string, unknown>;
}

/** The constrained-model keys of a config that differ from their defaults (none: a plain, version-2 model). */
function constraintKeysSet(c: RnnConfig): string[] {
  return CONSTRAINT_KEYS.filter((k) => JSON.stringify(c[k]) !== JSON.stringify(RNN_DEFAULTS[k]));
}

export function modelToJson(
  model: RnnModel,
  init: InitConfig | null = null,
  meta: Record<string, unknown> = {},
): ModelFile {
  // A NaN would be written as null and the file could not be read again: refuse it here, naming the entry.
  validateModel(model, 'model to save');
  const c = model.config;
  const shapes = paramShapes(c);
  const set = constraintKeysSet(c);
  const constrained = set.length > 0 || !!model.inMask || !!model.outMask || !!model.trainMask;
  const config: Record<string, unknown> = { ...c };
  for (const k of CONSTRAINT_KEYS) if (!set.includes(k)) delete config[k];
  const params: Record<string, unknown> = {};
  for (const name of PARAM_NAMES)
    if (name !== 'alpha' || c.perUnitAlpha) params[name] = toNested(model.params[name], shapes[name]);
  const nested = (m: Uint8Array | null | undefined, shape: number[]) => (m ? (toNested(m, shape) as number[][]) : null);
  const payload: ModelFile = {
    format: MODEL_FORMAT,
    version: constrained ? 3 : 2,
    config: config as unknown as RnnConfig,
    init,
    params,
    recMask: nested(model.recMask, shapes.W_rec),
    meta,
  };
  if (constrained) {
    payload.inMask = nested(model.inMask, shapes.W_in);
    payload.outMask = nested(model.outMask, shapes.W_out);
    const train: Record<string, unknown> = {};
    for (const [k, m] of Object.entries(model.trainMask ?? {})) train[k] = toNested(m, shapes[k as ParamName]);
    payload.trainMask = model.trainMask ? train : null;
    // meta last, as in version 2 (the seal is over JSON.stringify, whose order is the insertion order)
    delete (payload as Partial<ModelFile>).meta;
    payload.meta = meta;
  }
  return sealObject(payload);
}

export function modelFromJson(raw: unknown, source = 'model file'): LoadedModel {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RnnlabError(`${source}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT)
    throw new RnnlabError(
      `${source}: "format" is ${o.format === undefined ? 'missing' : JSON.stringify(o.format)}, expected ` +
        `"${MODEL_FORMAT}" (is this an rnnlab model?)`,
    );
  if (!READABLE_VERSIONS.includes(o.version as number))
    throw new RnnlabError(
      `${source}: model format version ${JSON.stringify(o.version)} is not supported (this rnnlab reads versions ` +
        `${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_VERSIONS.at(-1)})`,
    );
  if (o.version === 2 || o.version === 3) {
    const sealed = checkSeal(o);
    if (sealed === 'missing')
      throw new RnnlabError(`${source}: "sha256" is missing (a version-2 model file is sealed with one)`);
    if (sealed === 'mismatch')
      throw new RnnlabError(
        `${source}: its SHA-256 does not match its content (the file was changed or damaged after it was written)`,
      );
  }
  if (typeof o.config !== 'object' || o.config === null) throw new RnnlabError(`${source}: missing "config"`);
  let config: RnnConfig;
  try {
    config = validateConfig(o.config as Partial<RnnConfig>);
  } catch (e) {
    throw new RnnlabError(`${source}: ${(e as Error).message}`);
  }
  if (typeof o.params !== 'object' || o.params === null) throw new RnnlabError(`${source}: missing "params"`);
  const rawParams = o.params as Record<string, unknown>;
  const params = allocParamSet(config);
  const shapes = paramShapes(config);
  for (const name of PARAM_NAMES) {
    if (name === 'alpha' && !config.perUnitAlpha) continue;
    if (!(name in rawParams)) throw new RnnlabError(`${source}: params.${name} is missing`);
    const t = fromNested(rawParams[name], 'float64', `${source}: params.${name}`, shapes[name]);
    params[name].set(t.data);
  }
  for (const k of Object.keys(rawParams))
    if (!(PARAM_NAMES as readonly string[]).includes(k) || (k === 'alpha' && !config.perUnitAlpha))
      throw new RnnlabError(`${source}: unknown parameter "${k}"`);
  if (o.version !== 3) {
    const newer = constraintKeysSet(config);
    if (newer.length || o.inMask || o.outMask || o.trainMask)
      throw new RnnlabError(
        `${source}: constrained-model options (${newer.join(', ') || 'masks'}) need format version 3`,
      );
  }
  const model: RnnModel = { config, params, recMask: null };
  if (o.recMask !== null && o.recMask !== undefined) {
    const n = config.nRec;
    const m = fromNested(o.recMask, 'float64', `${source}: recMask`, [n, n]).data;
    const mask = new Uint8Array(n * n);
    for (let i = 0; i < m.length; i++) {
      if (m[i] !== 0 && m[i] !== 1) throw new RnnlabError(`${source}: recMask must hold only 0 and 1, found ${m[i]}`);
      if (m[i] === 0 && params.W_rec[i] !== 0)
        throw new RnnlabError(
          `${source}: W_rec[${Math.floor(i / n)}][${i % n}] = ${params.W_rec[i]} but the connectivity mask removes it`,
        );
      mask[i] = m[i];
    }
    model.recMask = mask;
  }
  readConstraintMasks(model, o, source);
  const meta = typeof o.meta === 'object' && o.meta !== null ? (o.meta as Record<string, unknown>) : {};
  try {
    validateModel(model, 'the model');
  } catch (e) {
    throw new RnnlabError(`${source}: ${(e as Error).message}`);
  }
  return { model, init: (o.init as InitConfig | null) ?? null, meta };
}

/** The version-3 masks (input, output, trainable) into `model`, each checked for shape and 0/1 values. */
function readConstraintMasks(model: RnnModel, o: Record<string, unknown>, source: string): void {
  const shapes = paramShapes(model.config);
  const read = (raw: unknown, shape: number[], what: string) => {
    const data = fromNested(raw, 'float64', `${source}: ${what}`, shape).data;
    return checkedMask(data, data.length, `${source}: ${what}`, shape.join('x'));
  };
  if (o.inMask !== null && o.inMask !== undefined) model.inMask = read(o.inMask, shapes.W_in, 'inMask');
  if (o.outMask !== null && o.outMask !== undefined) model.outMask = read(o.outMask, shapes.W_out, 'outMask');
  if (o.trainMask === null || o.trainMask === undefined) return;
  if (typeof o.trainMask !== 'object' || Array.isArray(o.trainMask))
    throw new RnnlabError(`${source}: trainMask must be an object of per-parameter masks`);
  const train: TrainMasks = {};
  for (const [k, raw] of Object.entries(o.trainMask as Record<string, unknown>)) {
    if (!(PARAM_NAMES as readonly string[]).includes(k) || (k === 'alpha' && !model.config.perUnitAlpha))
      throw new RnnlabError(`${source}: trainMask for unknown parameter "${k}"`);
    train[k as ParamName] = read(raw, shapes[k as ParamName], `trainMask.${k}`);
  }
  model.trainMask = train;
}

/**
 * SHA-256 of a network's parameters: JSON of [name, values] for each parameter in PARAM_NAMES order (JSON writes a
 * double's shortest round-trip form, so equal digests mean equal bits). One number to compare a run in the browser
 * with the same run in Node (the lab's share URL, rnnlab train --from-url); independent of the file's metadata.
 */
export function weightsSha256(model: RnnModel): string {
  const entries: Array<[string, number[]]> = [];
  for (const name of PARAM_NAMES) entries.push([name, Array.from(model.params[name])]);
  return sha256Hex(JSON.stringify(entries));
}
