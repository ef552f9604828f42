/**
 * The task-definition framework: a task is a small typed object, not a generator.
 *
 * A trial is a sequence of named periods with durations in ms (converted to steps with dt). Each period may carry
 * values (drawn per period, e.g. which channel a flip-flop pulse hits). A trial also has a condition (its trial
 * type: the AND task's 00/10/01/11). Segments then say what each input and each target does:
 *
 *   { channel: 'A', period: 'stimulus', value: 'A' }            input A = condition.A during every 'stimulus' period
 *   { channel: 'y', period: 'response', value: 'out' }          target y = condition.out during 'response'
 *   { channel: 'y', period: 'pulse', offset: 20, until: 'next', value: 'set' }   a latch (flip-flop)
 *
 * `value` is a number, the name of a key looked up in the period's values, then the trial's variables, then the
 * condition, or a function of all three merged (rings of tuned channels: tasks/field/ring.ts); a missing key or an
 * undefined result means "no segment here". Targets elsewhere hold the baseline.
 *
 * Tasks from NeuroGym and Yang et al. draw continuous variables per trial (a direction, a coherence, a delay):
 * `draw` returns them, the periods and segments see them, and the trial's layout records them beside the tensors.
 * Trials of different lengths share a batch padded at the end: zero input, baseline target, mask 0 (the loss never
 * sees the padding), and each layout says its own length.
 *
 * Noise is added after the clean signal is built: N(0, inputNoise²) on every input sample of the trial's own steps,
 * N(0, targetNoise²) on every target sample, then N(0, σ²) on the samples of each segment that carries its own
 * `noise` (NeuroGym adds noise to the stimulus period only). Randomness comes from one seeded Rng, drawn in a fixed
 * order: per trial (condition, then its variables, then period values), then input noise, then target noise for the
 * whole set, then segment noise trial by trial.
 */
import { type Rng, RnnlabError, type Trials } from '@rnnlab/engine';
import type { Waveform } from './waveforms';

export type Values = Readonly<Record<string, number>>;

export interface Condition {
  readonly name: string;
  readonly values: Values;
}

export interface PeriodSpec {
  readonly name: string;
  /** Duration in ms. */
  readonly duration: number;
  readonly values?: Values;
}

/** A segment's level: a constant, a key to look up, or a function of the period's, trial's and condition's values. */
export type Level = number | string | ((v: Values) => number | undefined);

/**
 * A level's value among a trial's values: a number as it is, a function applied to them, a key looked up in them
 * (own keys only, so a level named "constructor" or "__proto__" is never found on Object.prototype).
 */
export function levelIn(level: Level, values: Values): number | undefined {
  if (typeof level === 'number') return level;
  if (typeof level === 'function') return level(values);
  return Object.hasOwn(values, level) ? values[level] : undefined;
}

export interface Segment {
  /** An input or output channel name. */
  readonly channel: string;
  /** Every period of this name anchors one segment. */
  readonly period: string;
  readonly value: Level;
  /** ms after the period's start (default 0). */
  readonly offset?: number;
  /**
   * Where the segment ends: 'period' (the anchor period's end, the default), 'end' (trial end), 'next' (the start of
   * the next segment on the same channel, or the trial end: a latch), or a duration in ms.
   */
  readonly until?: 'period' | 'end' | 'next' | number;
  readonly waveform?: Waveform;
  /** σ of Gaussian noise added to this segment's samples (inputs only), on top of the task-wide input noise. */
  readonly noise?: number;
}

/** Everything a success rule sees about one trial. */
export interface TrialView {
  readonly output: Float64Array; // [T][O] of this trial
  readonly target: Float64Array; // [T][O], with target noise
  readonly clean: Float64Array; // [T][O], without target noise
  readonly layout: TrialLayout;
  readonly nOut: number;
}

export interface TrialLayout {
  readonly condition: number;
  /** The trial's own steps; the batch is padded beyond them (mask 0). */
  readonly length: number;
  /** The trial's values: its condition's and the variables drawn for it (`TaskSpec.draw`): coherence, direction… */
  readonly vars: Values;
  readonly periods: ReadonlyArray<{ name: string; start: number; end: number; values: Values }>;
  /** Target segments actually written, in steps: [start, end), channel index, value. */
  readonly responses: ReadonlyArray<{ output: number; start: number; end: number; value: number }>;
}

