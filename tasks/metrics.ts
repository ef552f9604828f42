/** What a task's trials are scored with: the success rule per trial (accuracy) and the paper's distance metric. */
import { RnnlabError, type Trials } from '@rnnlab/engine';
import { conditionNames, resolveParams, type GeneratedTrials, type TaskSpec, type TrialView } from './framework';

/** What a task's rules see of trial b: its outputs, targets and layout. */
function trialView(trials: GeneratedTrials, outputs: Float64Array, b: number): TrialView {
  const n = trials.nSteps * trials.nOut;
  return {
    output: outputs.subarray(b * n, (b + 1) * n),
    target: trials.targets.subarray(b * n, (b + 1) * n),
    clean: trials.cleanTargets.subarray(b * n, (b + 1) * n),
    layout: trials.layouts[b],
    nOut: trials.nOut,
  };
}

/** Fraction of trials whose output the task counts as correct; also per condition. */
export function accuracy<P extends object>(
  task: TaskSpec<P>,
  trials: GeneratedTrials,
  outputs: Float64Array,
  params?: Partial<P>,
): {
  overall: number;
  perCondition: Record<string, { correct: number; total: number }>;
  /** A mixture's accuracy per task (TaskSpec.parts), read from each trial's `task` value. */
  perTask?: Record<string, { correct: number; total: number }>;
} {
  const p = resolveParams(task, params ?? (trials.params as Partial<P>));
  const names = conditionNames(task, p);
  const per: Record<string, { correct: number; total: number }> = {};
  for (const n of names) per[n] = { correct: 0, total: 0 };
  let correct = 0;
  const parts = task.parts;
  const perTask = parts ? Object.fromEntries(parts.map((n) => [n, { correct: 0, total: 0 }])) : undefined;
  for (let b = 0; b < trials.nTrials; b++) {
    const ok = task.success(trialView(trials, outputs, b), p);
    const c = per[names[trials.layouts[b].condition]];
    const t = perTask?.[parts![trials.layouts[b].vars.task]];
    for (const x of t ? [c, t] : [c]) {
      x.total++;
      if (ok) x.correct++;
    }
    if (ok) correct++;
  }
  return { overall: correct / trials.nTrials, perCondition: per, ...(perTask ? { perTask } : {}) };
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

/**
 * Decision (commitment) times for chronometric curves, per trial in ms: from the start of the task's `commitment.from`
 * period to the first step from which the read-out favours its final choice (TaskSpec.choice) at every step up to
 * the step that choice is read at. null where the network made no choice. A network that integrates evidence
 * commits later on weak evidence; one that holds its answer from the first glimpse commits at once.
 */
export function commitmentTimes<P extends object>(
  task: TaskSpec<P>,
  trials: GeneratedTrials,
  outputs: Float64Array,
): Array<number | null> {
  const c = task.commitment;
  if (!task.choice || !c)
    throw new RnnlabError(`task "${task.name}" has no choice read over time, so no decision times`);
  const p = resolveParams(task, trials.params as Partial<P>);
  const dt = task.dt(p);
  return trials.layouts.map((layout, b) => {
    const view = trialView(trials, outputs, b);
    const final = task.choice!(view, p);
    const onset = layout.periods.find((q) => q.name === c.from);
    if (final === null || !onset) return null;
    let s = c.readStep(view);
    while (s - 1 >= onset.start && c.choiceAt(view, s - 1) === final) s--;
    return (s - onset.start) * dt;
  });
}

/**
 * Per trial, the signed evidence (the trial's `evidence` value) and the network's binary choice (TaskSpec.choice),
 * for psychometric curves; `by` names a trial value to group trials by (a context, a modality). Throws for a task
 * without a choice rule or trials without evidence.
 */
export function choicesByEvidence<P extends object>(
  task: TaskSpec<P>,
  trials: GeneratedTrials,
  outputs: Float64Array,
  by?: string,
): { evidence: number[]; choices: Array<0 | 1 | null>; groups: number[] } {
  const choose = task.choice;
  if (!choose) throw new RnnlabError(`task "${task.name}" has no two-option choice, so no psychometric curve`);
  const p = resolveParams(task, trials.params as Partial<P>);
  const evidence: number[] = [],
    choices: Array<0 | 1 | null> = [],
    groups: number[] = [];
  trials.layouts.forEach((layout, b) => {
    const x = layout.vars.evidence;
    if (!Number.isFinite(x)) throw new RnnlabError(`task "${task.name}": trial ${b} records no evidence`);
    if (by !== undefined && !Object.hasOwn(layout.vars, by))
      throw new RnnlabError(
        `task "${task.name}" records no "${by}" per trial (it has ${Object.keys(layout.vars).join(', ')})`,
      );
    evidence.push(x);
    choices.push(choose(trialView(trials, outputs, b), p));
    groups.push(by === undefined ? 0 : layout.vars[by]);
  });
  return { evidence, choices, groups };
}
