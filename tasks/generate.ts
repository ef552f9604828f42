/**
 * The generator: a TaskSpec and its parameters → trials in the engine's layout. Periods are laid out in steps,
 * segments written with their waveforms, then input and target noise added, every draw from one seeded Rng in a
 * fixed order (tasks/framework.ts describes the order).
 */
import { Rng, RnnlabError } from '@rnnlab/engine';
import { box, type Waveform } from './waveforms';
import {
  type Condition,
  levelIn,
  resolveParams,
  type GeneratedTrials,
  type Level,
  type Segment,
  type TaskSpec,
  type TrialLayout,
  type Values,
} from './framework';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, floor, max, min, round } = Math;

function msToSteps(ms: number, dt: number, what: string): number {
  const s = ms / dt;
  if (!(s >= 0) || abs(s - round(s)) > 1e-9)
    throw new RnnlabError(`${what} = ${ms} ms is not a whole number of ${dt}-ms steps`);
  return round(s);
}

/**
 * A level's value: a key is looked up in the period's values, then the trial's; a function sees both merged
 * (`merged` makes them once per period, when first needed).
 */
function lookup(value: Level, period: Values, cond: Values, merged: () => Values): number | undefined {
  if (typeof value === 'function') return value(merged());
  return levelIn(value, period) ?? levelIn(value, cond);
}

/**
 * Lay out one trial: its condition's values merged with the variables it draws (`TaskSpec.draw`), then period
 * boundaries in steps. `conditions` is task.conditions(p), passed in by a caller that lays out many trials.
 */
export function layoutTrial<P extends object>(
  task: TaskSpec<P>,
  p: P,
  conditionIndex: number,
  rng: Rng,
  given?: Values,
  conditions: readonly Condition[] = task.conditions(p),
) {
  const dt = task.dt(p);
  const base = conditions[conditionIndex];
  const vars = given ?? task.draw?.(p, base, rng) ?? {};
  const cond = task.draw || given ? { name: base.name, values: { ...base.values, ...vars } } : base;
  const periods: Array<{ name: string; start: number; end: number; values: Values }> = [];
  let t = 0;
  for (const ps of task.periods(p, cond, rng)) {
    const len = msToSteps(ps.duration, dt, `task "${task.name}": period "${ps.name}"`);
    periods.push({ name: ps.name, start: t, end: t + len, values: ps.values ?? {} });
    t += len;
  }
  return { cond, vars, periods, T: t, dt };
}

type Placed = { channel: number; start: number; end: number; value: number; waveform: Waveform; noise: number };

/** A task's segments with their channels resolved to indices, once per generated set (not per trial). */
type Resolved = { readonly seg: Segment; readonly ch: number };

function resolveChannels(segments: readonly Segment[], channels: readonly string[], task: string): Resolved[] {
  const index = new Map(channels.map((c, i) => [c, i]));
  return segments.map((seg) => {
    const ch = index.get(seg.channel);
    if (ch === undefined)
      throw new RnnlabError(
        `task "${task}": segment names channel "${seg.channel}", which is not one of ${channels.join(', ')}`,
      );
    return { seg, ch };
  });
}

