/**
 * A trained network's weights as the analyses read them: its model parsed once, and its W_rec before training
 * (regenerated from the recorded initialisation) beside after, with the rms change relative to the initial σ.
 * Memoised per record object, since the per-cell statistics, the per-network rows, the pooled histograms and the
 * damage sweep share them.
 */
import { createModel, initialize, modelFromJson, RnnlabError, type LoadedModel, type RnnModel } from '@rnnlab/engine';
import type { JobResult } from './job';
import { weightStats, type WeightStats } from '@rnnlab/analysis';

const loadedModels = new WeakMap<JobResult, LoadedModel>();

/** The record's model, parsed (checksum and schema) once however many analyses use it. */
export function modelOf(r: JobResult): LoadedModel {
  let m = loadedModels.get(r);
  if (!m) loadedModels.set(r, (m = modelFromJson(r.model)));
  return m;
}

interface RecurrentPair {
  before: Float64Array;
  after: Float64Array;
  /** weightStats of `before`, and rms(after − before) / its σ. */
  statsBefore: WeightStats;
  change: number;
}
const pairs = new WeakMap<JobResult, RecurrentPair>();

/** W_rec (N × N, row-major) before training and after, with the initial statistics and the relative change. */
export function recurrentBeforeAfter(r: JobResult): RecurrentPair {
  const known = pairs.get(r);
  if (known) return known;
  const before = Float64Array.from(initialModelOf(r).params.W_rec),
    after = Float64Array.from(modelOf(r).model.params.W_rec);
  const statsBefore = weightStats(before);
  let d = 0;
  for (let i = 0; i < before.length; i++) d += (after[i] - before[i]) ** 2;
  const pair = { before, after, statsBefore, change: Math.sqrt(d / before.length) / statsBefore.std };
  pairs.set(r, pair);
  return pair;
}

/**
 * The record's network as it was before training (regenerated from its recorded initialisation), or, with `redraw`, the
 * network the same initialisation draws from another seed (an untrained network of the same kind).
 */
export function initialModelOf(r: JobResult, redraw?: { seed: number }): RnnModel {
  const { model, init } = modelOf(r);
  if (!init) throw new RnnlabError(`record ${r.id}: its model has no initialisation recorded`);
  const fresh = createModel({ ...model.config });
  initialize(fresh, redraw === undefined ? init : { ...init, seed: redraw.seed });
  return fresh;
}

/** rms(W_rec after − before) / σ(before): the paper's "weights barely change" measure (paper-spec §4.3). */
export function recurrentChange(r: JobResult): number {
  return recurrentBeforeAfter(r).change;
}
