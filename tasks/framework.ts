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
import { Rng, RnnlabError, type Trials } from '@rnnlab/engine';
import { box, type Waveform } from './waveforms';

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
  readonly clean: Float64Array;  // [T][O], without target noise
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
    if (!known.has(k)) throw new RnnlabError(`task "${task.name}" has no parameter "${k}" (known: ${[...known].join(', ')})`);
  }
  const p = { ...task.defaults, ...overrides };
  for (const [k, v] of Object.entries(p)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RnnlabError(`task "${task.name}": parameter ${k} must be finite, got ${v}`);
  }
  return p;
}

function msToSteps(ms: number, dt: number, what: string): number {
  const s = ms / dt;
  if (!(s >= 0) || Math.abs(s - Math.round(s)) > 1e-9) throw new RnnlabError(`${what} = ${ms} ms is not a whole number of ${dt}-ms steps`);
  return Math.round(s);
}

function lookup(value: number | string, period: Values, cond: Values): number | undefined {
  if (typeof value === 'number') return value;
  if (value in period) return period[value];
  if (value in cond) return cond[value];
  return undefined;
}

/** Lay out one trial: period boundaries in steps and the clean segments. */
export function layoutTrial<P extends object>(task: TaskSpec<P>, p: P, conditionIndex: number, rng: Rng) {
  const dt = task.dt(p);
  const cond = task.conditions(p)[conditionIndex];
  const periods: Array<{ name: string; start: number; end: number; values: Values }> = [];
  let t = 0;
  for (const ps of task.periods(p, cond, rng)) {
    const len = msToSteps(ps.duration, dt, `task "${task.name}": period "${ps.name}"`);
    periods.push({ name: ps.name, start: t, end: t + len, values: ps.values ?? {} });
    t += len;
  }
  return { cond, periods, T: t, dt };
}

type Placed = { channel: number; start: number; end: number; value: number; waveform: Waveform };

function placeSegments(segments: readonly Segment[], channels: readonly string[], periods: TrialLayout['periods'], cond: Values, T: number, dt: number, task: string): Placed[] {
  const placed: Placed[] = [];
  for (const seg of segments) {
    const ch = channels.indexOf(seg.channel);
    if (ch < 0) throw new RnnlabError(`task "${task}": segment names channel "${seg.channel}", which is not one of ${channels.join(', ')}`);
    for (const per of periods) {
      if (per.name !== seg.period) continue;
      const value = lookup(seg.value, per.values, cond);
      if (value === undefined) continue;
      const start = per.start + msToSteps(seg.offset ?? 0, dt, `task "${task}": offset`);
      let end: number;
      const until = seg.until ?? 'period';
      if (until === 'period') end = per.end;
      else if (until === 'end' || until === 'next') end = T;
      else end = start + msToSteps(until, dt, `task "${task}": segment duration`);
      if (start > T || end > T) throw new RnnlabError(`task "${task}": a "${seg.channel}" segment [${start}, ${end}) runs past the trial end (${T} steps); check the timing parameters`);
      placed.push({ channel: ch, start, end, value, waveform: seg.waveform ?? box });
    }
  }
  // Latches end where the next segment on the same channel begins.
  const untils = segments.map((s) => s.until ?? 'period');
  if (untils.includes('next')) {
    const byChannel = new Map<number, Placed[]>();
    for (const s of placed) byChannel.set(s.channel, [...(byChannel.get(s.channel) ?? []), s]);
    for (const list of byChannel.values()) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 0; i + 1 < list.length; i++) list[i].end = Math.min(list[i].end, list[i + 1].start);
    }
  }
  return placed;
}

function writeSegments(out: Float64Array, placed: Placed[], trialOffset: number, width: number, T: number): void {
  for (const s of placed) {
    const wave = s.waveform(s.value, s.end - s.start, T);
    for (let t = s.start; t < s.end; t++) out[(trialOffset + t) * width + s.channel] = wave[t - s.start];
  }
}

export interface GenerateOptions<P> {
  nTrials: number;
  seed?: number | string;
  params?: Partial<P>;
  /** Force every trial to this condition index (e.g. for plots); otherwise drawn uniformly. */
  condition?: number;
  /** Cycle through the conditions in order (a deterministic grid for analysis). */
  grid?: boolean;
}