function placeSegments(
  resolved: readonly Resolved[],
  periods: TrialLayout['periods'],
  cond: Values,
  T: number,
  dt: number,
  task: string,
): Placed[] {
  const placed: Placed[] = [];
  const merged: Array<Values | undefined> = [];
  // Each period name's occurrences, in order (a segment anchors at every period of its name).
  const byName = new Map<string, number[]>();
  periods.forEach((per, i) => {
    const at = byName.get(per.name);
    if (at) at.push(i);
    else byName.set(per.name, [i]);
  });
  for (const { seg, ch } of resolved) {
    for (const i of byName.get(seg.period) ?? []) {
      const per = periods[i];
      const value = lookup(seg.value, per.values, cond, () => (merged[i] ??= { ...cond, ...per.values }));
      if (value === undefined) continue;
      const start = per.start + msToSteps(seg.offset ?? 0, dt, `task "${task}": offset`);
      let end: number;
      const until = seg.until ?? 'period';
      if (until === 'period') end = per.end;
      else if (until === 'end' || until === 'next') end = T;
      else end = start + msToSteps(until, dt, `task "${task}": segment duration`);
      if (start > T || end > T)
        throw new RnnlabError(
          `task "${task}": a "${seg.channel}" segment [${start}, ${end}) runs past the trial end (${T} steps); check ` +
            `the timing parameters`,
        );
      if (!Number.isFinite(value))
        throw new RnnlabError(`task "${task}": a "${seg.channel}" segment has the level ${value}, not a number`);
      placed.push({ channel: ch, start, end, value, waveform: seg.waveform ?? box, noise: seg.noise ?? 0 });
    }
  }
  // Latches end where the next segment on the same channel begins.
  const untils = resolved.map((r) => r.seg.until ?? 'period');
  if (untils.includes('next')) {
    const byChannel = new Map<number, Placed[]>();
    for (const s of placed) byChannel.set(s.channel, [...(byChannel.get(s.channel) ?? []), s]);
    for (const list of byChannel.values()) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 0; i + 1 < list.length; i++) list[i].end = min(list[i].end, list[i + 1].start);
    }
  }
  return placed;
}

