/**
 * NeuroGym's native supervised tasks (neurogym/neurogym at 8136bc7, envs/native/*.py), each following its
 * `__init__` defaults (timing, coherences, σ, dt) and `_new_trial` (observations, noise, ground truth). Every trial
 * records its ground truth (`gt`: the correct action's index) and the evidence its psychometric curve uses
 * (`evidence`: signed, positive for the second option).
 */
import type { Condition, Segment, Values } from '../framework';
import {
  binaryChoice,
  fixationIn,
  fixedTiming,
  type NeuroGymDef,
  neurogymTask,
  sampleTime,
  stepNoise,
  timingOf,
} from './common';
import { DMS_DISTRACTOR, POST_DECISION_WAGER, PROBABILISTIC_REASONING } from './decisions';
import { ANNUBES, DETECTION, TONE_DETECTION } from './detection';
import { REACHING_DELAY_RESPONSE, SPATIAL_SUPPRESS_MOTION } from './graded';
import { MOTOR_TIMING, ONE_TWO_THREE_GO, READY_SET_GO } from './timing';

const REF = 'neurogym/envs/native/';

const CHOICE_ACTIONS = ['fixate', 'choice1', 'choice2'];

/** Conditions: each correct choice (1, 2) × each coherence; evidence = ±coherence, positive for choice 2. */
function choiceByCoherence(cohs: readonly number[]): Condition[] {
  return [1, 2].flatMap((gt) =>
    cohs.map((coh) => ({
      name: `${gt === 1 ? 'c1' : 'c2'} ${coh}`,
      values: { gt, coh, evidence: (gt === 2 ? 1 : -1) * coh },
    })),
  );
}

interface PdmParams {
  dt: number;
  sigma: number;
  fixation: number;
  stimulus: number;
  delay: number;
  decision: number;
}

