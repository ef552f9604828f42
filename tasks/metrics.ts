/** What a task's trials are scored with: the success rule per trial (accuracy) and the paper's distance metric. */
import { type Trials } from '@rnnlab/engine';
import { conditionNames, resolveParams, type GeneratedTrials, type TaskSpec, type TrialView } from './framework';

/** Fraction of trials whose output the task counts as correct; also per condition. */
export function accuracy<P extends object>(
  task: TaskSpec<P>,
  trials: GeneratedTrials,
  outputs: Float64Array,
  params?: Partial<P>,
): { overall: number; perCondition: Record<string, { correct: number; total: number }> } {
  const p = resolveParams(task, params ?? (trials.params as Partial<P>));
  const { nSteps: T, nOut: O } = trials;
  const names = conditionNames(task, p);
  const per: Record<string, { correct: number; total: number }> = {};
  for (const n of names) per[n] = { correct: 0, total: 0 };
  let correct = 0;
  for (let b = 0; b < trials.nTrials; b++) {
    const view: TrialView = {
      output: outputs.subarray(b * T * O, (b + 1) * T * O),
      target: trials.targets.subarray(b * T * O, (b + 1) * T * O),
      clean: trials.cleanTargets.subarray(b * T * O, (b + 1) * T * O),
      layout: trials.layouts[b],
      nOut: O,
    };
    const ok = task.success(view, p);
    const c = per[names[trials.layouts[b].condition]];
    c.total++;
    if (ok) {
      c.correct++;
      correct++;
    }
  }
  return { overall: correct / trials.nTrials, perCondition: per };
}

/** Mean of a per-trial value (e.g. the distance) for each condition name present in the trials. */
export function meanByCondition(
  trials: Trials,
  values: ArrayLike<number>,
  names: readonly string[],
): Record<string, number> {
  const sums: Record<string, { s: number; n: number }> = {};
  for (let b = 0; b < trials.nTrials; b++) {
    const c = names[trials.trialTypes![b]];
    (sums[c] ??= { s: 0, n: 0 }).s += values[b];
    sums[c].n++;
  }
  return Object.fromEntries(Object.entries(sums).map(([c, v]) => [c, v.s / v.n]));
}

/** The paper's performance metric: d = ‖y − ŷ‖₂ over all steps of a trial (not normalised by T), per trial. */
export function trialDistances(trials: Trials, outputs: Float64Array): Float64Array {
  const n = trials.nSteps * trials.nOut;
  const d = new Float64Array(trials.nTrials);
  for (let b = 0; b < trials.nTrials; b++) {
    let s = 0;
    for (let i = b * n; i < (b + 1) * n; i++) s += (outputs[i] - trials.targets[i]) ** 2;
    d[b] = Math.sqrt(s);
  }
  return d;
}
