/**
 * NeuroGym decisions that need more than one look at the evidence (neurogym/neurogym at 8136bc7):
 * - PostDecisionWager-v0, following neurogym/envs/native/postdecisionwager.py (Kiani & Shadlen 2009): a noisy
 *   two-choice stimulus of TruncExp(180, 100, 900) ms, a TruncExp(1350, 1200, 1800) delay, then the choice; on half
 *   the trials a "sure" target appears U(500, 750) ms after the stimulus and stays on. The source's `pre_sure` period
 *   overlaps the start of the delay; rnnlab splits the delay there (`pre_sure`, then `delay`), which puts every step
 *   where the source puts it. The supervised target is always the correct choice (the source never labels "sure";
 *   its reward, 0.7 of a correct answer, exists for reinforcement learning), so a trained network chooses.
 * - ProbabilisticReasoning-v0, following neurogym/envs/native/probabilisticreasoning.py (Yang & Shadlen 2007): four
 *   shapes, one per 500-ms stimulus period, each at a different one of four locations (a random order), each drawn
 *   from ten with evidence weights ±10, ±0.9, ±0.7, ±0.5, ±0.3; a shape stays on through the later stimulus periods
 *   and all go off in the U(450, 550)-ms delay. The answer is choice 2 with probability 1/(10^(−Σw) + 1).
 * - DelayMatchSampleDistractor1D-v0, following neurogym/envs/native/delaymatchsample.py: a sample direction on a
 *   ring of 32 channels, then three tests 1000 ms apart, one of which (equally likely) repeats the sample; go during
 *   the matching test. The source's σ is never added to the observations, so it is not a parameter here. Success is
 *   its reward rule: the first go falls in the matching test (a go during fixation or sample, which it only
 *   penalises, fails here too).
 */
import type { Condition, TrialView, Values } from '../framework';
import { normalCdf } from '../normal';
import { actionAt, fixationIn, type NeuroGymDef, sampleTime, stepNoise, timingOf } from './common';

const REF = 'neurogym/envs/native/';

/** Choice 1 (action 1) → 0, choice 2 (action 2) → 1, anything else (fixate, sure) → null, at the decision's end. */
function twoChoice(view: TrialView): 0 | 1 | null {
  const per = view.layout.periods.find((q) => q.name === 'decision');
  if (!per || per.end <= per.start) return null;
  const a = actionAt(view, per.end - 1);
  return a === 1 ? 0 : a === 2 ? 1 : null;
}

interface WagerParams {
  dt: number;
  sigma: number;
  fixation: number;
  decision: number;
}
const WAGER_COHS = [0, 3.2, 6.4, 12.8, 25.6, 51.2];

