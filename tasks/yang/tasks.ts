/**
 * The 20 rule-cued tasks of Yang, Joglekar, Song, Newsome & Wang (2019), Nat. Neurosci. 22:297, following
 * gyyang/multitask task.py (`delaygo_`, `reactgo_`, `fdgo_`, `_dm`, `_contextdm`, `_delaydm`, `_contextdelaydm`,
 * `dms_`, `dmc_`, `Trial.add_c_mask`) and train.py (`get_default_hp`).
 *
 * Every task has the same 85 inputs (fixation, two rings of 32 direction-tuned units, one rule unit per task, on for
 * the whole trial) and 33 outputs (fixation, a response ring of 32), so one network can learn all of them. Targets
 * follow Yang's squared-error convention: 0.05 at rest, fixation output 0.8 until the go cue, the response ring
 * 0.05 + 0.8·exp(−½ (d/(π/8))²) after it. The cost mask is Yang's: 0 for the first 100 ms, 1 until the go cue,
 * 0 for a 100 ms grace period, 5 after it.
 *
 * Where rnnlab differs from the source, on purpose:
 * - timings are drawn per trial (Yang draws them per batch; a batch mixing lengths is padded with mask 0);
 * - the modality of go and matching tasks is drawn per trial (Yang: per batch);
 * - multidm and multidelaydm draw their modality split from the task's seeded generator (Yang's code calls the
 *   unseeded np.random there);
 * - dmcgo/dmcnogo draw "match" or "non-match" first, then the two locations (the same distribution as two
 *   independent draws over the ten locations, which match with probability ½);
 * - Yang's cost is mean(((y − ŷ)·c_mask)²) (network.py): his mask enters squared (25 after the grace period, and
 *   his doubled fixation column 4×). By default (cost 0, the zoo's networks) rnnlab weighs the squared error by the
 *   mask (5) and every output alike. `cost: 1` is his: mask 1 and 25, output weights 4 for fixation and 1 for the
 *   ring (the hints set config.outputWeights), the loss a mean over every step ('all-steps'); it still differs in
 *   the padding: rnnlab pads a trial set to its longest trial, Yang a batch to its own (docs/tasks.md).
 */
import { type Rng, RnnlabError } from '@rnnlab/engine';
import type { Condition, Segment, TaskSpec, Values } from '../framework';
import { RING_COMMITMENT, ringBinaryChoice, ringChannels, ringChoiceCorrect, ringSegments } from './ring';

export interface YangParams {
  /** ms per step (Yang: 20). */
  dt: number;
  /** σ of the input noise, Yang's σ_x·√(2/α) = 0.01·√10. */
  inputNoise: number;
  /** 0: the mask weighs the squared error (1, 5), outputs alike; 1: Yang's cost, mask squared (1, 25), fixation ×4. */
  cost: number;
}

/** Yang's cost (network.py): ((y − ŷ)·c_mask)² with c_mask's fixation column doubled, so 2² for the fixation output. */
const YANG_OUTPUT_WEIGHTS = [4, ...Array.from({ length: 32 }, () => 1)];

function checkCost(rule: string, p: YangParams): void {
  if (p.cost !== 0 && p.cost !== 1)
    throw new RnnlabError(`task "yang-${rule}": cost must be 0 (rnnlab's mask weights) or 1 (Yang's), got ${p.cost}`);
}

export const YANG_RULES = [
  'fdgo',
  'reactgo',
  'delaygo',
  'fdanti',
  'reactanti',
  'delayanti',
  'dm1',
  'dm2',
  'contextdm1',
  'contextdm2',
  'multidm',
  'delaydm1',
  'delaydm2',
  'contextdelaydm1',
  'contextdelaydm2',
  'multidelaydm',
  'dmsgo',
  'dmsnogo',
  'dmcgo',
  'dmcnogo',
] as const;
export type YangRule = (typeof YANG_RULES)[number];

const INPUTS = ['fix', ...ringChannels('m1_'), ...ringChannels('m2_'), ...YANG_RULES.map((r) => `rule_${r}`)];
const OUTPUTS = ['fix', ...ringChannels('out_')];
const TWO_PI = 2 * Math.PI;
const PRE_GO = ['settle', 'fix1', 'stim1', 'delay1', 'stim2', 'delay2'];

const uniform = (rng: Rng, a: number, b: number) => a + (b - a) * rng.uniform();
const choice = (rng: Rng, xs: readonly number[]) => xs[rng.int(xs.length)];
const sign = (rng: Rng) => (rng.int(2) === 0 ? 1 : -1);