/** Generate `nTrials` trials of `task` (batch-major, the engine's Trials layout). */
export function generate<P extends object>(task: TaskSpec<P>, opts: GenerateOptions<P>): GeneratedTrials {
  const p = resolveParams(task, opts.params);
  if (!Number.isInteger(opts.nTrials) || opts.nTrials <= 0) throw new RnnlabError(`nTrials must be a positive integer, got ${opts.nTrials}`);
  const rng = new Rng(opts.seed ?? task.hints?.dataSeed ?? 1);
  const conditions = task.conditions(p);
  const I = task.inputs.length, O = task.outputs.length;
  const layouts: TrialLayout[] = [];
  let T = -1;
  let inputs = new Float64Array(0), clean = new Float64Array(0), mask = new Float64Array(0);
  const types = new Int32Array(opts.nTrials);
  const weights = task.maskWeights?.(p) ?? {};
  const base = task.baseline(p);
  for (let b = 0; b < opts.nTrials; b++) {
    const k = opts.condition ?? (opts.grid ? b % conditions.length : rng.int(conditions.length));
    if (!(k >= 0 && k < conditions.length)) throw new RnnlabError(`task "${task.name}" has ${conditions.length} conditions; ${k} is out of range`);
    const lay = layoutTrial(task, p, k, rng);
    if (T < 0) {
      T = lay.T;
      if (T <= 0) throw new RnnlabError(`task "${task.name}": the trial has no steps`);
      inputs = new Float64Array(opts.nTrials * T * I);
      clean = new Float64Array(opts.nTrials * T * O).fill(base);
      mask = new Float64Array(opts.nTrials * T).fill(1);
    } else if (lay.T !== T) {
      throw new RnnlabError(`task "${task.name}": trials of different lengths (${T} and ${lay.T} steps) cannot share a batch`);
    }
    types[b] = k;
    const cv = lay.cond.values;
    writeSegments(inputs, placeSegments(task.stimuli(p), task.inputs, lay.periods, cv, T, lay.dt, task.name), b * T, I, T);
    const resp = placeSegments(task.responses(p), task.outputs, lay.periods, cv, T, lay.dt, task.name);
    writeSegments(clean, resp, b * T, O, T);
    for (const per of lay.periods) {
      const w = weights[per.name];
      if (w !== undefined) for (let t = per.start; t < per.end; t++) mask[b * T + t] = w;
    }
    layouts.push({ condition: k, periods: lay.periods, responses: resp.map((r) => ({ output: r.channel, start: r.start, end: r.end, value: r.value })) });
  }
  const noise = task.noise(p);
  if (noise.input > 0) for (let i = 0; i < inputs.length; i++) inputs[i] += noise.input * rng.normal();
  const targets = clean.slice();
  if (noise.target > 0) for (let i = 0; i < targets.length; i++) targets[i] += noise.target * rng.normal();
  return {
    nTrials: opts.nTrials, nSteps: T, nIn: I, nOut: O, inputs, targets, mask, trialTypes: types,
    cleanTargets: clean, layouts, task: task.name, params: { ...(p as Record<string, unknown>) },
  };
}

/** Fraction of trials whose output the task counts as correct; also per condition. */
export function accuracy<P extends object>(task: TaskSpec<P>, trials: GeneratedTrials, outputs: Float64Array, params?: Partial<P>): { overall: number; perCondition: Record<string, { correct: number; total: number }> } {
  const p = resolveParams(task, params ?? (trials.params as Partial<P>));
  const { nSteps: T, nOut: O } = trials;
  const names = conditionNames(task, p);
  const per: Record<string, { correct: number; total: number }> = {};
  for (const n of names) per[n] = { correct: 0, total: 0 };
  let correct = 0;
  for (let b = 0; b < trials.nTrials; b++) {
    const view: TrialView = {
      output: outputs.subarray(b * T * O, (b + 1) * T * O), target: trials.targets.subarray(b * T * O, (b + 1) * T * O),
      clean: trials.cleanTargets.subarray(b * T * O, (b + 1) * T * O), layout: trials.layouts[b], nOut: O,
    };
    const ok = task.success(view, p);
    const c = per[names[trials.layouts[b].condition]];
    c.total++;
    if (ok) { c.correct++; correct++; }
  }
  return { overall: correct / trials.nTrials, perCondition: per };
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

/** Mean of a per-trial value (e.g. the distance) for each condition name present in the trials. */
export function meanByCondition(trials: Trials, values: ArrayLike<number>, names: readonly string[]): Record<string, number> {
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
