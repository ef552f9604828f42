/**
 * NeuroGym's detection tasks: is something there, and when or where?
 * - Detection-v0, following neurogym/neurogym neurogym/envs/native/detection.py: after 500 ms of fixation a
 *   stimulus period of TruncExp(1000, 500, 1500) ms; on half the trials a pulse of +0.5 lasting stim_dur (100 ms)
 *   appears at a uniformly drawn step of it, and the network must go from the pulse on to the period's end.
 * - ToneDetection-v0, following neurogym/envs/native/tonedetection.py (Zhang): 2000 ms of background noise on one
 *   channel with no fixation period; a 50-ms tone at 500, 1000 or 1500 ms, or none; the label (which of the four)
 *   is the target at every step, and the answer is read at the last step (the source's docstring: "labels[-1]").
 * - AnnubesEnv-v0, following neurogym/envs/native/annubes.py: a visual or auditory stimulus of intensity 0.8, 0.9
 *   or 1 (or a catch trial with none) after fixation; go while it lasts.
 *
 * Detection in detail. The stimulus period is split, on the step grid, into `wait` (the pulse's drawn delay,
 * randint(0, max_delay) steps with max_delay = stimulus steps − stim_dur steps − extra_step, where extra_step is 1
 * when stim_dur is a single step), `pulse` (stim_dur steps) and `after` (the rest); on a no-pulse trial `wait` and
 * `pulse` are empty. The source adds its noise N(0, (σ/√dt)²) to the stimulus channel once, and on no-pulse trials a
 * second time (both draws stand in its `_new_trial`), so no-pulse trials carry √2 × the noise; rnnlab keeps that.
 * Its `delay` argument, documented in ms, is used as a step index; rnnlab's `delay` is in ms (−1: drawn) and is
 * converted with int(delay/dt). Success follows the source's reward rule: on a pulse trial the first go comes at a
 * time t with t ≥ fixation + delay (the source's `t >= end_t["fixation"] + delay_trial`), on a no-pulse trial there
 * is no go; a go during fixation, which the source only penalises, fails here too.
 */
import { RnnlabError } from '@rnnlab/engine';
import type { Segment, TrialView, Values } from '../framework';
import { actionAt, fixationIn, type NeuroGymDef, sampleTime, stepNoise } from './common';

const REF = 'neurogym/envs/native/';

interface DetectionParams {
  dt: number;
  sigma: number;
  fixation: number;
  /** The pulse's duration (ms): stim_dur. */
  stimDur: number;
  /** The pulse's delay into the stimulus period (ms), or −1 to draw it (the source's None). */
  delay: number;
}

/** The first step at which the read-out chose action 1 (go), or −1. */
function firstGo(view: TrialView, from = 0): number {
  for (let t = from; t < view.layout.length; t++) if (actionAt(view, t) === 1) return t;
  return -1;
}

/** detection.py's reward rule, rnnlab's stricter fixation (see the header). */
function detected(view: TrialView, p: DetectionParams): boolean {
  const go = firstGo(view);
  if (view.layout.vars.gt === 0) return go < 0;
  return go >= 0 && go * p.dt >= Number(view.layout.vars.onset);
}

