/**
 * Rings of direction-tuned channels, as in Yang et al. (2019), gyyang/multitask task.py (`Trial.add_x_loc`,
 * `add_y_loc`, `get_dist`) and network.py (`popvec`, `get_perf`): 32 units with preferred directions 2πk/32, each
 * responding 0.8·exp(−½ (d/(π/8))²) to a stimulus at distance d on the circle.
 */
import type { Commitment, Segment, TrialView, Values } from '../framework';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { PI, abs, atan2, cos, exp, min, sin } = Math;

export const RING_SIZE = 32;
const PREF = Array.from({ length: RING_SIZE }, (_, k) => (2 * PI * k) / RING_SIZE);

/** Distance on the circle (get_dist). */
export function circularDistance(a: number, b: number): number {
  const d = abs(a - b) % (2 * PI);
  return min(d, 2 * PI - d);
}

/** A ring unit's response to a stimulus at `loc`: 0.8·exp(−½ (d/(π/8))²). */
function tuning(loc: number, k: number): number {
  const d = circularDistance(loc, PREF[k]) / (PI / 8);
  return 0.8 * exp(-0.5 * d * d);
}

/** The channel names of a ring: `${prefix}0` … `${prefix}31`. */
export function ringChannels(prefix: string): string[] {
  return PREF.map((_, k) => `${prefix}${k}`);
}

/** Stimuli a ring carries in one period, as [location, strength] pairs read from the trial's values. */
export type RingStimuli = (v: Values) => ReadonlyArray<readonly [number, number]>;

/**
 * One segment per ring unit in `period`: the sum of the stimuli's tuned responses (Yang adds stimuli on a ring);
 * no segment when the period shows nothing on this ring.
 */
export function ringSegments(
  prefix: string,
  period: string,
  stimuli: RingStimuli,
  opts: { until?: Segment['until']; base?: number } = {},
): Segment[] {
  // The whole ring's levels are computed once per trial and period (the generator hands every segment of a period
  // the same values object) and read by each unit's segment: 32 units, one pass.
  const profiles = new WeakMap<Values, Float64Array | null>();
  const profile = (v: Values): Float64Array | null => {
    let p = profiles.get(v);
    if (p !== undefined) return p;
    const list = stimuli(v);
    p = list.length ? new Float64Array(RING_SIZE).fill(opts.base ?? 0) : null;
    if (p) for (const [loc, strength] of list) for (let k = 0; k < RING_SIZE; k++) p[k] += strength * tuning(loc, k);
    profiles.set(v, p);
    return p;
  };
  return PREF.map((_, k) => ({
    channel: `${prefix}${k}`,
    period,
    until: opts.until,
    value: (v: Values) => profile(v)?.[k],
  }));
}

/**
 * The population-vector read-out of ring outputs (popvec): the angle of Σ_k y_k e^{iθ_k} / Σ_k y_k, in [0, 2π).
 * Dividing by the sum is Yang's: it changes nothing for his sigmoid outputs and turns the angle for a linear
 * read-out whose outputs sum below zero.
 */
export function popvec(y: ArrayLike<number>, from: number): number {
  let c = 0,
    s = 0,
    sum = 0;
  for (let k = 0; k < RING_SIZE; k++) {
    c += y[from + k] * cos(PREF[k]);
    s += y[from + k] * sin(PREF[k]);
    sum += y[from + k];
  }
  const a = atan2(s / sum, c / sum);
  return a < 0 ? a + 2 * PI : a;
}

/**
 * Yang's get_perf on the trial's last step: output 0 is fixation, 1…32 the response ring. A trial that should be
 * fixated (`respLoc` < 0) is correct when the fixation output is above 0.5; otherwise the network must have broken
 * fixation and point within 0.2π of the response location.
 */
export function ringChoiceCorrect(view: TrialView): boolean {
  const t = view.layout.length - 1;
  const y = view.output.subarray(t * view.nOut, (t + 1) * view.nOut);
  const fixating = y[0] > 0.5;
  const target = view.layout.vars.respLoc;
  if (target < 0) return fixating;
  return !fixating && circularDistance(popvec(y, 1), target) < 0.2 * PI;
}

/**
 * The binary choice of the decision tasks (psychometric curves): 1 when the response at the last step points nearer
 * to stimulus 1 (`loc1`) than to stimulus 2, 0 when nearer to stimulus 2, null when the network still fixates.
 */
export function ringBinaryChoice(view: TrialView): 0 | 1 | null {
  const t = view.layout.length - 1;
  if (view.output[t * view.nOut] > 0.5) return null;
  return ringChoiceAt(view, t);
}

/** The ring's choice at step t with fixation set aside: the response nearer stimulus 1 (1) or stimulus 2 (0). */
function ringChoiceAt(view: TrialView, t: number): 0 | 1 {
  const at = popvec(view.output.subarray(t * view.nOut, (t + 1) * view.nOut), 1);
  const { loc1, loc2 } = view.layout.vars;
  return circularDistance(at, loc1) < circularDistance(at, loc2) ? 1 : 0;
}

/** Decision times of the ring tasks: from the first stimulus' onset to the last step, where the choice is read. */
export const RING_COMMITMENT: Commitment = {
  from: 'stim1',
  readStep: (view) => view.layout.length - 1,
  choiceAt: ringChoiceAt,
};