/** What a family of tasks varies: its conditions, its draws, its periods and when its stimuli show. */
interface Family {
  conditions: readonly Condition[];
  /**
   * The trial's variables: loc1, loc2 (rad), m{ring}s{stimulus} (strength of stimulus 1 or 2 on ring 1 or 2),
   * respLoc (−1: keep fixating) and the durations in ms of the periods named in `periods`.
   */
  draw(rng: Rng, c: Values, t: (ms: number) => number): Values;
  periods: readonly string[];
  shows: ReadonlyArray<{ period: string; stims: readonly number[]; untilEnd?: boolean }>;
  /** The fixation input stays on through the response (reactgo, matching tasks). */
  fixAll?: boolean;
}

function yangTask(rule: YangRule, family: Family): TaskSpec<YangParams> {
  const stimuli: Segment[] = [{ channel: `rule_${rule}`, period: 'settle', until: 'end', value: 1 }];
  if (family.fixAll) stimuli.push({ channel: 'fix', period: 'settle', until: 'end', value: 1 });
  else for (const per of PRE_GO) stimuli.push({ channel: 'fix', period: per, value: 1 });
  for (const show of family.shows)
    for (const ring of [1, 2])
      stimuli.push(
        ...ringSegments(
          `m${ring}_`,
          show.period,
          (v) => show.stims.map((i) => [v[`loc${i}`], v[`m${ring}s${i}`] ?? 0] as const),
          show.untilEnd ? { until: 'end' } : {},
        ),
      );
  const responses: Segment[] = [
    ...PRE_GO.map((per) => ({ channel: 'fix', period: per, value: 0.8 })),
    { channel: 'fix', period: 'grace', until: 'end', value: (v: Values) => (v.respLoc < 0 ? 0.8 : undefined) },
    ...ringSegments('out_', 'grace', (v) => (v.respLoc >= 0 ? [[v.respLoc, 1]] : []), { until: 'end', base: 0.05 }),
  ];
  return {
    name: `yang-${rule}`,
    title: `Yang et al. (2019) ${rule}`,
    citation: 'Yang et al. (2019) Nat. Neurosci. 22:297; gyyang/multitask task.py',
    inputs: INPUTS,
    outputs: OUTPUTS,
    defaults: { dt: 20, inputNoise: 0.01 * Math.sqrt(2 / 0.2), cost: 0 },
    dt: (p) => {
      checkCost(rule, p);
      if (!(p.dt > 0 && Number.isInteger(100 / p.dt)))
        throw new RnnlabError(`task "yang-${rule}": dt = ${p.dt} ms must divide 100 ms (Yang's timings are in 100s)`);
      return p.dt;
    },
    conditions: () => family.conditions,
    // Yang converts drawn times with int(ms/dt): a uniform draw falls on the dt grid below it.
    draw: (p, c, rng) => family.draw(rng, c.values, (ms) => Math.floor(ms / p.dt + 1e-9) * p.dt),
    periods: (_p, c) => [
      { name: 'settle', duration: 100 },
      ...family.periods.map((name) => ({ name, duration: c.values[name] })),
      { name: 'grace', duration: 100 },
      { name: 'go', duration: c.values.go - 100 },
    ],
    stimuli: () => stimuli,
    responses: () => responses,
    baseline: () => 0.05,
    noise: (p) => ({ input: p.inputNoise, target: 0 }),
    maskWeights: (p) => (checkCost(rule, p), { settle: 0, grace: 0, go: p.cost === 1 ? 25 : 5 }),
    success: (view) => ringChoiceCorrect(view),
    // The decision tasks' evidence is the signed coherence, positive for stimulus 1.
    ...('evidence' in family.conditions[0].values ? { choice: ringBinaryChoice, commitment: RING_COMMITMENT } : {}),
    hints: {
      init: 'orthogonal',
      gain: 0.5,
      size: 256,
      activation: 'relu',
      alpha: 0.2,
      recNoise: 0.05 * Math.sqrt(2 / 0.2),
      lr: 1e-3,
      batchSize: 64,
      recurrentBias: true,
      earlyStopLoss: 0,
      outputWeights: (p) => (p.cost === 1 ? YANG_OUTPUT_WEIGHTS : null),
      lossNorm: (p) => (p.cost === 1 ? 'all-steps' : null),
    },
  };
}

/** Stimulus strengths per ring: only `ring` shows the stimuli (go, dm and matching tasks). */
function onRing(ring: number, stims: Record<number, number>): Values {
  const v: Record<string, number> = { m1s1: 0, m1s2: 0, m2s1: 0, m2s2: 0 };
  for (const [i, s] of Object.entries(stims)) v[`m${ring}s${i}`] = s;
  return v;
}

