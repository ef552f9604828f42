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
 * `value` is a number or the name of a key looked up in the period's values, then the condition; a missing key
 * means "no segment here". Targets elsewhere hold the baseline. Noise is added after the clean signal is built:
 * N(0, inputNoise²) on every input sample, N(0, targetNoise²) on every target sample. Randomness comes from one
 * seeded Rng, drawn in a fixed order: per trial (condition, then period values), then input noise, then target
 * noise for the whole set.
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

export interface Segment {
  /** An input or output channel name. */
  readonly channel: string;
  /** Every period of this name anchors one segment. */
  readonly period: string;
  readonly value: number | string;
  /** ms after the period's start (default 0). */
  readonly offset?: number;
  /**
   * Where the segment ends: 'period' (the anchor period's end, the default), 'end' (trial end), 'next' (the start of
   * the next segment on the same channel, or the trial end: a latch), or a duration in ms.
   */
  readonly until?: 'period' | 'end' | 'next' | number;
  readonly waveform?: Waveform;
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
  readonly periods: ReadonlyArray<{ name: string; start: number; end: number; values: Values }>;
  /** Target segments actually written, in steps: [start, end), channel index, value. */
  readonly responses: ReadonlyArray<{ output: number; start: number; end: number; value: number }>;
}

export interface TaskSpec<P extends object = Record<string, number>> {
  readonly name: string;
  readonly title: string;
  readonly citation: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly defaults: P;
  /** ms per step (the paper: 1). */
  dt(p: P): number;
  conditions(p: P): readonly Condition[];
  /** The period sequence of one trial; may draw per-period values from `rng`. */
  periods(p: P, condition: Condition, rng: Rng): readonly PeriodSpec[];
  stimuli(p: P): readonly Segment[];
  responses(p: P): readonly Segment[];
  baseline(p: P): number;
  noise(p: P): { input: number; target: number };
  /** Loss weight per period name (default 1 everywhere, as in the paper). */
  maskWeights?(p: P): Readonly<Record<string, number>>;
  /** Whether the network's output on this trial counts as correct. */
  success(trial: TrialView, p: P): boolean;
  /** Suggested model and training settings (the paper's per-task choices). */
  hints?: TaskHints;
}

export interface TaskHints {
  recurrentBias?: boolean;
  earlyStopLoss?: number;
  trainTrials?: number;
  dataSeed?: number;
  init?: 'normal' | 'orthogonal';
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
