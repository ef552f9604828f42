/**
 * NeuroGym's interval-production tasks, following neurogym/neurogym neurogym/envs/native/readysetgo.py:
 * - ReadySetGo-v0 (Sohn, Narain, Meirhaeghe & Jazayeri 2019): a "ready" flash, a measured interval m ~ U(800, 1500)
 *   ms that starts with it, a "set" flash, then the network must say "go" m × gain after the set;
 * - MotorTiming-v0 (Wang, Narain, Hosseini & Jazayeri 2018): a cue of U(1000, 3000) ms whose indicator channel says
 *   which interval to produce (800 or 1500 ms, equally likely), a 50-ms set, then "go" that long after the set. The
 *   source's note "different actions not implemented" holds: one go action for both intervals;
 * - OneTwoThreeGo-v0 (Egger, Remington, Chang & Jazayeri 2019): three 100-ms flashes one interval apart (600–1000
 *   ms); the network must go one more interval after the third. The source's fixation input stays on for the whole
 *   trial and its target input is on after fixation; the ground truth is "go" for the whole 1000-ms response period,
 *   which starts one interval after the third flash; success is the same reward rule measured from the end of s3,
 *   with a go allowed from interval3 on (the source only penalises an earlier one; it fails here).
 *
 * ReadySetGo in detail (MotorTiming is laid out the same way from its set on): *
 * The source's periods overlap (its measure period starts with ready, at the end of fixation); rnnlab's are laid one
 * after another with the same boundaries: fixation (100), ready (83), the rest of the measure (m − 83), set (83), and
 * the production window of 2 m × gain split at its go step: `production` (int(p/dt) steps), `go` (one step) and
 * `after` (the rest). The source writes its ground truth as an array of int(2p/dt) entries with the 1 at int(p/dt);
 * the production window has int((s + 2p)/dt) − int(s/dt) steps (s its start in ms), one more than that array in about
 * half of the trials at dt = 80, where numpy would refuse the assignment; rnnlab keeps the go at int(p/dt) and
 * fixates on every other step. Observations: fixation 1 until production (`set_ob(0, "production")`), ready and set
 * 1 in their periods; no noise.
 *
 * Success is the source's reward rule: fixation kept before production, then the first "go" at step i has
 * |i·dt − (fixation + m) − p| ≤ prod_margin · p + 25 ms (measured, as the source does, from the end of the measure
 * period, the set's start). The source only aborts a go in the fixation period; a go in ready, measure or set fails
 * here too.
 */
import { RnnlabError } from '@rnnlab/engine';
import type { TrialView, Values } from '../framework';
import { actionAt, fixationIn, type NeuroGymDef, sampleTime } from './common';

interface RsgParams {
  dt: number;
  fixation: number;
  ready: number;
  set: number;
  /** The measured interval's uniform range (ms). */
  measureMin: number;
  measureMax: number;
  /** The interval to produce is measure × gain. */
  gain: number;
  /** Tolerance: prod_margin × production + 25 ms. */
  prodMargin: number;
}

/**
 * The source's reward rule (see the header), on one trial: `reference` is the time (ms) the source measures the
 * produced interval from (ReadySetGo: the measure period's end; MotorTiming: the set's end; OneTwoThreeGo: the end
 * of s3); a go before the period `from` fails.
 */
function producedInTime(view: TrialView, p: { dt: number; prodMargin: number }, from = 'production'): boolean {
  const l = view.layout;
  const production = l.periods.find((q) => q.name === from)!;
  for (let t = 0; t < production.start; t++) if (actionAt(view, t) !== 0) return false;
  const target = Number(l.vars.production);
  const reference = Number(l.vars.reference);
  for (let t = production.start; t < l.length; t++)
    if (actionAt(view, t) === 1) return Math.abs(t * p.dt - reference - target) <= p.prodMargin * target + 25;
  return false;
}

/**
 * The production window of 2 × production ms split at its go step: `production` (int(production/dt) steps from
 * the window's start), `go` (one step) and `after` (the rest of the window), in ms.
 */
function productionWindow(production: number, dt: number): { production: number; go: number; after: number } {
  const before = Math.floor(production / dt) * dt;
  return { production: before, go: dt, after: Math.max(0, 2 * production - before - dt) };
}

/** readysetgo.py ReadySetGo. */
export const READY_SET_GO: NeuroGymDef<RsgParams> = {
  cls: 'ReadySetGo',
  name: 'ng-ready-set-go',
  file: 'neurogym/envs/native/readysetgo.py',
  paper: 'Sohn, Narain, Meirhaeghe & Jazayeri (2019) Neuron 103:934',
  inputs: ['fixation', 'ready', 'set'],
  actions: ['fixate', 'go'],
  defaults: { dt: 80, fixation: 100, ready: 83, set: 83, measureMin: 800, measureMax: 1500, gain: 1, prodMargin: 0.2 },
  periods: ['fixation', 'ready', 'measure', 'set', 'production', 'go', 'after'],
  conditions: () => [{ name: 'all', values: {} }],
  draw: (p, _c, rng) => {
    if (!(p.measureMin >= p.ready && p.measureMax > p.measureMin && p.gain > 0))
      throw new RnnlabError('ng-ready-set-go: need ready ≤ measureMin < measureMax and gain > 0');
    const measure = sampleTime(rng, { uniform: [p.measureMin, p.measureMax] });
    const production = measure * p.gain;
    return {
      vars: { measure, production, reference: p.fixation + measure },
      durations: {
        fixation: p.fixation,
        ready: p.ready,
        measure: measure - p.ready,
        set: p.set,
        ...productionWindow(production, p.dt),
      },
    };
  },
  stimuli: () => [
    ...fixationIn(['fixation', 'ready', 'measure', 'set']),
    { channel: 'ready', period: 'ready', value: 1 },
    { channel: 'set', period: 'set', value: 1 },
  ],
  truth: { go: 1 },
  success: producedInTime,
};