/** detection.py Detection. */
export const DETECTION: NeuroGymDef<DetectionParams> = {
  cls: 'Detection',
  name: 'ng-detection',
  file: `${REF}detection.py`,
  paper: 'NeuroGym (no paper named by the source)',
  inputs: ['fixation', 'stimulus'],
  actions: ['fixate', 'go'],
  defaults: { dt: 100, sigma: 1, fixation: 500, stimDur: 100, delay: -1 },
  periods: ['fixation', 'wait', 'pulse', 'after'],
  conditions: () => [
    { name: 'no pulse', values: { gt: 0 } },
    { name: 'pulse', values: { gt: 1 } },
  ],
  draw: (p, c, rng) => {
    const stimulus = sampleTime(rng, { truncExp: [1000, 500, 1500] });
    const fix0 = Math.floor(p.fixation / p.dt);
    const stimSteps = Math.floor((p.fixation + stimulus) / p.dt) - fix0;
    const durSteps = Math.floor(p.stimDur / p.dt);
    if (durSteps < 1) throw new RnnlabError(`ng-detection: stimDur (${p.stimDur} ms) is shorter than dt (${p.dt})`);
    const extra = durSteps === 1 ? 1 : 0;
    const maxDelay = stimSteps - durSteps - extra;
    let delay = 0;
    if (c.gt === 1) {
      if (p.delay >= 0) delay = Math.floor(p.delay / p.dt);
      else if (maxDelay < 0)
        throw new RnnlabError(`ng-detection: a ${stimulus.toFixed(0)}-ms stimulus period has no room for the pulse`);
      else delay = maxDelay === 0 ? 0 : rng.int(maxDelay);
      if (delay + durSteps > stimSteps)
        throw new RnnlabError(`ng-detection: the pulse (delay ${p.delay} ms) ends after the stimulus period`);
    }
    const pulse = c.gt === 1 ? durSteps : 0;
    return {
      vars: { gt: c.gt, stimulus, onset: p.fixation + delay * p.dt },
      durations: {
        fixation: p.fixation,
        wait: delay * p.dt,
        pulse: pulse * p.dt,
        after: (stimSteps - delay - pulse) * p.dt,
      },
    };
  },
  stimuli: (p) => {
    const sigma = stepNoise(p);
    const onPulse = (v: Values) => (v.gt === 1 ? 0 : undefined);
    const noPulse = (v: Values) => (v.gt === 0 ? 0 : undefined);
    return [
      ...fixationIn(['fixation']),
      ...['wait', 'pulse', 'after'].map((period) => ({ channel: 'stimulus', period, value: onPulse, noise: sigma })),
      { channel: 'stimulus', period: 'pulse', value: (v: Values) => (v.gt === 1 ? 0.5 : undefined) },
      // No-pulse trials: the source's two noise draws.
      ...[0, 1].map(() => ({ channel: 'stimulus', period: 'after', value: noPulse, noise: sigma })),
    ];
  },
  truth: { pulse: 'gt', after: 'gt' },
  success: detected,
};

interface ToneParams {
  dt: number;
  sigma: number;
  stimulus: number;
  /** The three possible tone onsets (ms): toneTiming. */
  onset1: number;
  onset2: number;
  onset3: number;
  toneDur: number;
}
const TONE_PERIODS = ['before1', 'tone1', 'before2', 'tone2', 'before3', 'tone3', 'rest'];

/** tonedetection.py ToneDetection. */
export const TONE_DETECTION: NeuroGymDef<ToneParams> = {
  cls: 'ToneDetection',
  name: 'ng-tone-detection',
  file: `${REF}tonedetection.py`,
  paper: 'Costalupes (1985) J. Neurosci. 5:3261',
  inputs: ['stimulus'],
  actions: ['none', 'tone1', 'tone2', 'tone3'],
  defaults: { dt: 50, sigma: 0.2, stimulus: 2000, onset1: 500, onset2: 1000, onset3: 1500, toneDur: 50 },
  periods: TONE_PERIODS,
  conditions: () => ['no tone', 'tone 1', 'tone 2', 'tone 3'].map((name, gt) => ({ name, values: { gt } })),
  draw: (p, c) => {
    if (p.dt > p.toneDur)
      throw new RnnlabError(`ng-tone-detection: dt (${p.dt}) must be at most the tone's duration (${p.toneDur} ms)`);
    // The source's indices: tones at int(onset/dt) for int(toneDur/dt) steps, int(stimulus/dt) steps in all.
    const k = [p.onset1, p.onset2, p.onset3].map((t) => Math.floor(t / p.dt));
    const dur = Math.floor(p.toneDur / p.dt);
    const total = Math.floor(p.stimulus / p.dt);
    if (!(k[0] >= 0 && k[1] >= k[0] + dur && k[2] >= k[1] + dur && k[2] + dur <= total))
      throw new RnnlabError('ng-tone-detection: the tones must start in order, not overlap, and end in the stimulus');
    const ms = (steps: number) => steps * p.dt;
    return {
      vars: { gt: c.gt },
      durations: {
        before1: ms(k[0]),
        tone1: ms(dur),
        before2: ms(k[1] - k[0] - dur),
        tone2: ms(dur),
        before3: ms(k[2] - k[1] - dur),
        tone3: ms(dur),
        rest: ms(total - k[2] - dur),
      },
    };
  },
  stimuli: (p) =>
    TONE_PERIODS.map((period) => ({
      channel: 'stimulus',
      period,
      value: period.startsWith('tone') ? (v: Values) => (`tone${v.gt}` === period ? 1 : 0) : 0,
      noise: stepNoise(p),
    })),
  truth: Object.fromEntries(TONE_PERIODS.map((q) => [q, 'gt'])),
  success: (view) => view.layout.length > 0 && actionAt(view, view.layout.length - 1) === view.layout.vars.gt,
};

