/**
 * NeuroGym's trial machinery in rnnlab's framework, following neurogym/neurogym core.py (`TrialEnv.sample_time`,
 * `add_period`, `set_groundtruth`) and utils/ngym_random.py (`trunc_exp`):
 * - a period's duration is a number, a choice, a uniform draw or a truncated exponential (ms), drawn from the
 *   task's seeded generator (NeuroGym's `TruncExp` timings carry their own unseeded generator: issue #282);
 * - periods follow each other and their boundaries fall on the step grid as `int(t/dt)` puts them;
 * - the ground truth is an action label per step (0: fixate elsewhere); rnnlab writes it as one-hot targets over
 *   the actions, for the softmax + cross-entropy read-out NeuroGym's supervised examples train with;
 * - input noise N(0, (σ/√dt)²) is added to the stimulus channels in the stimulus periods only (`add_randn`).
 */
import { type Rng, RnnlabError } from '@rnnlab/engine';
import type { Commitment, Condition, Segment, TaskSpec, TrialLayout, TrialView, Values } from '../framework';

export type Timing =
  | number
  | { readonly choice: readonly number[] }
  | { readonly uniform: readonly [number, number] }
  | { readonly truncExp: readonly [number, number, number] };

/** sample_time: one duration in ms. */
export function sampleTime(rng: Rng, t: Timing): number {
  if (typeof t === 'number') return t;
  if ('choice' in t) return t.choice[rng.int(t.choice.length)];
  if ('uniform' in t) return t.uniform[0] + (t.uniform[1] - t.uniform[0]) * rng.uniform();
  const [mean, min, max] = t.truncExp;
  if (min >= max) return max;
  // trunc_exp: redraw until the exponential falls in [min, max).
  for (;;) {
    const x = -mean * Math.log(1 - rng.uniform());
    if (x >= min && x < max) return x;
  }
}

/** Durations (ms) moved onto the step grid as add_period does: each boundary at int(t/dt) steps. */
export function onGrid(durations: readonly number[], dt: number): number[] {
  let start = 0;
  return durations.map((d) => {
    const steps = Math.floor((start + d) / dt) - Math.floor(start / dt);
    start += d;
    return steps * dt;
  });
}

/** What one NeuroGym task declares; `neurogymTask` turns it into a TaskSpec. */
export interface NeuroGymDef<P extends { dt: number }> {
  /** NeuroGym's class, e.g. PerceptualDecisionMaking (registered there as `<Class>-v0`). */
  readonly cls: string;
  readonly name: string;
  readonly file: string;
  readonly paper: string;
  readonly inputs: readonly string[];
  readonly actions: readonly string[];
  readonly defaults: P;
  readonly periods: readonly string[];
  conditions(p: P): readonly Condition[];
  /** The conditions' relative probabilities, where they are not equally likely (TaskSpec.conditionWeights). */
  conditionWeights?(p: P): readonly number[];
  /** The trial's variables (gt: the correct action's index) and each period's drawn duration in ms. */
  draw(p: P, c: Values, rng: Rng): { vars: Values; durations: Readonly<Record<string, number>> };
  stimuli(p: P): readonly Segment[];
  /** The correct action per period, by period name (others: 0, fixate); a string reads the trial's values. */
  readonly truth: Readonly<Record<string, number | string>>;
  /**
   * Numbers to match instead of actions to choose: the target segments over the outputs (named by `actions`), for
   * a linear read-out with squared error; `truth` is then unused and `success` required.
   */
  targets?(p: P): readonly Segment[];
  /** The periods whose last step must show the correct action (default: ['decision']). */
  readonly decisions?: readonly string[];
  /** The binary choice for psychometric curves (TaskSpec.choice), where the task has one. */
  choice?(view: TrialView): 0 | 1 | null;
  /** Where the task has `choice`: the period whose start decision times are measured from (default 'stimulus'). */
  readonly evidenceFrom?: string;
  /** An ideal observer's probability of answering this trial correctly (TaskSpec.ideal), where below 1. */
  ideal?(layout: TrialLayout, p: P): number;
  /** The task's own success rule, where it is not a decision at the end of periods (timing tasks). */
  success?(view: TrialView, p: P): boolean;
}

/** The action the read-out takes at step t: its largest output (the first of equal ones). */
export function actionAt(view: TrialView, t: number): number {
  let best = 0;
  for (let o = 1; o < view.nOut; o++) if (view.output[t * view.nOut + o] > view.output[t * view.nOut + best]) best = o;
  return best;
}

/** 1 when the network chose option 2 at the decision's last step, 0 for option 1, null for anything else. */
export function binaryChoice(view: TrialView): 0 | 1 | null {
  const per = view.layout.periods.find((q) => q.name === 'decision');
  if (!per || per.end <= per.start) return null;
  const action = actionAt(view, per.end - 1);
  return action === 0 ? null : action === 2 ? 1 : 0;
}

/**
 * The decisions on one trial: at each decision period's last step the read-out's largest output is that period's
 * correct action, and fixation (output 0) was the largest output at every step before the first decision period.
 */