interface MotorTimingParams {
  dt: number;
  fixation: number;
  /** The cue's uniform duration range (ms). */
  cueMin: number;
  cueMax: number;
  set: number;
  /** The two intervals to produce (ms): `intervals` in the source. */
  interval1: number;
  interval2: number;
  prodMargin: number;
}

/** readysetgo.py MotorTiming. */
export const MOTOR_TIMING: NeuroGymDef<MotorTimingParams> = {
  cls: 'MotorTiming',
  name: 'ng-motor-timing',
  file: 'neurogym/envs/native/readysetgo.py',
  paper: 'Wang, Narain, Hosseini & Jazayeri (2018) Nat. Neurosci. 21:102',
  inputs: ['fixation', 'interval1', 'interval2', 'set'],
  actions: ['fixate', 'go'],
  defaults: {
    dt: 80,
    fixation: 500,
    cueMin: 1000,
    cueMax: 3000,
    set: 50,
    interval1: 800,
    interval2: 1500,
    prodMargin: 0.2,
  },
  periods: ['fixation', 'cue', 'set', 'production', 'go', 'after'],
  conditions: (p) => [
    { name: `produce ${p.interval1}`, values: { which: 1 } },
    { name: `produce ${p.interval2}`, values: { which: 2 } },
  ],
  draw: (p, c, rng) => {
    if (!(p.cueMax > p.cueMin && p.cueMin >= 0 && p.interval1 > 0 && p.interval2 > 0))
      throw new RnnlabError('ng-motor-timing: need 0 ≤ cueMin < cueMax and positive intervals');
    const cue = sampleTime(rng, { uniform: [p.cueMin, p.cueMax] });
    const production = c.which === 1 ? p.interval1 : p.interval2;
    return {
      vars: { cue, production, reference: p.fixation + cue + p.set },
      durations: { fixation: p.fixation, cue, set: p.set, ...productionWindow(production, p.dt) },
    };
  },
  stimuli: () => [
    ...fixationIn(['fixation', 'cue', 'set']),
    ...['cue', 'set'].flatMap((period) =>
      [1, 2].map((k) => ({ channel: `interval${k}`, period, value: (v: Values) => (v.which === k ? 1 : undefined) })),
    ),
    { channel: 'set', period: 'set', value: 1 },
  ],
  truth: { go: 1 },
  success: producedInTime,
};

interface OttgParams {
  dt: number;
  s1: number;
  s2: number;
  s3: number;
  response: number;
  prodMargin: number;
}
const OTTG_PERIODS = ['fixation', 'target', 's1', 'interval1', 's2', 'interval2', 's3', 'interval3', 'response'];

/** readysetgo.py OneTwoThreeGo. */
export const ONE_TWO_THREE_GO: NeuroGymDef<OttgParams> = {
  cls: 'OneTwoThreeGo',
  name: 'ng-one-two-three-go',
  file: 'neurogym/envs/native/readysetgo.py',
  paper: 'Egger, Remington, Chang & Jazayeri (2019) Nat. Neurosci. 22:1871',
  inputs: ['fixation', 'stimulus', 'target'],
  actions: ['fixate', 'go'],
  defaults: { dt: 80, s1: 100, s2: 100, s3: 100, response: 1000, prodMargin: 0.2 },
  periods: OTTG_PERIODS,
  conditions: () => [600, 700, 800, 900, 1000].map((interval) => ({ name: `${interval} ms`, values: { interval } })),
  draw: (p, c, rng) => {
    const fixation = sampleTime(rng, { truncExp: [400, 100, 800] });
    const target = sampleTime(rng, { truncExp: [1000, 500, 1500] });
    const i = c.interval;
    const durations = { fixation, target, s1: p.s1, interval1: i, s2: p.s2, interval2: i, s3: p.s3, interval3: i };
    return {
      vars: { fixation, target, production: i, reference: fixation + target + p.s1 + i + p.s2 + i + p.s3 },
      durations: { ...durations, response: p.response },
    };
  },
  stimuli: () => [
    ...fixationIn(OTTG_PERIODS),
    ...['s1', 's2', 's3'].map((period) => ({ channel: 'stimulus', period, value: 1 })),
    ...OTTG_PERIODS.slice(1).map((period) => ({ channel: 'target', period, value: 1 })),
  ],
  truth: { response: 1 },
  success: (view, p) => producedInTime(view, p, 'interval3'),
};