interface AnnubesParams {
  dt: number;
  /** The two modalities' shares of the non-catch trials (session {"v": …, "a": …}). */
  visual: number;
  auditory: number;
  catchProb: number;
  fixation: number;
  stimulus: number;
  iti: number;
  /** The fixation channel's level during fixation (fix_intensity). */
  fixIntensity: number;
  /** noise_std; the noise added is noise_std · √(2α)/α with α = dt/τ. */
  noiseStd: number;
  tau: number;
}
const INTENSITIES = [0.8, 0.9, 1];
const MODALITIES = ['v', 'a'];

/**
 * annubes.py AnnubesEnv at its defaults (session {"v": 0.5, "a": 0.5}, stim_intensities [0.8, 0.9, 1], catch_prob
 * 0.5, no max_sequential, so trials are independent). Conditions: catch, then each modality × intensity, drawn with
 * the source's probabilities. Success (rnnlab's, stricter than the source's "any step right"): fixation kept
 * during fixation and the right action at the stimulus period's last step.
 */
export const ANNUBES: NeuroGymDef<AnnubesParams> = {
  cls: 'AnnubesEnv',
  name: 'ng-annubes',
  file: `${REF}annubes.py`,
  paper: 'NeuroGym AnnubesEnv (the ANNUBeS project, Netherlands eScience Center)',
  inputs: ['fixation', 'start', 'v', 'a'],
  actions: ['fixate', 'go'],
  defaults: {
    dt: 100,
    visual: 0.5,
    auditory: 0.5,
    catchProb: 0.5,
    fixation: 500,
    stimulus: 1000,
    iti: 0,
    fixIntensity: 0,
    noiseStd: 0.01,
    tau: 100,
  },
  periods: ['fixation', 'stimulus', 'iti'],
  conditions: () => [
    { name: 'catch', values: { gt: 0, modality: -1, intensity: 0 } },
    ...MODALITIES.flatMap((m, mi) =>
      INTENSITIES.map((x) => ({ name: `${m} ${x}`, values: { gt: 1, modality: mi, intensity: x } })),
    ),
  ],
  conditionWeights: (p) => {
    if (!(p.catchProb >= 0 && p.catchProb <= 1 && p.visual >= 0 && p.auditory >= 0 && p.visual + p.auditory > 0))
      throw new RnnlabError('ng-annubes: need 0 ≤ catchProb ≤ 1 and non-negative modality shares, not both 0');
    const share = [p.visual, p.auditory].map((s) => s / (p.visual + p.auditory));
    return [p.catchProb, ...share.flatMap((s) => INTENSITIES.map(() => ((1 - p.catchProb) * s) / 3))];
  },
  draw: (p, c) => ({ vars: { ...c }, durations: { fixation: p.fixation, stimulus: p.stimulus, iti: p.iti } }),
  stimuli: (p) => {
    const alpha = p.dt / p.tau;
    const noise = (p.noiseStd * Math.sqrt(2 * alpha)) / alpha;
    return [
      { channel: 'fixation', period: 'fixation', value: p.fixIntensity },
      { channel: 'start', period: 'stimulus', value: 1 },
      ...MODALITIES.map((m, mi) => ({
        channel: m,
        period: 'stimulus',
        value: (v: Values) => (v.modality === mi ? v.intensity : undefined),
        noise,
      })),
    ] satisfies Segment[];
  },
  truth: { stimulus: 'gt' },
  decisions: ['stimulus'],
};