const MODS: readonly Condition[] = [
  { name: 'mod1', values: { mod: 1 } },
  { name: 'mod2', values: { mod: 2 } },
];

/** fdgo/fdanti, reactgo/reactanti, delaygo/delayanti (task.py: fdgo_, reactgo_, delaygo_). */
function goFamily(kind: 'fd' | 'react' | 'delay', anti: boolean): Family {
  const draw = (rng: Rng, c: Values, t: (ms: number) => number): Values => {
    const loc1 = uniform(rng, 0, TWO_PI);
    const respLoc = anti ? (loc1 + Math.PI) % TWO_PI : loc1;
    const base = { loc1, respLoc, ...onRing(c.mod, { 1: 1 }), go: 500 };
    if (kind === 'fd') {
      const stimOn = t(uniform(rng, 300, 700));
      return { ...base, fix1: stimOn - 100, stim1: t(uniform(rng, 500, 1500)) };
    }
    if (kind === 'react') return { ...base, fix1: t(uniform(rng, 500, 2500)) - 100 };
    const stimOn = choice(rng, [300, 500, 700]);
    return {
      ...base,
      fix1: stimOn - 100,
      stim1: choice(rng, [200, 400, 600]),
      delay1: choice(rng, [200, 400, 800, 1600]),
    };
  };
  if (kind === 'fd')
    return {
      conditions: MODS,
      draw,
      periods: ['fix1', 'stim1'],
      shows: [{ period: 'stim1', stims: [1], untilEnd: true }],
    };
  if (kind === 'react')
    return {
      conditions: MODS,
      draw,
      periods: ['fix1'],
      shows: [{ period: 'grace', stims: [1], untilEnd: true }],
      fixAll: true,
    };
  return { conditions: MODS, draw, periods: ['fix1', 'stim1', 'delay1'], shows: [{ period: 'stim1', stims: [1] }] };
}

/** One condition per signed coherence: the evidence for stimulus 1 (positive) or 2 (negative). */
function cohConditions(cohs: readonly number[]): Condition[] {
  return [-1, 1].flatMap((s) =>
    cohs.map((c) => ({ name: `${s > 0 ? '+' : '-'}${c}`, values: { coh: c, sign: s, evidence: s * c } })),
  );
}

/** contextdm_genstim: a mean strength in [0.8, 1.2] and ± coherence around it. */
function genstim(rng: Rng, coh: number, sgn: number): [number, number] {
  const mean = uniform(rng, 0.8, 1.2);
  return [mean + coh * sgn, mean - coh * sgn];
}

/**
 * The decision families (task.py: _dm, _contextdm, _delaydm, _contextdelaydm). `attend` is the ring that counts:
 * 1 or 2 (dm1, contextdm1…), or 'both' (multidm: the sum over rings); `context` puts stimuli on both rings.
 */
function dmFamily(delayed: boolean, attend: 1 | 2 | 'both', context: boolean): Family {
  const cohs = delayed ? [0.08, 0.16, 0.32] : [0.01, 0.02, 0.04, 0.08];
  const draw = (rng: Rng, c: Values, t: (ms: number) => number): Values => {
    const loc1 = uniform(rng, 0, TWO_PI);
    const loc2 = (loc1 + uniform(rng, 0.5 * Math.PI, 1.5 * Math.PI) * sign(rng) + TWO_PI) % TWO_PI;
    const [s1, s2] = genstim(rng, c.coh, c.sign);
    let strengths: Values;
    if (!context) strengths = onRing(attend as number, { 1: s1, 2: s2 });
    else if (attend !== 'both') {
      const [o1, o2] = genstim(rng, choice(rng, cohs), sign(rng));
      const other = attend === 1 ? 2 : 1;
      strengths = { [`m${attend}s1`]: s1, [`m${attend}s2`]: s2, [`m${other}s1`]: o1, [`m${other}s2`]: o2 };
    } else {
      // multidm: each stimulus split unevenly between the rings, its total kept (the sums decide).
      const d1 = s1 * uniform(rng, 0.2, 0.8) * sign(rng),
        d2 = s2 * uniform(rng, 0.2, 0.8) * sign(rng);
      strengths = { m1s1: s1 + d1 / 2, m2s1: s1 - d1 / 2, m1s2: s2 + d2 / 2, m2s2: s2 - d2 / 2 };
    }
    const base = { loc1, loc2, ...strengths, respLoc: s1 > s2 ? loc1 : loc2, go: 500 };
    if (!delayed) return { ...base, fix1: t(uniform(rng, 100, 400)) - 100, stim1: choice(rng, [400, 800, 1600]) };
    return {
      ...base,
      fix1: choice(rng, [200, 400, 600]) - 100,
      stim1: choice(rng, [200, 400, 600]),
      delay1: choice(rng, [200, 400, 800, 1600]),
      stim2: choice(rng, [200, 400, 600]),
      delay2: t(uniform(rng, 100, 300)),
    };
  };
  if (!delayed)
    return {
      conditions: cohConditions(cohs),
      draw,
      periods: ['fix1', 'stim1'],
      shows: [{ period: 'stim1', stims: [1, 2] }],
    };
  return {
    conditions: cohConditions(cohs),
    draw,
    periods: ['fix1', 'stim1', 'delay1', 'stim2', 'delay2'],
    shows: [
      { period: 'stim1', stims: [1] },
      { period: 'stim2', stims: [2] },
    ],
  };
}

