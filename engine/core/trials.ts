/**
 * A set of trials, the unit of data that flows from tasks/ into the engine. Batch-major, float64:
 *   inputs  [nTrials][nSteps][nIn]     targets [nTrials][nSteps][nOut]     mask [nTrials][nSteps]
 * The mask weights each (trial, step) in the loss (0 = ignored); it applies to every output of that step.
 */
import { assertFinite, assertLength, assertPositiveInteger, RnnlabError } from './tensor';

export interface Trials {
  nTrials: number;
  nSteps: number;
  nIn: number;
  nOut: number;
  inputs: Float64Array;
  targets: Float64Array;
  mask: Float64Array;
  /** Optional per-trial condition index (e.g. 0..3 for the AND task's 00, 10, 01, 11). */
  trialTypes?: Int32Array;
}

/** Throws a clear error unless every array has its declared shape and every number is finite. */
export function validateTrials(tr: Trials, what = 'trials'): Trials {
  assertPositiveInteger(tr.nTrials, `${what}.nTrials`);
  assertPositiveInteger(tr.nSteps, `${what}.nSteps`);
  assertPositiveInteger(tr.nIn, `${what}.nIn`);
  assertPositiveInteger(tr.nOut, `${what}.nOut`);
  const { nTrials: B, nSteps: T, nIn: I, nOut: O } = tr;
  assertLength(tr.inputs, B * T * I, `${what}.inputs`, `[${B}][${T}][${I}]`);
  assertLength(tr.targets, B * T * O, `${what}.targets`, `[${B}][${T}][${O}]`);
  assertLength(tr.mask, B * T, `${what}.mask`, `[${B}][${T}]`);
  assertFinite(tr.inputs, `${what}.inputs`);
  assertFinite(tr.targets, `${what}.targets`);
  assertFinite(tr.mask, `${what}.mask`);
  for (let i = 0; i < tr.mask.length; i++) {
    if (tr.mask[i] < 0) throw new RnnlabError(`${what}.mask has a negative weight ${tr.mask[i]} at flat index ${i}`);
  }
  if (tr.trialTypes && tr.trialTypes.length !== B)
    throw new RnnlabError(`${what}.trialTypes has ${tr.trialTypes.length} entries for ${B} trials`);
  return tr;
}

/** A subset of trials (copies), e.g. a held-out split. */
export function selectTrials(tr: Trials, indices: ArrayLike<number>): Trials {
  const { nSteps: T, nIn: I, nOut: O } = tr;
  const n = indices.length;
  const out: Trials = {
    nTrials: n,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(n * T * I),
    targets: new Float64Array(n * T * O),
    mask: new Float64Array(n * T),
    trialTypes: tr.trialTypes ? new Int32Array(n) : undefined,
  };
  for (let j = 0; j < n; j++) {
    const s = indices[j];
    if (!(s >= 0 && s < tr.nTrials)) throw new RnnlabError(`selectTrials: index ${s} out of range [0, ${tr.nTrials})`);
    out.inputs.set(tr.inputs.subarray(s * T * I, (s + 1) * T * I), j * T * I);
    out.targets.set(tr.targets.subarray(s * T * O, (s + 1) * T * O), j * T * O);
    out.mask.set(tr.mask.subarray(s * T, (s + 1) * T), j * T);
    if (out.trialTypes && tr.trialTypes) out.trialTypes[j] = tr.trialTypes[s];
  }
  return out;
}