function writeSegments(out: Float64Array, placed: Placed[], trialOffset: number, width: number, T: number): void {
  for (const s of placed) {
    if (s.waveform === box) {
      // A constant level (most segments): written without building its waveform array.
      for (let t = s.start; t < s.end; t++) out[(trialOffset + t) * width + s.channel] = s.value;
      continue;
    }
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
  /**
   * Each trial's variables given instead of drawn (Yang's 'psychometric' mode: chosen directions, strengths and
   * timings); one entry per trial, each with every variable the task's periods and segments read.
   */
  vars?: ReadonlyArray<Values>;
}

/**
 * The framework's noise, in its order: input noise on each trial's own steps, target noise on them (the targets
 * returned; `clean` keeps the clean ones), then each noisy segment's own noise, trial by trial.
 */
function addNoise(
  noise: { input: number; target: number },
  arrays: { inputs: Float64Array; clean: Float64Array; noisy: Placed[][] },
  laid: ReadonlyArray<{ T: number }>,
  shape: { T: number; I: number; O: number; rng: Rng },
): Float64Array {
  const { T, I, O, rng } = shape;
  const { inputs, clean, noisy } = arrays;
  if (noise.input > 0)
    for (let b = 0; b < laid.length; b++)
      for (let i = b * T * I; i < (b * T + laid[b].T) * I; i++) inputs[i] += noise.input * rng.normal();
  const targets = clean.slice();
  if (noise.target > 0)
    for (let b = 0; b < laid.length; b++)
      for (let i = b * T * O; i < (b * T + laid[b].T) * O; i++) targets[i] += noise.target * rng.normal();
  for (let b = 0; b < laid.length; b++)
    for (const s of noisy[b])
      for (let t = s.start; t < s.end; t++) inputs[(b * T + t) * I + s.channel] += s.noise * rng.normal();
  return targets;
}

/** A draw of a condition index from relative weights, by the cumulative sum (one uniform per trial). */
function weightedPick(weights: readonly number[], task: string): (u: number) => number {
  if (!weights.every((w) => Number.isFinite(w) && w >= 0) || !weights.some((w) => w > 0))
    throw new RnnlabError(`task "${task}": condition weights must be finite, non-negative and not all 0`);
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const cumulative = weights.map((w) => (sum += w / total));
  return (u) => {
    const k = cumulative.findIndex((c) => u < c);
    return k < 0 ? weights.length - 1 : k;
  };
}

type Laid = ReturnType<typeof layoutTrial> & { k: number };

/** Draw every trial's condition, variables and periods first (the batch's length is the longest trial's). */
function layAll<P extends object>(task: TaskSpec<P>, p: P, opts: GenerateOptions<P>, rng: Rng): Laid[] {
  const conditions = task.conditions(p);
  const nCond = conditions.length;
  const weights = task.conditionWeights?.(p);
  const pick = weights ? weightedPick(weights, task.name) : (u: number) => floor(u * nCond);
  if (opts.vars && opts.vars.length !== opts.nTrials)
    throw new RnnlabError(`${opts.vars.length} sets of trial variables were given for ${opts.nTrials} trials`);
  const laid: Laid[] = [];
  for (let b = 0; b < opts.nTrials; b++) {
    const k = opts.condition ?? (opts.grid ? b % nCond : weights ? pick(rng.uniform()) : rng.int(nCond));
    if (!(Number.isInteger(k) && k >= 0 && k < nCond))
      throw new RnnlabError(`task "${task.name}" has ${nCond} conditions; ${k} is out of range`);
    const lay = layoutTrial(task, p, k, rng, opts.vars?.[b], conditions);
    if (lay.T <= 0) throw new RnnlabError(`task "${task.name}": the trial has no steps`);
    laid.push({ ...lay, k });
  }
  return laid;
}

/** Generate `nTrials` trials of `task` (batch-major, the engine's Trials layout). */
export function generate<P extends object>(task: TaskSpec<P>, opts: GenerateOptions<P>): GeneratedTrials {
  const p = resolveParams(task, opts.params);
  if (!Number.isInteger(opts.nTrials) || opts.nTrials <= 0)
    throw new RnnlabError(`nTrials must be a positive integer, got ${opts.nTrials}`);
  const rng = new Rng(opts.seed ?? task.hints?.dataSeed ?? 1);
  const laid = layAll(task, p, opts, rng);
  const I = task.inputs.length,
    O = task.outputs.length,
    B = opts.nTrials;
  const T = max(...laid.map((l) => l.T));
  const inputs = new Float64Array(B * T * I);
  const clean = new Float64Array(B * T * O).fill(task.baseline(p));
  const mask = new Float64Array(B * T);
  const types = new Int32Array(B);
  const weights = task.maskWeights?.(p) ?? {};
  const noisy: Placed[][] = [];
  // The segments depend on the parameters only: built and resolved once, not per trial.
  const stimuli = resolveChannels(task.stimuli(p), task.inputs, task.name);
  const targetSegments = resolveChannels(task.responses(p), task.outputs, task.name);
  const layouts: TrialLayout[] = laid.map((lay, b) => {
    types[b] = lay.k;
    const cv = lay.cond.values;
    const stim = placeSegments(stimuli, lay.periods, cv, lay.T, lay.dt, task.name);
    writeSegments(inputs, stim, b * T, I, T);
    noisy.push(stim.filter((s) => s.noise > 0));
    const resp = placeSegments(targetSegments, lay.periods, cv, lay.T, lay.dt, task.name);
    writeSegments(clean, resp, b * T, O, T);
    mask.fill(1, b * T, b * T + lay.T);
    for (const per of lay.periods) {
      const w = Object.hasOwn(weights, per.name) ? weights[per.name] : undefined;
      if (w !== undefined) mask.fill(w, b * T + per.start, b * T + per.end);
    }
    const responses = resp.map((r) => ({ output: r.channel, start: r.start, end: r.end, value: r.value }));
    return { condition: lay.k, length: lay.T, vars: lay.cond.values, periods: lay.periods, responses };
  });
  const targets = addNoise(task.noise(p), { inputs, clean, noisy }, laid, { T, I, O, rng });
  return {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs,
    targets,
    mask,
    trialTypes: types,
    cleanTargets: clean,
    layouts,
    task: task.name,
    params: { ...(p as Record<string, unknown>) },
  };
}