export interface TaskSpec<P extends object = Record<string, number>> {
  readonly name: string;
  readonly title: string;
  readonly citation: string;
  /** Other names `getTask` accepts (NeuroGym's `<Class>-v0` ids). */
  readonly aliases?: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly defaults: P;
  /** ms per step (the paper: 1). */
  dt(p: P): number;
  conditions(p: P): readonly Condition[];
  /** Relative probabilities of the conditions (default: all equal), e.g. a multi-task mixture's task weights. */
  conditionWeights?(p: P): readonly number[];
  /** A mixture's tasks, in order: each trial's `task` value indexes this list (accuracy is reported per task). */
  readonly parts?: readonly string[];
  /** Continuous variables of one trial, drawn after its condition (the condition's values are in `condition`). */
  draw?(p: P, condition: Condition, rng: Rng): Values;
  /**
   * The period sequence of one trial; may draw per-period values from `rng`. `condition.values` holds the
   * condition's values and the trial's drawn variables (the variables win a clash).
   */
  periods(p: P, condition: Condition, rng: Rng): readonly PeriodSpec[];
  stimuli(p: P): readonly Segment[];
  responses(p: P): readonly Segment[];
  baseline(p: P): number;
  noise(p: P): { input: number; target: number };
  /** Loss weight per period name (default 1 everywhere, as in the paper). */
  maskWeights?(p: P): Readonly<Record<string, number>>;
  /** Whether the network's output on this trial counts as correct. */
  success(trial: TrialView, p: P): boolean;
  /**
   * The binary choice psychometric curves count, for tasks with two options and a signed `evidence` variable:
   * 1 when the network chose the option positive evidence favours, 0 the other, null for no choice (fixation kept,
   * or another answer).
   */
  choice?(trial: TrialView, p: P): 0 | 1 | null;
  /**
   * The probability that an ideal observer (one that knows the task's generative model and sees the trial's inputs)
   * answers this trial correctly, for tasks where that is below 1: noisy evidence, or an answer drawn at random
   * from the evidence. The zoo compares a network's accuracy with its mean.
   */
  ideal?(layout: TrialLayout, p: P): number;
  /** How the choice unfolds in time (chronometric curves), for tasks with `choice`. */
  readonly commitment?: Commitment;
  /** Suggested model and training settings (the paper's per-task choices). */
  hints?: TaskHints;
}

/**
 * A binary choice read at any step, for decision times: `choiceAt` is the option the read-out favours at step t with
 * fixation set aside (the same comparison `choice` makes at `readStep`), `from` the period whose start the time is
 * measured from (the evidence's onset).
 */
export interface Commitment {
  readonly from: string;
  readStep(trial: TrialView): number;
  choiceAt(trial: TrialView, t: number): 0 | 1;
}

export interface TaskHints {
  recurrentBias?: boolean;
  earlyStopLoss?: number;
  trainTrials?: number;
  dataSeed?: number;
  init?: 'normal' | 'orthogonal';
  /** Gain of the recurrent initialisation (Yang's ReLU networks: 0.5 × a random orthogonal matrix). */
  gain?: number;
  /** The source's model defaults where it has them (Yang et al.: 256 ReLU units, α = dt/τ = 0.2, σ_rec). */
  size?: number;
  activation?: 'tanh' | 'relu' | 'softplus';
  alpha?: number;
  /** 'softmax' for tasks whose source trains class labels with cross-entropy (NeuroGym's actions). */
  readout?: 'linear' | 'sigmoid' | 'softmax';
  recNoise?: number;
  lr?: number;
  batchSize?: number;
  epochs?: number;
  /**
   * Per-output loss weights (config.outputWeights) the source's cost implies under these parameters, or null; given
   * with lossNorm (costHints reads the two together).
   */
  outputWeights?(p: any): readonly number[] | null;
  /** The loss normalisation the source's cost implies under these parameters, or null for rnnlab's default. */
  lossNorm?(p: any): 'mask-sum' | 'mask-nonzero' | 'all-steps' | null;
}

export interface GeneratedTrials extends Trials {
  /** Targets before target noise. */
  cleanTargets: Float64Array;
  layouts: TrialLayout[];
  task: string;
  params: Record<string, unknown>;
}

export function resolveParams<P extends object>(task: TaskSpec<P>, overrides: Partial<P> = {}): P {
  const known = new Set(Object.keys(task.defaults));
  for (const k of Object.keys(overrides)) {
    if (!known.has(k))
      throw new RnnlabError(`task "${task.name}" has no parameter "${k}" (known: ${[...known].join(', ')})`);
  }
  const p = { ...task.defaults, ...overrides };
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new RnnlabError(`task "${task.name}": parameter ${k} must be finite, got ${v}`);
  }
  return p;
}

/**
 * What the task's source cost implies under these parameters (Yang's `cost`): per-output loss weights and the loss
 * normalisation, each null for rnnlab's default; null when the task's cost does not depend on its parameters. The
 * CLI, the lab's form and the zoo read it, so that they agree.
 */
export function costHints<P extends object>(
  task: TaskSpec<P>,
  params: Partial<P> = {},
): { outputWeights: number[] | null; lossNorm: 'mask-sum' | 'mask-nonzero' | 'all-steps' | null } | null {
  const h = task.hints;
  if (!h?.outputWeights && !h?.lossNorm) return null;
  const p = { ...task.defaults, ...params };
  const w = h.outputWeights?.(p);
  return { outputWeights: w ? [...w] : null, lossNorm: h.lossNorm?.(p) ?? null };
}

/** The names of the task's trial types (conditions) under these parameters. */
export function conditionNames<P extends object>(task: TaskSpec<P>, params: Partial<P> = {}): string[] {
  return task.conditions({ ...task.defaults, ...params }).map((c) => c.name);
}

/** Parameter overrides that switch off the task's input and target noise (for free runs and clean plots). */
export function noiseFreeParams<P extends object>(task: TaskSpec<P>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of ['inputNoise', 'noise']) if (k in task.defaults) out[k] = 0;
  return out;
}
