/**
 * Lesions in the lab: recurrent weights removed by magnitude, by sign or by hand, and the degradation curve that
 * goes with them. As in analysis/damage.ts (the paper's damage protocol), which weights go is decided on the
 * effective W_rec (under Dale's law its signs are the units' types) and the raw entry is zeroed; unlike it, the lab
 * removes a fraction of the candidates (smallest or largest |w| first) rather than everything under a threshold, so
 * one slider means the same thing for every network.
 */
import { type Backend, cloneModel, effectiveWeights, RnnlabError, type RnnModel, simulate } from '@rnnlab/engine';
import { accuracy, type AnyTask, generate, type GeneratedTrials, trialDistances } from '@rnnlab/tasks';
import { degradationSpec, type VegaLiteSpec } from '@rnnlab/analysis/browser';
import type { LesionRequest } from './messages';

/** Fresh trials for scores: the 200 that `rnnlab train` reports its accuracy on (seed 12345), so the two agree. */
export function evalSet(task: AnyTask, params: Record<string, number>): GeneratedTrials {
  return generate(task, { nTrials: 200, seed: 12345, params });
}

export function scoreOf(
  task: AnyTask,
  params: Record<string, number>,
  trials: GeneratedTrials,
  model: RnnModel,
  backend: Backend,
): { accuracy: number; distance: number } {
  const outputs = simulate(model, trials, backend).outputs;
  const d = trialDistances(trials, outputs);
  return {
    accuracy: accuracy(task, trials, outputs, params).overall,
    distance: d.reduce((a, b) => a + b, 0) / d.length,
  };
}

/**
 * The order in which `mode` removes weights: indices into W_rec (row-major, W_rec[i][j] from unit j to unit i) of
 * the candidates, first removed first; ties keep index order, so a lesion is a pure function of the weights.
 */
function removalOrder(eff: ArrayLike<number>, mode: LesionRequest['mode']): number[] {
  const idx: number[] = [];
  for (let i = 0; i < eff.length; i++) {
    const w = eff[i];
    if (mode === 'positive' ? w > 0 : mode === 'negative' ? w < 0 : w !== 0) idx.push(i);
  }
  const sign = mode === 'largest' ? -1 : 1;
  return idx.sort((a, b) => sign * (Math.abs(eff[a]) - Math.abs(eff[b])) || a - b);
}

/** A copy of `model` with the requested weights zeroed, and how many nonzero weights that removed. */
export function lesioned(model: RnnModel, req: LesionRequest): { model: RnnModel; removed: number } {
  if (!(req.fraction >= 0 && req.fraction <= 1)) throw new RnnlabError('the lesion fraction must be between 0 and 1');
  const N = model.config.nRec;
  const eff = effectiveWeights(model).W_rec;
  const m = cloneModel(model);
  const w = m.params.W_rec;
  const order = removalOrder(eff, req.mode);
  const gone = new Set(order.slice(0, Math.round(req.fraction * order.length)));
  for (const [i, j] of req.hand) {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= N || j >= N)
      throw new RnnlabError(`weight (${i}, ${j}) is outside W_rec (${N} × ${N}, counted from 0)`);
    gone.add(i * N + j);
  }
  let removed = 0;
  for (const k of gone) {
    if (eff[k] !== 0) removed++;
    w[k] = 0;
  }
  return { model: m, removed };
}

/** Distance and accuracy at 0 to 50 % removed (the hand lesions included at every point), the request marked. */
export function degradation(
  c: { model: RnnModel; task: AnyTask; taskParams: Record<string, number> },
  req: LesionRequest,
  trials: GeneratedTrials,
  backend: Backend,
): VegaLiteSpec {
  const rows = [];
  for (let k = 0; k <= 10; k++) {
    const fraction = k / 20;
    const { model } = lesioned(c.model, { ...req, fraction });
    rows.push({ fraction, ...scoreOf(c.task, c.taskParams, trials, model, backend) });
  }
  const what = {
    smallest: 'smallest |w| first',
    largest: 'largest |w| first',
    positive: 'positive',
    negative: 'negative',
  };
  const hand = req.hand.length ? `, and ${req.hand.length} by hand` : '';
  return degradationSpec(`Degradation: ${what[req.mode]} weights removed${hand}`, rows, req.fraction);
}