/** perceptualdecisionmaking.py PerceptualDecisionMaking (dim_ring 2): Britten et al. (1992). */
const PDM: NeuroGymDef<PdmParams> = {
  cls: 'PerceptualDecisionMaking',
  name: 'ng-perceptual-decision-making',
  file: `${REF}perceptualdecisionmaking.py`,
  paper: 'Britten et al. (1992) J. Neurosci. 12:4745',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 100, sigma: 1, fixation: 100, stimulus: 2000, delay: 0, decision: 100 },
  periods: ['fixation', 'stimulus', 'delay', 'decision'],
  conditions: () => choiceByCoherence([0, 6.4, 12.8, 25.6, 51.2]),
  draw: fixedTiming,
  // stim = cos(θ − θ_gt)·coh/200 + 0.5 over θ = 0, π: the correct side 0.5 + coh/200, the other 0.5 − coh/200.
  stimuli: (p) => [
    ...fixationIn(['fixation']),
    ...[1, 2].map((k) => ({
      channel: `stim${k}`,
      period: 'stimulus',
      value: (v: Values) => 0.5 + (v.gt === k ? 1 : -1) * (v.coh / 200),
      noise: stepNoise(p),
    })),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface PdmDelayParams {
  dt: number;
  sigma: number;
  stimScale: number;
  fixation: number;
  stimulus: number;
  decision: number;
}
const DELAYS = [300, 500, 700, 900, 1200, 2000, 3200, 4000];

/** perceptualdecisionmaking.py PerceptualDecisionMakingDelayResponse. */
const PDM_DELAY: NeuroGymDef<PdmDelayParams> = {
  cls: 'PerceptualDecisionMakingDelayResponse',
  name: 'ng-perceptual-decision-making-delay-response',
  file: `${REF}perceptualdecisionmaking.py`,
  paper: 'Shadlen & Newsome (2001) J. Neurophysiol. 86:1916',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 100, sigma: 1, stimScale: 1, fixation: 0, stimulus: 1150, decision: 1500 },
  periods: ['fixation', 'stimulus', 'delay', 'decision'],
  conditions: (p) => choiceByCoherence([0, 6.4, 12.8, 25.6, 51.2].map((c) => c * p.stimScale)),
  draw: (p, c, rng) => ({
    vars: { gt: c.gt },
    durations: {
      fixation: p.fixation,
      stimulus: p.stimulus,
      delay: sampleTime(rng, { choice: DELAYS }),
      decision: p.decision,
    },
  }),
  stimuli: (p) => [
    ...fixationIn(['fixation', 'stimulus', 'delay']),
    ...[1, 2].map((k) => ({
      channel: `stim${k}`,
      period: 'stimulus',
      value: (v: Values) => (1 + (v.gt === k ? 1 : -1) * (v.coh / 100)) / 2,
      noise: stepNoise(p),
    })),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface ContextParams {
  dt: number;
  sigma: number;
  /** The modality that decides (implicit context, impl_context_modality): 0 or 1. */
  context: number;
  fixation: number;
  stimulus: number;
  decision: number;
}

/** contextdecisionmaking.py ContextDecisionMaking, implicit context: Mante et al. (2013). */
const CONTEXT: NeuroGymDef<ContextParams> = {
  cls: 'ContextDecisionMaking',
  name: 'ng-context-decision-making',
  file: `${REF}contextdecisionmaking.py`,
  paper: 'Mante et al. (2013) Nature 503:78',
  inputs: ['fixation', 'stim1_mod1', 'stim2_mod1', 'stim1_mod2', 'stim2_mod2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 100, sigma: 1, context: 0, fixation: 300, stimulus: 750, decision: 100 },
  periods: ['fixation', 'stimulus', 'delay', 'decision'],
  // The condition is the relevant modality's: its correct choice and its coherence.
  conditions: () => choiceByCoherence([5, 15, 50]),
  draw: (p, c, rng) => {
    const other = 1 + rng.int(2),
      otherCoh = [5, 15, 50][rng.int(3)];
    // Modality 1 shows (choice_1, coh_1), modality 2 (choice_2, coh_2); the context says which is the truth.
    const [ch1, coh1, ch2, coh2] = p.context === 0 ? [c.gt, c.coh, other, otherCoh] : [other, otherCoh, c.gt, c.coh];
    return {
      vars: { gt: c.gt, ch1, coh1, ch2, coh2 },
      durations: {
        fixation: p.fixation,
        stimulus: p.stimulus,
        delay: sampleTime(rng, { truncExp: [600, 300, 3000] }),
        decision: p.decision,
      },
    };
  },
  stimuli: (p) => [
    ...fixationIn(['fixation']),
    ...[1, 2].flatMap((m) =>
      [1, 2].map((k) => ({
        channel: `stim${k}_mod${m}`,
        period: 'stimulus',
        value: (v: Values) => 0.5 + (v[`ch${m}`] === k ? 1 : -1) * (v[`coh${m}`] / 200),
        noise: stepNoise(p),
      })),
    ),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface DelayComparisonParams {
  dt: number;
  sigma: number;
  fixation: number;
  stimulus1: number;
  delay: number;
  stimulus2: number;
  decision: number;
}
const VPAIRS: ReadonlyArray<readonly [number, number]> = [
  [18, 10],
  [22, 14],
  [26, 18],
  [30, 22],
  [34, 26],
];

/** delaycomparison.py DelayComparison: Romo et al. (1999). */
const DELAY_COMPARISON: NeuroGymDef<DelayComparisonParams> = {
  cls: 'DelayComparison',
  name: 'ng-delay-comparison',
  file: `${REF}delaycomparison.py`,
  paper: 'Romo et al. (1999) Nature 399:470',
  inputs: ['fixation', 'stimulus'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 100, sigma: 1, fixation: 500, stimulus1: 500, delay: 1000, stimulus2: 500, decision: 100 },
  periods: ['fixation', 'stimulus1', 'delay', 'stimulus2', 'decision'],
  evidenceFrom: 'stimulus2',
  // gt 1: f1 > f2 (the pair in order), gt 2: swapped. Evidence for choice 2: f2 − f1.
  conditions: () =>
    [1, 2].flatMap((gt) =>
      VPAIRS.map(([a, b]) => {
        const [f1, f2] = gt === 1 ? [a, b] : [b, a];
        return { name: `${f1}-${f2}`, values: { gt, f1, f2, evidence: f2 - f1 } };
      }),
    ),
  draw: fixedTiming,
  // represent(v) = (1 + (v − 10)/(34 − 10))/2; add_randn without `where` adds noise to every channel.
  stimuli: (p) => [
    ...fixationIn(['fixation', 'stimulus1', 'delay', 'stimulus2'], ['stimulus1', 'stimulus2'], stepNoise(p)),
    ...[1, 2].map((k) => ({
      channel: 'stimulus',
      period: `stimulus${k}`,
      value: (v: Values) => (1 + (v[`f${k}`] - 10) / 24) / 2,
      noise: stepNoise(p),
    })),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface DmsParams {
  dt: number;
  sigma: number;
  fixation: number;
  sample: number;
  delay: number;
  test: number;
  decision: number;
}

/** delaymatchsample.py DelayMatchSample (dim_ring 2): Miller et al. (1996). */
const DMS: NeuroGymDef<DmsParams> = {
  cls: 'DelayMatchSample',
  name: 'ng-delay-match-sample',
  file: `${REF}delaymatchsample.py`,
  paper: 'Miller, Erickson & Desimone (1996) J. Neurosci. 16:5154',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: ['fixate', 'match', 'non-match'],
  defaults: { dt: 100, sigma: 1, fixation: 300, sample: 500, delay: 1000, test: 500, decision: 900 },
  periods: ['fixation', 'sample', 'delay', 'test', 'decision'],
  conditions: () =>
    [1, 2].flatMap((gt) =>
      [0, 1].map((s) => ({
        name: `${gt === 1 ? 'match' : 'non-match'} θ${s === 0 ? '0' : 'π'}`,
        values: { gt, sample: s, test: gt === 1 ? s : 1 - s },
      })),
    ),
  draw: fixedTiming,
  // stim = cos(θ − θ_s)·0.5 + 0.5 over θ = 0, π: 1 on the shown direction, 0 on the other.
  stimuli: (p) => [
    ...fixationIn(['fixation', 'sample', 'delay', 'test']),
    ...(['sample', 'test'] as const).flatMap((period) =>
      [0, 1].map((k): Segment => ({
        channel: `stim${k + 1}`,
        period,
        value: (v: Values) => (v[period] === k ? 1 : 0),
        noise: stepNoise(p),
      })),
    ),
  ],
  truth: { decision: 'gt' },
};

interface GoNogoParams {
  dt: number;
  fixation: number;
  stimulus: number;
  delay: number;
  decision: number;
}

/** gonogo.py GoNogo: Iino et al. (2020). */
const GO_NOGO: NeuroGymDef<GoNogoParams> = {
  cls: 'GoNogo',
  name: 'ng-go-nogo',
  file: `${REF}gonogo.py`,
  paper: 'Iino et al. (2020) Nature 579:555',
  inputs: ['fixation', 'nogo', 'go'],
  actions: ['fixate', 'go'],
  defaults: { dt: 100, fixation: 0, stimulus: 500, delay: 500, decision: 500 },
  periods: ['fixation', 'stimulus', 'delay', 'decision'],
  conditions: () => [
    { name: 'nogo', values: { gt: 0 } },
    { name: 'go', values: { gt: 1 } },
  ],
  draw: fixedTiming,
  stimuli: () => [
    ...fixationIn(['fixation', 'stimulus', 'delay']),
    { channel: 'nogo', period: 'stimulus', value: (v: Values) => (v.gt === 0 ? 1 : undefined) },
    { channel: 'go', period: 'stimulus', value: (v: Values) => (v.gt === 1 ? 1 : undefined) },
  ],
  truth: { decision: 'gt' },
};

interface IntervalParams {
  dt: number;
  fixation: number;
  delay2: number;
  decision: number;
}

/** intervaldiscrimination.py IntervalDiscrimination: Genovesio, Tsujimoto & Wise (2009). */
const INTERVAL: NeuroGymDef<IntervalParams> = {
  cls: 'IntervalDiscrimination',
  name: 'ng-interval-discrimination',
  file: `${REF}intervaldiscrimination.py`,
  paper: 'Genovesio, Tsujimoto & Wise (2009) Neuron 63:254',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 80, fixation: 300, delay2: 500, decision: 300 },
  periods: ['fixation', 'stim1', 'delay1', 'stim2', 'delay2', 'decision'],
  evidenceFrom: 'stim2',
  conditions: () => [{ name: 'all', values: {} }],
  draw: (p, _c, rng) => {
    // _new_trial draws stim1 and stim2 first, then add_period draws delay1.
    const d1 = sampleTime(rng, { uniform: [300, 600] }),
      d2 = sampleTime(rng, { uniform: [300, 600] });
    const delay1 = sampleTime(rng, { uniform: [800, 1500] });
    return {
      vars: { gt: d1 > d2 ? 1 : 2, duration1: d1, duration2: d2, evidence: d2 - d1 },
      durations: { fixation: p.fixation, stim1: d1, delay1, stim2: d2, delay2: p.delay2, decision: p.decision },
    };
  },
  stimuli: () => [
    ...fixationIn(['fixation', 'stim1', 'delay1', 'stim2', 'delay2']),
    { channel: 'stim1', period: 'stim1', value: 1 },
    { channel: 'stim2', period: 'stim2', value: 1 },
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface MsiParams {
  dt: number;
  sigma: number;
  fixation: number;
  stimulus: number;
  decision: number;
}

/** multisensory.py MultiSensoryIntegration (dim_ring 2): the coherence split between two modalities. */
const MULTISENSORY: NeuroGymDef<MsiParams> = {
  cls: 'MultiSensoryIntegration',
  name: 'ng-multisensory-integration',
  file: `${REF}multisensory.py`,
  paper: 'Raposo, Kaufman & Churchland (2014) Nat. Neurosci. 17:1784',
  inputs: ['fixation', 'stim1_mod1', 'stim2_mod1', 'stim1_mod2', 'stim2_mod2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 100, sigma: 1, fixation: 300, stimulus: 750, decision: 100 },
  periods: ['fixation', 'stimulus', 'decision'],
  conditions: () => choiceByCoherence([5, 15, 50]),
  // coh_prop ~ U(0, 1) splits the coherence: modality 1 gets coh·prop, modality 2 coh·(1 − prop).
  draw: (p, c, rng) => {
    const prop = rng.uniform();
    return { vars: { gt: c.gt, coh1: c.coh * prop, coh2: c.coh * (1 - prop) }, durations: timingOf(p) };
  },
  // add_randn without `where`: noise on every channel in the stimulus period, fixation included.
  stimuli: (p) => [
    ...fixationIn(['fixation', 'stimulus'], ['stimulus'], stepNoise(p)),
    ...[1, 2].flatMap((m) =>
      [1, 2].map((k) => ({
        channel: `stim${k}_mod${m}`,
        period: 'stimulus',
        value: (v: Values) => 0.5 + (v.gt === k ? 1 : -1) * (v[`coh${m}`] / 200),
        noise: stepNoise(p),
      })),
    ),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

interface DmcParams {
  dt: number;
  sigma: number;
  fixation: number;
  sample: number;
  first_delay: number;
  test: number;
}

/** delaymatchcategory.py DelayMatchCategory (dim_ring 2): Freedman & Assad (2006); answered during the test. */
const DMC: NeuroGymDef<DmcParams> = {
  cls: 'DelayMatchCategory',
  name: 'ng-delay-match-category',
  file: `${REF}delaymatchcategory.py`,
  paper: 'Freedman & Assad (2006) Nature 443:85',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: ['fixate', 'match', 'non-match'],
  defaults: { dt: 100, sigma: 1, fixation: 500, sample: 650, first_delay: 1000, test: 650 },
  periods: ['fixation', 'sample', 'first_delay', 'test'],
  conditions: () =>
    [1, 2].flatMap((gt) =>
      [0, 1].map((cat) => ({ name: `${gt === 1 ? 'match' : 'non-match'} cat${cat}`, values: { gt, category: cat } })),
    ),
  // θ = (category + U(0, 1))·π for sample and test; the test's category is the sample's on match trials.
  draw: (p, c, rng) => {
    const testCategory = c.gt === 1 ? c.category : 1 - c.category;
    const sampleTheta = (c.category + rng.uniform()) * Math.PI;
    const testTheta = (testCategory + rng.uniform()) * Math.PI;
    return { vars: { gt: c.gt, sampleTheta, testTheta }, durations: timingOf(p) };
  },
  stimuli: (p) => [
    ...fixationIn(['fixation', 'sample', 'first_delay']),
    ...(['sample', 'test'] as const).flatMap((period) =>
      [0, 1].map((k): Segment => ({
        channel: `stim${k + 1}`,
        period,
        value: (v: Values) => Math.cos(k * Math.PI - v[`${period}Theta`]) * 0.5 + 0.5,
        noise: stepNoise(p),
      })),
    ),
  ],
  truth: { test: 'gt' },
  decisions: ['test'],
};

interface DualDmsParams {
  dt: number;
  sigma: number;
  fixation: number;
  sample: number;
  delay1: number;
  cue1: number;
  test1: number;
  delay2: number;
  cue2: number;
  test2: number;
}
const DUAL_PERIODS = ['fixation', 'sample', 'delay1', 'cue1', 'test1', 'delay2', 'cue2', 'test2'];

/**
 * dualdelaymatchsample.py DualDelayMatchSample: Panichello & Buschman (2021). Two samples; a cue says which is
 * tested first (test_order); each test is answered match (1) or non-match (2) in its own period.
 */
const DUAL_DMS: NeuroGymDef<DualDmsParams> = {
  cls: 'DualDelayMatchSample',
  name: 'ng-dual-delay-match-sample',
  file: `${REF}dualdelaymatchsample.py`,
  paper: 'Panichello & Buschman (2021) Nature 592:601',
  inputs: ['fixation', 'stim1_cos', 'stim1_sin', 'stim2_cos', 'stim2_sin', 'cue1', 'cue2'],
  actions: ['fixate', 'match', 'non-match'],
  defaults: {
    dt: 100,
    sigma: 1,
    fixation: 500,
    sample: 500,
    delay1: 500,
    cue1: 500,
    test1: 500,
    delay2: 500,
    cue2: 500,
    test2: 500,
  },
  periods: DUAL_PERIODS,
  conditions: () =>
    [1, 2].flatMap((gt1) =>
      [1, 2].flatMap((gt2) =>
        [0, 1].map((order) => ({ name: `${gt1}${gt2} order ${order}`, values: { gt1, gt2, order } })),
      ),
    ),
  draw: (p, c, rng) => {
    const sample1 = rng.int(2) * 0.5,
      sample2 = rng.int(2) * 0.5;
    const test1 = c.gt1 === 1 ? sample1 : 0.5 - sample1,
      test2 = c.gt2 === 1 ? sample2 : 0.5 - sample2;
    // Order 0: stimulus 1 is tested in period test1, order 1: in period test2 (with its cue in cue2).
    const first = c.order === 0 ? 1 : 2;
    return {
      vars: { sample1, sample2, test1, test2, truthA: c[`gt${first}`], truthB: c[`gt${3 - first}`] },
      durations: timingOf(p),
    };
  },
  stimuli: (p) => {
    const noisy = new Set(['sample', 'test1', 'test2']);
    const wave = (i: number, part: 'cos' | 'sin', which: 'sample' | 'test') => (v: Values) =>
      Math[part](v[`${which}${i}`] * Math.PI);
    const shownIn = (i: number, period: string) => (v: Values) =>
      (v.order === 0 ? `test${i}` : `test${3 - i}`) === period;
    return [
      ...fixationIn(DUAL_PERIODS, [...noisy], stepNoise(p)),
      ...[1, 2].flatMap((i) =>
        (['cos', 'sin'] as const).flatMap((part): Segment[] => [
          { channel: `stim${i}_${part}`, period: 'sample', value: wave(i, part, 'sample'), noise: stepNoise(p) },
          ...['test1', 'test2'].map((period) => ({
            channel: `stim${i}_${part}`,
            period,
            value: (v: Values) => (shownIn(i, period)(v) ? wave(i, part, 'test')(v) : 0),
            noise: stepNoise(p),
          })),
        ]),
      ),
      ...[1, 2].map((i) => ({
        channel: `cue${i}`,
        period: 'cue1',
        value: (v: Values) => ((v.order === 0 ? 1 : 2) === i ? 1 : 0),
      })),
      // add_randn without `where` puts noise on the cue channels too, in the sample and test periods.
      ...[1, 2].flatMap((i) =>
        [...noisy].map((period) => ({ channel: `cue${i}`, period, value: 0, noise: stepNoise(p) })),
      ),
      ...[1, 2].map((i) => ({
        channel: `cue${i}`,
        period: 'cue2',
        value: (v: Values) => ((v.order === 0 ? 2 : 1) === i ? 1 : 0),
      })),
    ];
  },
  truth: { test1: 'truthA', test2: 'truthB' },
  decisions: ['test1', 'test2'],
};

interface AntiReachParams {
  dt: number;
  /** 1: reach away from the stimulus (NeuroGym's default), 0: towards it. */
  anti: number;
  fixation: number;
  stimulus: number;
  delay: number;
  decision: number;
}
const RING = 32;

/**
 * antireach.py AntiReach (dim_ring 32): Munoz & Everling (2004). The stimulus cos(θ_k − θ_s) over 32 directions;
 * the answer is the direction opposite the stimulus (anti) or at it.
 */
const ANTI_REACH: NeuroGymDef<AntiReachParams> = {
  cls: 'AntiReach',
  name: 'ng-anti-reach',
  file: `${REF}antireach.py`,
  paper: 'Munoz & Everling (2004) Nat. Rev. Neurosci. 5:218',
  inputs: ['fixation', ...Array.from({ length: RING }, (_, k) => `stim${k}`)],
  actions: ['fixate', ...Array.from({ length: RING }, (_, k) => `choice${k}`)],
  defaults: { dt: 100, anti: 1, fixation: 500, stimulus: 500, delay: 0, decision: 500 },
  periods: ['fixation', 'stimulus', 'delay', 'decision'],
  conditions: () => Array.from({ length: RING }, (_, k) => ({ name: `choice ${k}`, values: { gt: 1 + k } })),
  draw: (p, c) => {
    const theta = (2 * Math.PI * (c.gt - 1)) / RING;
    return {
      vars: { gt: c.gt, stimTheta: p.anti ? (theta + Math.PI) % (2 * Math.PI) : theta },
      durations: timingOf(p),
    };
  },
  stimuli: () => [
    ...fixationIn(['fixation', 'stimulus', 'delay']),
    ...Array.from({ length: RING }, (_, k) => ({
      channel: `stim${k}`,
      period: 'stimulus',
      value: (v: Values) => Math.cos((2 * Math.PI * k) / RING - v.stimTheta),
    })),
  ],
  truth: { decision: 'gt' },
};

interface PairedParams {
  dt: number;
  fixation: number;
  stim1: number;
  delay_btw_stim: number;
  stim2: number;
  delay_aft_stim: number;
  decision: number;
}

/**
 * delaypairedassociation.py DelayPairedAssociation: Yu et al. (2019). Pairs (1,3), (1,4), (2,3), (2,4) on four
 * stimulus channels; go (1) when the pair's difference is even (association 0), else keep fixating. (Its σ is
 * never added to the observations, so it is not a parameter here.)
 */
const PAIRED: NeuroGymDef<PairedParams> = {
  cls: 'DelayPairedAssociation',
  name: 'ng-delay-paired-association',
  file: `${REF}delaypairedassociation.py`,
  paper: 'Yu et al. (2019) eLife 8:e43191',
  inputs: ['fixation', 'stim1', 'stim2', 'stim3', 'stim4'],
  actions: ['fixate', 'go'],
  defaults: {
    dt: 100,
    fixation: 0,
    stim1: 1000,
    delay_btw_stim: 1000,
    stim2: 1000,
    delay_aft_stim: 1000,
    decision: 500,
  },
  periods: ['fixation', 'stim1', 'delay_btw_stim', 'stim2', 'delay_aft_stim', 'decision'],
  conditions: () =>
    [
      [1, 3],
      [1, 4],
      [2, 3],
      [2, 4],
    ].map(([a, b]) => ({ name: `${a}-${b}`, values: { first: a, second: b, gt: (b - a) % 2 === 0 ? 1 : 0 } })),
  draw: fixedTiming,
  stimuli: () => [
    ...fixationIn(['fixation', 'stim1', 'delay_btw_stim', 'stim2', 'delay_aft_stim']),
    ...[1, 2, 3, 4].flatMap((k) => [
      { channel: `stim${k}`, period: 'stim1', value: (v: Values) => (v.first === k ? 1 : undefined) },
      { channel: `stim${k}`, period: 'stim2', value: (v: Values) => (v.second === k ? 1 : undefined) },
    ]),
  ],
  truth: { decision: 'gt' },
};

interface PulseParams {
  dt: number;
  fixation: number;
  cue: number;
  bin: number;
  decision: number;
  /** p_pulse: the two sides' pulse probabilities per bin, one side each at random. */
  pLow: number;
  pHigh: number;
}
const N_BIN = 6;
const PULSE_PERIODS = [
  'fixation',
  ...Array.from({ length: N_BIN }, (_, i) => [`cue${i}`, `bin${i}`]).flat(),
  'decision',
];

/**
 * perceptualdecisionmaking.py PulseDecisionMaking (n_bin 6, dt 10): Scott et al. (2015). In each of 6 bins a pulse
 * on either side with its probability; choose the side with more pulses (ties broken by a U(−0.1, 0.1) jitter, as
 * the source does). Evidence: pulses on side 2 minus side 1.
 */
const PULSE_DM: NeuroGymDef<PulseParams> = {
  cls: 'PulseDecisionMaking',
  name: 'ng-pulse-decision-making',
  file: `${REF}perceptualdecisionmaking.py`,
  paper: 'Scott, Constantinople, Erlich, Tank & Brody (2015) eLife 4:e11308',
  inputs: ['fixation', 'stim1', 'stim2'],
  actions: CHOICE_ACTIONS,
  defaults: { dt: 10, fixation: 500, cue: 10, bin: 240, decision: 500, pLow: 0.3, pHigh: 0.7 },
  periods: PULSE_PERIODS,
  evidenceFrom: 'cue0',
  conditions: () => [{ name: 'all', values: {} }],
  draw: (p, _c, rng) => {
    const [p1, p2] = rng.uniform() < 0.5 ? [p.pHigh, p.pLow] : [p.pLow, p.pHigh];
    const vars: Record<string, number> = {};
    for (let i = 0; i < N_BIN; i++) vars[`a${i}`] = rng.uniform() < p1 ? 1 : 0;
    for (let i = 0; i < N_BIN; i++) vars[`b${i}`] = rng.uniform() < p2 ? 1 : 0;
    let n1 = 0,
      n2 = 0;
    for (let i = 0; i < N_BIN; i++) {
      n1 += vars[`a${i}`];
      n2 += vars[`b${i}`];
    }
    const jitter = -0.1 + 0.2 * rng.uniform();
    const durations: Record<string, number> = { fixation: p.fixation, decision: p.decision };
    for (let i = 0; i < N_BIN; i++) {
      durations[`cue${i}`] = p.cue;
      durations[`bin${i}`] = p.bin;
    }
    return { vars: { ...vars, gt: n1 < n2 + jitter ? 2 : 1, evidence: n2 - n1 }, durations };
  },
  stimuli: () => [
    ...fixationIn(PULSE_PERIODS.filter((q) => q !== 'decision')),
    ...Array.from({ length: N_BIN }, (_, i) => [
      { channel: 'stim1', period: `cue${i}`, value: `a${i}` },
      { channel: 'stim2', period: `cue${i}`, value: `b${i}` },
    ]).flat(),
  ],
  truth: { decision: 'gt' },
  choice: (view) => binaryChoice(view),
};

export const NEUROGYM_TASKS = [
  ANTI_REACH,
  PDM,
  PDM_DELAY,
  PULSE_DM,
  CONTEXT,
  DELAY_COMPARISON,
  PAIRED,
  DMS,
  DMC,
  DUAL_DMS,
  GO_NOGO,
  INTERVAL,
  MULTISENSORY,
  READY_SET_GO,
  MOTOR_TIMING,
  ONE_TWO_THREE_GO,
  DETECTION,
  TONE_DETECTION,
  ANNUBES,
  POST_DECISION_WAGER,
  PROBABILISTIC_REASONING,
  DMS_DISTRACTOR,
  REACHING_DELAY_RESPONSE,
  SPATIAL_SUPPRESS_MOTION,
].map((d) => neurogymTask(d as NeuroGymDef<{ dt: number }>));
