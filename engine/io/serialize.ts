/**
 * The rnnlab model file: versioned, self-describing JSON.
 *
 *   { "format": "rnnlab-model", "version": 2,
 *     "config":  { nIn, nRec, nOut, alpha, activation, recurrentBias, trainH0, noiseStd, dtype },
 *     "init":    { rec, gain, seed } | null,          how the weights were first drawn
 *     "params":  { W_in: [N][I], W_rec: [N][N], b: [N], W_out: [O][N], b_out: [O], h0: [N] }   (row-major nested)
 *     "recMask": [N][N] of 0/1 | null,
 *     "meta":    { ... },                              free-form provenance: task, training summary, source file
 *     "sha256":  "…" }                                 SHA-256 of JSON.stringify of everything above
 *
 * Loading checks everything and names the first thing that is wrong: JSON syntax, format tag, version, the checksum
 * (version 2), config values, every parameter's shape, non-finite numbers, mask values and masked weights that are
 * not zero. Version 1 files (written before checksums, or by hand) are still read, checked by schema only.
 */
import { fromNested, RnnlabError, toNested } from '../core/tensor';
import { allocParamSet, validateConfig, type RnnModel, validateModel } from '../core/model';
import { PARAM_NAMES, paramShapes, type RnnConfig } from '../core/config';
import type { InitConfig } from '../core/init';
import { checkSeal, sealObject } from './seal';

export const MODEL_FORMAT = 'rnnlab-model';
export const MODEL_VERSION = 2;
/** Versions this rnnlab reads: 2 (sealed with a SHA-256) and 1 (the same without it). */
const READABLE_VERSIONS = [1, 2];

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  config: RnnConfig;
  init: InitConfig | null;
  params: Record<string, unknown>;
  recMask: number[][] | null;
  meta: Record<string, unknown>;
  /** Version 2: SHA-256 of the file without this field. */
  sha256?: string;
}

export interface LoadedModel {
  model: RnnModel;
  init: InitConfig | null;
  meta: Record<string, unknown>;
}

export function modelToJson(
  model: RnnModel,
  init: InitConfig | null = null,
  meta: Record<string, unknown> = {},
): ModelFile {
  // A NaN would be written as null and the file could not be read again: refuse it here, naming the entry.
  validateModel(model, 'model to save');
  const shapes = paramShapes(model.config);
  const params: Record<string, unknown> = {};
  for (const name of PARAM_NAMES) params[name] = toNested(model.params[name], shapes[name]);
  const n = model.config.nRec;
  const payload: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    config: { ...model.config },
    init,
    params,
    recMask: model.recMask ? (toNested(model.recMask, [n, n]) as number[][]) : null,
    meta,
  };
  return sealObject(payload);
}

export function modelFromJson(raw: unknown, source = 'model file'): LoadedModel {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RnnlabError(`${source}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT)
    throw new RnnlabError(
      `${source}: "format" is ${JSON.stringify(o.format)}, expected "${MODEL_FORMAT}" (is this an rnnlab model?)`,
    );
  if (!READABLE_VERSIONS.includes(o.version as number))
    throw new RnnlabError(
      `${source}: model format version ${JSON.stringify(o.version)} is not supported (this rnnlab reads versions ` +
        `${READABLE_VERSIONS.join(' and ')})`,
    );
  if (o.version === 2) {
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
    if (!(name in rawParams)) throw new RnnlabError(`${source}: params.${name} is missing`);
    const t = fromNested(rawParams[name], 'float64', `${source}: params.${name}`, shapes[name]);
    params[name].set(t.data);
  }
  for (const k of Object.keys(rawParams))
    if (!(PARAM_NAMES as readonly string[]).includes(k)) throw new RnnlabError(`${source}: unknown parameter "${k}"`);
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
  const meta = typeof o.meta === 'object' && o.meta !== null ? (o.meta as Record<string, unknown>) : {};
  try {
    validateModel(model, 'the model');
  } catch (e) {
    throw new RnnlabError(`${source}: ${(e as Error).message}`);
  }
  return { model, init: (o.init as InitConfig | null) ?? null, meta };
}