export function decisionCorrect(view: TrialView, decisions: ReadonlyArray<{ period: string; label: number }>): boolean {
  let first = Infinity;
  for (const d of decisions) {
    const per = view.layout.periods.find((q) => q.name === d.period);
    if (!per || per.end <= per.start || actionAt(view, per.end - 1) !== d.label) return false;
    first = Math.min(first, per.start);
  }
  for (let t = 0; t < first; t++) if (actionAt(view, t) !== 0) return false;
  return true;
}

/**
 * The choice over time of a task whose options are actions 1 and 2: the larger of their two outputs (fixation set
 * aside), read until the decision period's last step.
 */
function twoOptions(from: string): Commitment {
  return {
    from,
    readStep: (view) => view.layout.periods.find((q) => q.name === 'decision')!.end - 1,
    choiceAt: (view, t) => (view.output[t * view.nOut + 2] > view.output[t * view.nOut + 1] ? 1 : 0),
  };
}

/** A NeuroGym task as a TaskSpec: one-hot targets over the actions, the decision as its success rule. */
export function neurogymTask<P extends { dt: number }>(def: NeuroGymDef<P>): TaskSpec<P> {
  const label = (v: Values, period: string): number => {
    const t = Object.hasOwn(def.truth, period) ? def.truth[period] : 0;
    return typeof t === 'number' ? t : v[t];
  };
  // Each period's grid duration is recorded as the trial value t_<period>; the names are built once.
  const tKeys = def.periods.map((n) => `t_${n}`);
  const responses: Segment[] = def.periods.flatMap((period): Segment[] => {
    const t = Object.hasOwn(def.truth, period) ? def.truth[period] : 0;
    // A fixed action is a constant level on its channel; an action read from the trial, a level per channel.
    if (typeof t === 'number') return [{ channel: def.actions[t], period, value: 1 }];
    return def.actions.map((a, k) => ({ channel: a, period, value: (v: Values) => (v[t] === k ? 1 : undefined) }));
  });
  return {
    name: def.name,
    title: `NeuroGym ${def.cls}`,
    aliases: [`${def.cls}-v0`, def.cls],
    citation: `neurogym/neurogym ${def.file} (${def.cls}-v0); ${def.paper}`,
    inputs: def.inputs,
    outputs: def.actions,
    defaults: def.defaults,
    dt: (p) => {
      if (!(p.dt > 0)) throw new RnnlabError(`task "${def.name}": dt must be positive, got ${p.dt}`);
      return p.dt;
    },
    conditions: (p) => def.conditions(p),
    ...(def.conditionWeights ? { conditionWeights: def.conditionWeights } : {}),
    ...(def.ideal ? { ideal: def.ideal } : {}),
    draw: (p, c, rng) => {
      const { vars, durations } = def.draw(p, c.values, rng);
      const grid = onGrid(
        def.periods.map((n) => durations[n]),
        p.dt,
      );
      const out: Record<string, number> = { ...vars };
      for (let i = 0; i < tKeys.length; i++) out[tKeys[i]] = grid[i];
      return out;
    },
    periods: (_p, c) => def.periods.map((name, i) => ({ name, duration: c.values[tKeys[i]] })),
    stimuli: (p) => def.stimuli(p),
    responses: (p) => (def.targets ? def.targets(p) : responses),
    baseline: () => 0,
    noise: () => ({ input: 0, target: 0 }),
    success: (view, p) =>
      def.success?.(view, p) ??
      decisionCorrect(
        view,
        (def.decisions ?? ['decision']).map((period) => ({ period, label: label(view.layout.vars, period) })),
      ),
    ...(def.choice ? { choice: def.choice, commitment: twoOptions(def.evidenceFrom ?? 'stimulus') } : {}),
    hints: {
      readout: def.targets ? 'linear' : 'softmax',
      activation: 'tanh',
      init: 'orthogonal',
      earlyStopLoss: 0,
      dataSeed: 1,
    },
  };
}

/**
 * NeuroGym's fixation input, `add_ob(1, where="fixation")`, over these periods; in the `noisy` ones it also takes
 * the noise `sigma` (add_randn without `where` reaches every channel).
 */
export function fixationIn(periods: readonly string[], noisy: readonly string[] = [], sigma = 0): Segment[] {
  return periods.map((period) => ({
    channel: 'fixation',
    period,
    value: 1,
    ...(noisy.includes(period) ? { noise: sigma } : {}),
  }));
}

/** A task's parameters, which hold its fixed period durations by period name (dt and σ are read by no period). */
export const timingOf = (p: object) => p as Readonly<Record<string, number>>;

/** A task whose periods all have fixed durations (its parameters) and whose truth is its condition's. */
export const fixedTiming = (p: object, c: Values) => ({ vars: { gt: c.gt }, durations: timingOf(p) });

/** σ/√dt, NeuroGym's noise per step (sigma is per √ms). */
export const stepNoise = (p: { dt: number; sigma: number }) => p.sigma / Math.sqrt(p.dt);
