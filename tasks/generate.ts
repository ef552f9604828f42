/**
 * The generator: a TaskSpec and its parameters → trials in the engine's layout. Periods are laid out in steps,
 * segments written with their waveforms, then input and target noise added, every draw from one seeded Rng in a
 * fixed order (tasks/framework.ts describes the order).
 */
import { Rng, RnnlabError } from '@rnnlab/engine';
import { box, type Waveform } from './waveforms';
import {
  resolveParams,
  type GeneratedTrials,
  type Segment,
  type TaskSpec,
  type TrialLayout,
  type Values,
} from './framework';

function msToSteps(ms: number, dt: number, what: string): number {
  const s = ms / dt;
  if (!(s >= 0) || Math.abs(s - Math.round(s)) > 1e-9)
    throw new RnnlabError(`${what} = ${ms} ms is not a whole number of ${dt}-ms steps`);
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

function placeSegments(
  segments: readonly Segment[],
  channels: readonly string[],
  periods: TrialLayout['periods'],
  cond: Values,
  T: number,
  dt: number,
  task: string,
): Placed[] {
  const placed: Placed[] = [];
  for (const seg of segments) {
    const ch = channels.indexOf(seg.channel);
    if (ch < 0)
      throw new RnnlabError(
        `task "${task}": segment names channel "${seg.channel}", which is not one of ${channels.join(', ')}`,
      );
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
      if (start > T || end > T)
        throw new RnnlabError(
          `task "${task}": a "${seg.channel}" segment [${start}, ${end}) runs past the trial end (${T} steps); check ` +
            `the timing parameters`,
        );
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
  if (!Number.isInteger(opts.nTrials) || opts.nTrials <= 0)
    throw new RnnlabError(`nTrials must be a positive integer, got ${opts.nTrials}`);
  const rng = new Rng(opts.seed ?? task.hints?.dataSeed ?? 1);
  const conditions = task.conditions(p);
  const I = task.inputs.length,
    O = task.outputs.length;
  const layouts: TrialLayout[] = [];
  let T = -1;
  let inputs = new Float64Array(0),
    clean = new Float64Array(0),
    mask = new Float64Array(0);
  const types = new Int32Array(opts.nTrials);
  const weights = task.maskWeights?.(p) ?? {};
  const base = task.baseline(p);
  for (let b = 0; b < opts.nTrials; b++) {
    const k = opts.condition ?? (opts.grid ? b % conditions.length : rng.int(conditions.length));
    if (!(k >= 0 && k < conditions.length))
      throw new RnnlabError(`task "${task.name}" has ${conditions.length} conditions; ${k} is out of range`);
    const lay = layoutTrial(task, p, k, rng);
    if (T < 0) {
      T = lay.T;
      if (T <= 0) throw new RnnlabError(`task "${task.name}": the trial has no steps`);
      inputs = new Float64Array(opts.nTrials * T * I);
      clean = new Float64Array(opts.nTrials * T * O).fill(base);
      mask = new Float64Array(opts.nTrials * T).fill(1);
    } else if (lay.T !== T) {
      throw new RnnlabError(
        `task "${task.name}": trials of different lengths (${T} and ${lay.T} steps) cannot share a batch`,
      );
    }
    types[b] = k;
    const cv = lay.cond.values;
    writeSegments(
      inputs,
      placeSegments(task.stimuli(p), task.inputs, lay.periods, cv, T, lay.dt, task.name),
      b * T,
      I,
      T,
    );
    const resp = placeSegments(task.responses(p), task.outputs, lay.periods, cv, T, lay.dt, task.name);
    writeSegments(clean, resp, b * T, O, T);
    for (const per of lay.periods) {
      const w = weights[per.name];
      if (w !== undefined) for (let t = per.start; t < per.end; t++) mask[b * T + t] = w;
    }
    layouts.push({
      condition: k,
      periods: lay.periods,
      responses: resp.map((r) => ({ output: r.channel, start: r.start, end: r.end, value: r.value })),
    });
  }
  const noise = task.noise(p);
  if (noise.input > 0) for (let i = 0; i < inputs.length; i++) inputs[i] += noise.input * rng.normal();
  const targets = clean.slice();
  if (noise.target > 0) for (let i = 0; i < targets.length; i++) targets[i] += noise.target * rng.normal();
  return {
    nTrials: opts.nTrials,
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