/** postdecisionwager.py PostDecisionWager (dim_ring 2). */
export const POST_DECISION_WAGER: NeuroGymDef<WagerParams> = {
  cls: 'PostDecisionWager',
  name: 'ng-post-decision-wager',
  file: `${REF}postdecisionwager.py`,
  paper: 'Kiani & Shadlen (2009) Science 324:759',
  inputs: ['fixation', 'stim1', 'stim2', 'sure'],
  actions: ['fixate', 'choice1', 'choice2', 'sure'],
  defaults: { dt: 100, sigma: 1, fixation: 100, decision: 100 },
  periods: ['fixation', 'stimulus', 'pre_sure', 'delay', 'decision'],
  conditions: () =>
    [1, 0].flatMap((wager) =>
      [1, 2].flatMap((gt) =>
        WAGER_COHS.map((coh) => ({
          name: `${wager ? 'wager' : 'no wager'} c${gt} ${coh}`,
          values: { wager, gt, coh, evidence: (gt === 2 ? 1 : -1) * coh },
        })),
      ),
    ),
  draw: (p, c, rng) => {
    const stimulus = sampleTime(rng, { truncExp: [180, 100, 900] });
    const delay = sampleTime(rng, { truncExp: [1350, 1200, 1800] });
    const preSure = c.wager ? Math.min(delay, sampleTime(rng, { uniform: [500, 750] })) : 0;
    return {
      vars: { gt: c.gt, stimulus, delay },
      durations: { fixation: p.fixation, stimulus, pre_sure: preSure, delay: delay - preSure, decision: p.decision },
    };
  },
  // stim = cos(θ − θ_gt)·coh/200 + 0.5 over θ = 0, π; add_randn reaches every channel in the stimulus period.
  stimuli: (p) => [
    ...fixationIn(['fixation', 'stimulus', 'pre_sure', 'delay'], ['stimulus'], stepNoise(p)),
    ...[1, 2].map((k) => ({
      channel: `stim${k}`,
      period: 'stimulus',
      value: (v: Values) => 0.5 + (v.gt === k ? 1 : -1) * (v.coh / 200),
      noise: stepNoise(p),
    })),
    { channel: 'sure', period: 'stimulus', value: 0, noise: stepNoise(p) },
    ...['delay', 'decision'].map((period) => ({
      channel: 'sure',
      period,
      value: (v: Values) => (v.wager ? 1 : undefined),
    })),
  ],
  truth: { decision: 'gt' },
  choice: twoChoice,
  // The log-likelihood ratio of the two answers is proportional to Σ_t (stim_gt − stim_other): n steps of mean
  // coh/100 and variance 2 σ_step² each (the other channels carry no information), so P(right) = Φ(coh/100 · √n /
  // (√2 σ_step)); one half at zero coherence.
  ideal: (l, p) => {
    const s = l.periods.find((q) => q.name === 'stimulus')!;
    const signal = (l.vars.coh / 100) * Math.sqrt(s.end - s.start);
    return signal === 0 ? 0.5 : normalCdf(signal / (Math.SQRT2 * stepNoise(p)));
  },
};

interface ProbParams {
  dt: number;
  fixation: number;
  /** Each of the four stimulus periods (ms). */
  stimulus: number;
  decision: number;
}
const SHAPE_WEIGHTS = [-10, -0.9, -0.7, -0.5, -0.3, 0.3, 0.5, 0.7, 0.9, 10];
const N_LOC = 4;
const STIM_PERIODS = Array.from({ length: N_LOC }, (_, i) => `stimulus${i}`);
// The trial values' names, built once: the segments' levels read them for every trial.
const LOC_KEYS = STIM_PERIODS.map((_, i) => `loc${i}`);
const SHAPE_KEYS = STIM_PERIODS.map((_, i) => `shape${i}`);

/** probabilisticreasoning.py ProbabilisticReasoning (n_loc 4, the default shape weights). */
export const PROBABILISTIC_REASONING: NeuroGymDef<ProbParams> = {
  cls: 'ProbabilisticReasoning',
  name: 'ng-probabilistic-reasoning',
  file: `${REF}probabilisticreasoning.py`,
  paper: 'Yang & Shadlen (2007) Nature 447:1075',
  inputs: [
    'fixation',
    ...Array.from({ length: N_LOC }, (_, l) => SHAPE_WEIGHTS.map((_w, s) => `loc${l}shape${s}`)).flat(),
  ],
  actions: ['fixate', 'choice1', 'choice2'],
  defaults: { dt: 100, fixation: 500, stimulus: 500, decision: 500 },
  periods: ['fixation', ...STIM_PERIODS, 'delay', 'decision'],
  evidenceFrom: 'stimulus0',
  conditions: () => [{ name: 'all', values: {} }],
  draw: (p, _c, rng) => {
    // locs: a random order of the four locations (choice without replacement); shapes: with replacement.
    const locs = Array.from({ length: N_LOC }, (_, i) => i);
    for (let i = 0; i < N_LOC - 1; i++) {
      const j = i + rng.int(N_LOC - i);
      [locs[i], locs[j]] = [locs[j], locs[i]];
    }
    const shapes = locs.map(() => rng.int(SHAPE_WEIGHTS.length));
    // Summed in tenths (the weights are whole tenths), so equal sums are equal numbers whatever the order: a float
    // sum of 0.3 + 0.5 and 0.7 + 0.1 differ in the last bit, and each would be its own psychometric level.
    const logOdd = shapes.reduce((a, s) => a + Math.round(10 * SHAPE_WEIGHTS[s]), 0) / 10;
    const gt = rng.uniform() < 1 / (10 ** -logOdd + 1) ? 2 : 1;
    const vars: Record<string, number> = { gt, logOdd, evidence: logOdd };
    locs.forEach((l, i) => {
      vars[LOC_KEYS[i]] = l;
      vars[SHAPE_KEYS[i]] = shapes[i];
    });
    const durations: Record<string, number> = { fixation: p.fixation, decision: p.decision };
    for (const q of STIM_PERIODS) durations[q] = p.stimulus;
    durations.delay = sampleTime(rng, { uniform: [450, 550] });
    return { vars, durations };
  },
  stimuli: () => [
    ...fixationIn(['fixation', ...STIM_PERIODS, 'delay']),
    // Location l shows shape s in stimulus period j when the i-th shape (i ≤ j) is s at l.
    ...STIM_PERIODS.flatMap((period, j) =>
      Array.from({ length: N_LOC }, (_, l) =>
        SHAPE_WEIGHTS.map((_w, s) => ({
          channel: `loc${l}shape${s}`,
          period,
          value: (v: Values) => {
            for (let i = 0; i <= j; i++) if (v[LOC_KEYS[i]] === l && v[SHAPE_KEYS[i]] === s) return 1;
            return undefined;
          },
        })),
      ).flat(),
    ),
  ],
  truth: { decision: 'gt' },
  choice: twoChoice,
  // The answer is drawn from the evidence: the best guess is right with probability max(p, 1 − p).
  ideal: (l) => {
    const p2 = 1 / (10 ** -l.vars.logOdd + 1);
    return Math.max(p2, 1 - p2);
  },
};

