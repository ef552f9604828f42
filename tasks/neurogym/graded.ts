/**
 * NeuroGym tasks whose targets are numbers to match, not actions to choose (a linear read-out with squared error):
 * - ReachingDelayResponse-v0, following neurogym/neurogym neurogym/envs/native/reachingdelayresponse.py: a reach
 *   target x ~ U(0, 1) shown for 500 ms on the stimulus channel, a delay of 0, 1000 or 2000 ms, then 500 ms to
 *   reach. Observations [go, stimulus]: [0, x] in the stimulus period, [0, −0.5] in the delay, [1, −0.5] in the
 *   decision. Ground truth [go, position]: [−1, −0.5] until the decision, [1, x] in it. The source's reward is
 *   1/(1 + |position − x|)² at the first decision step where go > 0 (its "performance"); rnnlab's success: go ≤ 0
 *   through the stimulus period (where the source aborts) and, at the first decision step with go > 0, the position
 *   within `tolerance` (0.05: a performance of 0.91 or more) of x.
 * - SpatialSuppressMotion-v0, following neurogym/envs/native/spatialsuppressmotion.py (Tadin et al. 2003): a
 *   grating moving left, right, up or down, small at low contrast (0.05, diameter 1 of 8) or large at high contrast
 *   (0.99, diameter 8), for 300 ms at dt 8.3 ms (36 frames), on 32 inputs (4 direction pools × 8 sizes, channel
 *   8·d + s carries (cos(θ_d − θ_motion) + 1)·contrast/2 when s < diameter). The target per frame is the human
 *   probability of reporting each direction, interpolated linearly (scipy's interp1d 'slinear', extrapolated) from
 *   the source's measured points: the correct direction, the opposite one, and the rest split evenly between the
 *   two orthogonal ones. Those "probabilities" are the source's numbers as they are: at high contrast the last
 *   frames' correct and opposite entries (0.99 and 0.04) sum past 1, so the orthogonal ones go slightly negative,
 *   which is why this is a linear read-out and not a softmax (the source has no success rule: it is a
 *   psychophysics model). rnnlab's success: at every frame the outputs are within 0.1 of the target in total
 *   variation (½ Σ_o |y_o − ŷ_o|).
 */
import { RnnlabError } from '@rnnlab/engine';
import type { Segment, TrialView, Values } from '../framework';
import { type NeuroGymDef, sampleTime, timingOf } from './common';

const REF = 'neurogym/envs/native/';

interface ReachParams {
  dt: number;
  stimulus: number;
  decision: number;
  /** The reach target's uniform range (lowbound, highbound). */
  lowbound: number;
  highbound: number;
  /** rnnlab's success: |position − x| at the first go of the decision period. */
  tolerance: number;
}

/** The first decision step whose go output is positive, and the stimulus period kept (go ≤ 0). */
function reachedInTime(view: TrialView, p: ReachParams): boolean {
  const l = view.layout;
  const y = (t: number, o: number) => view.output[t * view.nOut + o];
  const stim = l.periods.find((q) => q.name === 'stimulus')!;
  const decision = l.periods.find((q) => q.name === 'decision')!;
  for (let t = stim.start; t < stim.end; t++) if (y(t, 0) > 0) return false;
  for (let t = decision.start; t < decision.end; t++)
    if (y(t, 0) > 0) return Math.abs(y(t, 1) - l.vars.x) <= p.tolerance;
  return false;
}

/** reachingdelayresponse.py ReachingDelayResponse. */
export const REACHING_DELAY_RESPONSE: NeuroGymDef<ReachParams> = {
  cls: 'ReachingDelayResponse',
  name: 'ng-reaching-delay-response',
  file: `${REF}reachingdelayresponse.py`,
  paper: 'NeuroGym (no paper named by the source)',
  inputs: ['go', 'stimulus'],
  actions: ['go', 'position'],
  defaults: { dt: 100, stimulus: 500, decision: 500, lowbound: 0, highbound: 1, tolerance: 0.05 },
  periods: ['stimulus', 'delay', 'decision'],
  conditions: () => [{ name: 'all', values: {} }],
  draw: (p, _c, rng) => {
    if (!(p.highbound > p.lowbound)) throw new RnnlabError('ng-reaching-delay-response: need lowbound < highbound');
    const x = sampleTime(rng, { uniform: [p.lowbound, p.highbound] });
    const delay = sampleTime(rng, { choice: [0, 1000, 2000] });
    return { vars: { x, delay }, durations: { stimulus: p.stimulus, delay, decision: p.decision } };
  },
  stimuli: () => [
    { channel: 'stimulus', period: 'stimulus', value: 'x' },
    { channel: 'stimulus', period: 'delay', value: -0.5 },
    { channel: 'stimulus', period: 'decision', value: -0.5 },
    { channel: 'go', period: 'decision', value: 1 },
  ],
  truth: {},
  targets: () => [
    ...['stimulus', 'delay'].flatMap((period) => [
      { channel: 'go', period, value: -1 },
      { channel: 'position', period, value: -0.5 },
    ]),
    { channel: 'go', period: 'decision', value: 1 },
    { channel: 'position', period: 'decision', value: 'x' },
  ],
  success: reachedInTime,
};

