/**
 * NeuroGym's interval-production task, following neurogym/neurogym neurogym/envs/native/readysetgo.py
 * (ReadySetGo-v0; Sohn, Narain, Meirhaeghe & Jazayeri 2019): a "ready" flash, a measured interval m ~ U(800, 1500) ms
 * that starts with it, a "set" flash, then the network must say "go" m × gain after the set.
 *
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
import type { TrialView } from '../framework';
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

/** The source's reward rule (see the header), on one trial. */
function producedInTime(view: TrialView, p: RsgParams): boolean {
  const l = view.layout;
  const production = l.periods.find((q) => q.name === 'production')!;
  for (let t = 0; t < production.start; t++) if (actionAt(view, t) !== 0) return false;
  const target = Number(l.vars.production);
  const endOfMeasure = p.fixation + Number(l.vars.measure);
  for (let t = production.start; t < l.length; t++)
    if (actionAt(view, t) === 1) return Math.abs(t * p.dt - endOfMeasure - target) <= p.prodMargin * target + 25;
  return false;
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
    const before = Math.floor(production / p.dt) * p.dt;
    return {
      vars: { measure, production },
      durations: {
        fixation: p.fixation,
        ready: p.ready,
        measure: measure - p.ready,
        set: p.set,
        production: before,
        go: p.dt,
        after: Math.max(0, 2 * production - before - p.dt),
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