interface DistractorParams {
  dt: number;
  fixation: number;
  sample: number;
  delay1: number;
  test1: number;
  delay2: number;
  test2: number;
  delay3: number;
  test3: number;
}
const RING = 32;
const TESTS = ['sample', 'test1', 'test2', 'test3'];

/** The first go lies in the matching test period. */
function matchedFirst(view: TrialView): boolean {
  const l = view.layout;
  const match = l.periods.find((q) => q.name === `test${l.vars.gt}`)!;
  for (let t = 0; t < l.length; t++) if (actionAt(view, t) === 1) return t >= match.start && t < match.end;
  return false;
}

/** delaymatchsample.py DelayMatchSampleDistractor1D: Miller, Erickson & Desimone (1996). */
export const DMS_DISTRACTOR: NeuroGymDef<DistractorParams> = {
  cls: 'DelayMatchSampleDistractor1D',
  name: 'ng-delay-match-sample-distractor-1d',
  file: `${REF}delaymatchsample.py`,
  paper: 'Miller, Erickson & Desimone (1996) J. Neurosci. 16:5154',
  inputs: ['fixation', ...Array.from({ length: RING }, (_, k) => `stim${k}`)],
  actions: ['fixate', 'match'],
  defaults: {
    dt: 100,
    fixation: 300,
    sample: 500,
    delay1: 1000,
    test1: 500,
    delay2: 1000,
    test2: 500,
    delay3: 1000,
    test3: 500,
  },
  periods: ['fixation', 'sample', 'delay1', 'test1', 'delay2', 'test2', 'delay3', 'test3'],
  conditions: (): Condition[] => [1, 2, 3].map((gt) => ({ name: `match at test ${gt}`, values: { gt } })),
  draw: (p, c, rng) => {
    const sample = 2 * Math.PI * rng.uniform();
    const vars: Record<string, number> = { gt: c.gt, sample };
    for (const i of [1, 2, 3]) {
      vars[`test${i}`] = i === c.gt ? sample : 2 * Math.PI * rng.uniform();
      vars[`isMatch${i}`] = i === c.gt ? 1 : 0;
    }
    return { vars, durations: timingOf(p) };
  },
  stimuli: () => [
    ...fixationIn(['fixation']),
    ...TESTS.flatMap((period) =>
      Array.from({ length: RING }, (_, k) => ({
        channel: `stim${k}`,
        period,
        value: (v: Values) => Math.cos((2 * Math.PI * k) / RING - v[period]),
      })),
    ),
  ],
  truth: { test1: 'isMatch1', test2: 'isMatch2', test3: 'isMatch3' },
  success: matchedFirst,
};