interface SuppressParams {
  dt: number;
  stimulus: number;
}
const DIRECTIONS = ['left', 'right', 'up', 'down'];
const THETA = [-Math.PI / 2, Math.PI / 2, 0, Math.PI];
const ANTI = [1, 0, 3, 2];
// The source's measured frames (1-based, the first seven filled at 0.249) and probabilities per contrast.
const FRAMES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 15, 18, 21, 28, 36, 37, 38, 39].map((k) => k - 1);
const FLAT = Array<number>(7).fill(0.249);
const PROB = {
  high: {
    corr: [...FLAT, 0.249, 0.249, 0.249, 0.27, 0.32, 0.4583, 0.65, 0.85, 0.99, 0.99, 0.99, 0.99],
    anti: [...FLAT, 0.249, 0.29, 0.31, 0.4, 0.475, 0.4167, 0.3083, 0.075, 0.04, 0.04, 0.03, 0.03],
  },
  low: {
    corr: [...FLAT, 0.25, 0.26, 0.2583, 0.325, 0.45, 0.575, 0.875, 0.933, 0.99, 0.99, 0.99, 0.99],
    anti: [...FLAT, 0.25, 0.26, 0.2583, 0.267, 0.1417, 0.1167, 0.058, 0.016, 0.003, 0.003, 0.003, 0.003],
  },
};

/** scipy's interp1d(xs, ys, kind='slinear', fill_value='extrapolate') at x: linear, the end segments extended. */
function interpLinear(xs: readonly number[], ys: readonly number[], x: number): number {
  let k = 0;
  while (k < xs.length - 2 && x > xs[k + 1]) k++;
  return ys[k] + ((ys[k + 1] - ys[k]) * (x - xs[k])) / (xs[k + 1] - xs[k]);
}

type Kind = 'corr' | 'anti' | 'ortho';
/** The target's time course of one kind of direction at one contrast, frame by frame. */
function course(kind: Kind, contrast: 'high' | 'low'): (value: number, steps: number) => Float64Array {
  const c = PROB[contrast];
  let curve = new Float64Array(0); // the last length asked for, computed once for all the trials of a set
  return (value, steps) => {
    if (curve.length !== steps)
      curve = Float64Array.from({ length: steps }, (_, t) => {
        const corr = interpLinear(FRAMES, c.corr, t),
          anti = interpLinear(FRAMES, c.anti, t);
        return kind === 'corr' ? corr : kind === 'anti' ? anti : (1 - (corr + anti)) / 2;
      });
    return value === 1 ? curve : curve.map((x) => value * x);
  };
}

const kindOf = (d: number, motion: number): Kind => (d === motion ? 'corr' : d === ANTI[motion] ? 'anti' : 'ortho');

/** Within 0.1 of the target in total variation at every frame. */
function tracksHumans(view: TrialView): boolean {
  for (let t = 0; t < view.layout.length; t++) {
    let tv = 0;
    for (let o = 0; o < view.nOut; o++) tv += Math.abs(view.output[t * view.nOut + o] - view.clean[t * view.nOut + o]);
    if (tv / 2 > 0.1) return false;
  }
  return view.layout.length > 0;
}

/** spatialsuppressmotion.py SpatialSuppressMotion. */
export const SPATIAL_SUPPRESS_MOTION: NeuroGymDef<SuppressParams> = {
  cls: 'SpatialSuppressMotion',
  name: 'ng-spatial-suppress-motion',
  file: `${REF}spatialsuppressmotion.py`,
  paper: 'Tadin, Lappin, Gilroy & Blake (2003) Nature 424:312',
  inputs: DIRECTIONS.flatMap((d) => Array.from({ length: 8 }, (_, s) => `${d}${s}`)),
  actions: DIRECTIONS,
  defaults: { dt: 8.3, stimulus: 300 },
  periods: ['stimulus'],
  conditions: () =>
    [0.05, 0.99].flatMap((contrast) =>
      DIRECTIONS.map((d, motion) => ({ name: `${d} ${contrast}`, values: { motion, contrast } })),
    ),
  draw: (p, c) => ({ vars: { ...c, diameter: c.contrast < 0.5 ? 1 : 8 }, durations: timingOf(p) }),
  stimuli: () =>
    DIRECTIONS.flatMap((_d, d) =>
      Array.from({ length: 8 }, (_, s) => ({
        channel: `${DIRECTIONS[d]}${s}`,
        period: 'stimulus',
        value: (v: Values) => (s < v.diameter ? ((Math.cos(THETA[d] - THETA[v.motion]) + 1) * v.contrast) / 2 : 0),
      })),
    ),
  truth: {},
  targets: () =>
    DIRECTIONS.flatMap((name, d) =>
      (['corr', 'anti', 'ortho'] as const).flatMap((kind) =>
        (['high', 'low'] as const).map((contrast): Segment => ({
          channel: name,
          period: 'stimulus',
          value: (v: Values) =>
            kindOf(d, v.motion) === kind && v.contrast > 0.5 === (contrast === 'high') ? 1 : undefined,
          waveform: course(kind, contrast),
        })),
      ),
    ),
  success: tracksHumans,
};