const MATCH: readonly Condition[] = [
  { name: 'match', values: { match: 1 } },
  { name: 'nonmatch', values: { match: 0 } },
];
const CATEGORY_LOCS = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9].map((x) => x * Math.PI);

/**
 * Delayed match to sample (dms_) and to category (dmc_): `goOn` says which answer is a saccade to the second
 * stimulus (dmsgo/dmcgo: match; dmsnogo/dmcnogo: non-match); the other keeps fixation.
 */
function matchFamily(category: boolean, goOn: 0 | 1): Family {
  const draw = (rng: Rng, c: Values): Values => {
    const mod1 = rng.int(2) + 1,
      mod2 = rng.int(2) + 1;
    let loc1: number, loc2: number;
    if (category) {
      loc1 = choice(rng, CATEGORY_LOCS);
      const same = CATEGORY_LOCS.filter((l) => l < Math.PI === loc1 < Math.PI);
      loc2 = choice(rng, c.match ? same : CATEGORY_LOCS.filter((l) => !same.includes(l)));
    } else {
      loc1 = uniform(rng, 0, TWO_PI);
      const dist = uniform(rng, Math.PI / 9, (17 * Math.PI) / 9) * sign(rng);
      loc2 = c.match ? loc1 : (loc1 + dist + TWO_PI) % TWO_PI;
    }
    const strengths: Record<string, number> = { m1s1: 0, m1s2: 0, m2s1: 0, m2s2: 0 };
    strengths[`m${mod1}s1`] = 1;
    strengths[`m${mod2}s2`] = 1;
    return {
      loc1,
      loc2,
      ...strengths,
      respLoc: c.match === goOn ? loc2 : -1,
      fix1: choice(rng, [200, 400, 600]) - 100,
      stim1: choice(rng, [200, 400, 600]),
      delay1: choice(rng, [200, 400, 800, 1600]),
      go: category ? choice(rng, [200, 400, 600]) : 500,
    };
  };
  return {
    conditions: MATCH,
    draw,
    periods: ['fix1', 'stim1', 'delay1'],
    shows: [
      { period: 'stim1', stims: [1] },
      { period: 'grace', stims: [2], untilEnd: true },
    ],
    fixAll: true,
  };
}

const FAMILIES: Record<YangRule, Family> = {
  fdgo: goFamily('fd', false),
  reactgo: goFamily('react', false),
  delaygo: goFamily('delay', false),
  fdanti: goFamily('fd', true),
  reactanti: goFamily('react', true),
  delayanti: goFamily('delay', true),
  dm1: dmFamily(false, 1, false),
  dm2: dmFamily(false, 2, false),
  contextdm1: dmFamily(false, 1, true),
  contextdm2: dmFamily(false, 2, true),
  multidm: dmFamily(false, 'both', true),
  delaydm1: dmFamily(true, 1, false),
  delaydm2: dmFamily(true, 2, false),
  contextdelaydm1: dmFamily(true, 1, true),
  contextdelaydm2: dmFamily(true, 2, true),
  multidelaydm: dmFamily(true, 'both', true),
  dmsgo: matchFamily(false, 1),
  dmsnogo: matchFamily(false, 0),
  dmcgo: matchFamily(true, 1),
  dmcnogo: matchFamily(true, 0),
};

/** The 20 tasks, in Yang's order (rules_dict['all']). */
export const YANG_TASKS: readonly TaskSpec<YangParams>[] = YANG_RULES.map((r) => yangTask(r, FAMILIES[r]));
