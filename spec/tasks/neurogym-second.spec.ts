/**
 * The second set of NeuroGym tasks against their source (neurogym/neurogym 8136bc7, envs/native/): OneTwoThreeGo
 * (readysetgo.py), Detection (detection.py), ToneDetection (tonedetection.py), AnnubesEnv (annubes.py),
 * PostDecisionWager (postdecisionwager.py), ProbabilisticReasoning (probabilisticreasoning.py),
 * DelayMatchSampleDistractor1D (delaymatchsample.py), ReachingDelayResponse (reachingdelayresponse.py) and
 * SpatialSuppressMotion (spatialsuppressmotion.py). Expected numbers are read off the source files: boundaries at
 * int(t/dt) of the summed period times, channel levels, labels, noise σ/√dt, and the drawn distributions.
 */
import { accuracy, commitmentTimes, generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';
import { at, choosing, label, meanSd, period, steps, truncExpMean } from '../helpers/trials';

const k = (ms: number, dt: number) => Math.floor(ms / dt);
/** The input's residual from `level` on channel `ch` over steps [from, to) of trial b. */
const residuals = (tr: GeneratedTrials, b: number, ch: number, from: number, to: number, level = 0) =>
  Array.from({ length: to - from }, (_, i) => at(tr, 'inputs', b, from + i, ch) - level);

/** The accuracy of a one-trial set when the read-out chooses action 1 at step g only (action 0 elsewhere). */
const goOnlyAt = (task: ReturnType<typeof getTask>, one: GeneratedTrials, g: number) =>
  accuracy(
    task,
    one,
    choosing(one, (t) => (t === g ? 1 : 0)),
  ).overall;

describe('OneTwoThreeGo', () => {
  const task = getTask('ng-one-two-three-go');
  const tr = generate(task, { nTrials: 3000, seed: 3 });

  test('three flashes one interval apart, go from one interval after the third; fixation on throughout', () => {
    tr.layouts.slice(0, 200).forEach((l, b) => {
      const i = Number(l.vars.interval);
      const f = Number(l.vars.fixation);
      const s1 = f + Number(l.vars.target);
      const s3end = s1 + 100 + i + 100 + i + 100;
      expect(Number(l.vars.reference)).toBeCloseTo(s3end, 9); // end_t["s3"]
      expect(period(l, 's1')).toMatchObject({ start: k(s1, 80), end: k(s1 + 100, 80) });
      expect(period(l, 's2')).toMatchObject({ start: k(s1 + 100 + i, 80), end: k(s1 + 200 + i, 80) });
      expect(period(l, 'response')).toMatchObject({ start: k(s3end + i, 80), end: k(s3end + i + 1000, 80) });
      for (let t = 0; t < l.length; t++) {
        const flash = ['s1', 's2', 's3'].some((q) => t >= period(l, q).start && t < period(l, q).end);
        expect(at(tr, 'inputs', b, t, 0)).toBe(1);
        expect(at(tr, 'inputs', b, t, 1)).toBe(flash ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 2)).toBe(t >= k(f, 80) ? 1 : 0);
        expect(label(tr, b, t)).toBe(t >= period(l, 'response').start ? 1 : 0);
      }
    });
  });

  test('fixation TruncExp(400, 100, 800), target TruncExp(1000, 500, 1500), intervals 600…1000 evenly', () => {
    const fix = tr.layouts.map((l) => Number(l.vars.fixation));
    const target = tr.layouts.map((l) => Number(l.vars.target));
    expect(Math.abs(meanSd(fix).mean - truncExpMean(400, 100, 800))).toBeLessThan(8); // SE ~3 ms
    expect(Math.abs(meanSd(target).mean - truncExpMean(1000, 500, 1500))).toBeLessThan(12); // SE ~5 ms
    expect(Math.max(...fix)).toBeLessThan(800);
    expect(Math.min(...fix)).toBeGreaterThanOrEqual(100);
    expect(Math.min(...target)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...target)).toBeLessThan(1500);
    for (const i of [600, 700, 800, 900, 1000])
      expect(Math.abs(tr.layouts.filter((l) => l.vars.interval === i).length / 3000 - 0.2)).toBeLessThan(0.025);
  });

  test('success: the first go within 0.2·interval + 25 ms of the interval after s3, none before interval3', () => {
    const one = generate(task, { nTrials: 1, seed: 9 });
    const l = one.layouts[0];
    const i = Number(l.vars.interval);
    const s3end = Number(l.vars.reference);
    const goAt = (g: number) => goOnlyAt(task, one, g);
    expect(goAt(period(l, 'response').start)).toBe(1);
    expect(goAt(Math.ceil((s3end + 1.2 * i + 26) / 80))).toBe(0); // too late
    expect(goAt(period(l, 'interval3').start)).toBe(0); // too early
    expect(goAt(period(l, 's2').start)).toBe(0); // before interval3
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
  });
});

describe('Detection', () => {
  const task = getTask('ng-detection');
  const tr = generate(task, { nTrials: 3000, seed: 2 });
  const clean = generate(task, { nTrials: 3000, seed: 2, params: { sigma: 0 } });

  test('fixation 500 ms, a TruncExp(1000, 500, 1500) stimulus period; the pulse +0.5 for one step at its delay', () => {
    const lengths: number[] = [];
    clean.layouts.forEach((l, b) => {
      const stim = Number(l.vars.stimulus);
      lengths.push(stim);
      expect(l.length).toBe(k(500 + stim, 100));
      expect(steps(l).fixation).toBe(5);
      for (let t = 0; t < l.length; t++) expect(at(clean, 'inputs', b, t, 0)).toBe(t < 5 ? 1 : 0);
      const p = period(l, 'pulse');
      expect(p.end - p.start).toBe(l.vars.gt === 1 ? 1 : 0);
      for (let t = 5; t < l.length; t++) {
        expect(at(clean, 'inputs', b, t, 1)).toBe(t === p.start && l.vars.gt === 1 ? 0.5 : 0);
        expect(label(clean, b, t)).toBe(l.vars.gt === 1 && t >= p.start ? 1 : 0);
      }
      if (l.vars.gt === 1) expect(l.vars.onset).toBe(500 + (p.start - 5) * 100);
    });
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...lengths)).toBeLessThan(1500);
    expect(Math.abs(meanSd(lengths).mean - truncExpMean(1000, 500, 1500))).toBeLessThan(15); // SE ~5 ms
  });

  test('the delay is randint(0, stimulus steps − 2) steps (stim_dur one step, so extra_step 1), evenly', () => {
    const rel: number[] = [];
    clean.layouts.forEach((l) => {
      if (l.vars.gt !== 1) return;
      const delay = steps(l).wait;
      const max = l.length - 5 - 1 - 1;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(max);
      rel.push((delay + 0.5) / max);
    });
    expect(Math.abs(meanSd(rel).mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(rel.length / 3000 - 0.5)).toBeLessThan(0.03);
  });

  test('noise σ/√dt on the stimulus channel, √2 × that on no-pulse trials (the source draws it twice there)', () => {
    const pulse: number[] = [];
    const none: number[] = [];
    tr.layouts.forEach((l, b) => {
      const p = period(l, 'pulse');
      for (let t = 5; t < l.length; t++) {
        const r = at(tr, 'inputs', b, t, 1) - (t === p.start && l.vars.gt === 1 ? 0.5 : 0);
        (l.vars.gt === 1 ? pulse : none).push(r);
      }
      expect(at(tr, 'inputs', b, 0, 0)).toBe(1);
    });
    expect(Math.abs(meanSd(pulse).sd - 0.1)).toBeLessThan(0.004);
    expect(Math.abs(meanSd(none).sd - 0.1 * Math.SQRT2)).toBeLessThan(0.005);
  });

  test('success: a go at or after the pulse on pulse trials, no go on the others; a go in fixation fails', () => {
    const find = (gt: number) => generate(task, { nTrials: 1, seed: 1, condition: gt, params: { delay: 300 } });
    const yes = find(1);
    const onset = period(yes.layouts[0], 'pulse').start;
    expect(onset).toBe(5 + 3);
    const goFrom = (tr1: GeneratedTrials, g: number) =>
      accuracy(
        task,
        tr1,
        choosing(tr1, (t) => (t >= g ? 1 : 0)),
      ).overall;
    expect(goFrom(yes, onset)).toBe(1);
    expect(goFrom(yes, onset + 1)).toBe(1);
    expect(goFrom(yes, onset - 1)).toBe(0);
    expect(goFrom(yes, 99)).toBe(0); // a miss
    const no = find(0);
    expect(goFrom(no, 99)).toBe(1);
    expect(goFrom(no, 6)).toBe(0);
    expect(
      accuracy(
        task,
        yes,
        choosing(yes, (t) => (t === 2 || t >= onset ? 1 : 0)),
      ).overall,
    ).toBe(0);
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
  });

  test('a pulse that cannot fit is one clear error', () => {
    expect(() => generate(task, { nTrials: 4, params: { delay: 5000 } })).toThrow(/ends after the stimulus period/);
    expect(() => generate(task, { nTrials: 4, params: { stimDur: 50 } })).toThrow(/shorter than dt/);
  });
});

describe('ToneDetection', () => {
  const task = getTask('ng-tone-detection');
  const tr = generate(task, { nTrials: 2000, seed: 6 });
  const clean = generate(task, { nTrials: 8, grid: true, params: { sigma: 0 } });

  test('2000 ms at dt 50 (40 steps), no fixation; the tone one step at 10, 20 or 30; the label at every step', () => {
    expect(clean.nSteps).toBe(40);
    expect(clean.nIn).toBe(1);
    clean.layouts.forEach((l, b) => {
      const gt = Number(l.vars.gt);
      for (let t = 0; t < 40; t++) {
        expect(at(clean, 'inputs', b, t, 0)).toBe(gt > 0 && t === 10 * gt ? 1 : 0);
        expect(label(clean, b, t)).toBe(gt);
      }
    });
  });

  test('noise 0.2/√50 on every step; the four answers equally likely; the answer is read at the last step', () => {
    const r = tr.layouts.flatMap((l, b) =>
      residuals(tr, b, 0, 0, 40).map((x, t) => x - (l.vars.gt > 0 && t === 10 * Number(l.vars.gt) ? 1 : 0)),
    );
    expect(Math.abs(meanSd(r).sd - 0.2 / Math.sqrt(50))).toBeLessThan(0.0015);
    for (let gt = 0; gt < 4; gt++)
      expect(Math.abs(tr.layouts.filter((l) => l.vars.gt === gt).length / 2000 - 0.25)).toBeLessThan(0.03);
    const one = generate(task, { nTrials: 1, seed: 1, condition: 2 });
    expect(
      accuracy(
        task,
        one,
        choosing(one, (t) => (t === 39 ? 2 : 0)),
      ).overall,
    ).toBe(1);
    expect(
      accuracy(
        task,
        one,
        choosing(one, (t) => (t === 39 ? 0 : 2)),
      ).overall,
    ).toBe(0);
  });

  test('dt above the tone duration is refused, as the source refuses it', () => {
    expect(() => generate(task, { nTrials: 1, params: { dt: 100 } })).toThrow(/at most the tone's duration/);
    expect(() => generate(task, { nTrials: 1, params: { onset3: 2000 } })).toThrow(/end in the stimulus/);
  });
});

describe('AnnubesEnv', () => {
  const task = getTask('ng-annubes');
  const tr = generate(task, { nTrials: 4000, seed: 8 });

  test('catch trials half the time, the modalities evenly, intensities 0.8, 0.9, 1; go through the stimulus', () => {
    const n = (f: (v: Record<string, number>) => boolean) =>
      tr.layouts.filter((l) => f(l.vars as Record<string, number>)).length / 4000;
    expect(Math.abs(n((v) => v.gt === 0) - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(n((v) => v.modality === 0) - 0.25)).toBeLessThan(0.025);
    expect(Math.abs(n((v) => v.intensity === 0.9) - 1 / 6)).toBeLessThan(0.02);
    tr.layouts.slice(0, 100).forEach((l, b) => {
      expect(steps(l)).toEqual({ fixation: 5, stimulus: 10, iti: 0 });
      for (let t = 0; t < 15; t++) {
        expect(at(tr, 'inputs', b, t, 0)).toBe(0); // fix_intensity 0
        expect(at(tr, 'inputs', b, t, 1)).toBe(t >= 5 ? 1 : 0);
        expect(label(tr, b, t)).toBe(t >= 5 && l.vars.gt === 1 ? 1 : 0);
        const other = l.vars.modality === 0 ? 3 : 2;
        expect(at(tr, 'inputs', b, t, other)).toBe(0);
      }
    });
  });

  test('noise noise_std·√(2α)/α on the shown modality in the stimulus period', () => {
    const r = tr.layouts.flatMap((l, b) =>
      l.vars.gt === 1 ? residuals(tr, b, 2 + Number(l.vars.modality), 5, 15, Number(l.vars.intensity)) : [],
    );
    expect(Math.abs(meanSd(r).sd - 0.01 * Math.SQRT2)).toBeLessThan(0.0004);
    const w = task.conditionWeights!({ ...task.defaults, catchProb: 0.2, visual: 3, auditory: 1 });
    expect(w.map((x) => +x.toFixed(12))).toEqual(
      [0.2, 0.2, 0.2, 0.2, 1 / 15, 1 / 15, 1 / 15].map((x) => +x.toFixed(12)),
    );
    expect(() => generate(task, { nTrials: 1, params: { catchProb: 1.5 } })).toThrow(/catchProb/);
  });
});

describe('PostDecisionWager', () => {
  const task = getTask('ng-post-decision-wager');
  const tr = generate(task, { nTrials: 3000, seed: 12 });
  const clean = generate(task, { nTrials: 3000, seed: 12, params: { sigma: 0 } });

  test('the sure target: off until U(500, 750) ms after the stimulus, then on through the decision', () => {
    clean.layouts.slice(0, 300).forEach((l, b) => {
      const stimEnd = 100 + Number(l.vars.stimulus);
      const delayEnd = stimEnd + Number(l.vars.delay);
      const pre = Number(l.vars.t_pre_sure) > 0 || l.vars.wager ? period(l, 'pre_sure') : null;
      expect(period(l, 'decision')).toMatchObject({ start: k(delayEnd, 100), end: k(delayEnd + 100, 100) });
      for (let t = 0; t < l.length; t++) {
        const sureOn = l.vars.wager === 1 && t >= pre!.end;
        expect(at(clean, 'inputs', b, t, 3)).toBe(sureOn ? 1 : 0);
        expect(at(clean, 'inputs', b, t, 0)).toBe(t < period(l, 'decision').start ? 1 : 0);
        expect(label(clean, b, t)).toBe(t >= period(l, 'decision').start ? l.vars.gt : 0);
      }
    });
    const pres = clean.layouts.filter((l) => l.vars.wager === 1).map((l) => period(l, 'pre_sure'));
    expect(Math.abs(pres.length / 3000 - 0.5)).toBeLessThan(0.03);
  });

  test('stimulus TruncExp(180, 100, 900), delay TruncExp(1350, 1200, 1800); (1 ± coh/100)/2 with σ/√dt noise', () => {
    const stim = clean.layouts.map((l) => Number(l.vars.stimulus));
    const delay = clean.layouts.map((l) => Number(l.vars.delay));
    expect(Math.abs(meanSd(stim).mean - truncExpMean(180, 100, 900))).toBeLessThan(6);
    expect(Math.abs(meanSd(delay).mean - truncExpMean(1350, 1200, 1800))).toBeLessThan(8);
    expect(Math.min(...delay)).toBeGreaterThanOrEqual(1200);
    const r: number[] = [];
    tr.layouts.forEach((l, b) => {
      const s = period(l, 'stimulus');
      const gt = Number(l.vars.gt);
      const coh = Number(l.vars.coh);
      r.push(...residuals(tr, b, gt, s.start, s.end, (1 + coh / 100) / 2));
      r.push(...residuals(tr, b, 3 - gt, s.start, s.end, (1 - coh / 100) / 2));
      r.push(...residuals(tr, b, 0, s.start, s.end, 1), ...residuals(tr, b, 3, s.start, s.end, 0));
    });
    expect(Math.abs(meanSd(r).sd - 0.1)).toBeLessThan(0.004);
  });
});

describe('ProbabilisticReasoning', () => {
  const task = getTask('ng-probabilistic-reasoning');
  const tr = generate(task, { nTrials: 6000, seed: 21 });
  const weights = [-10, -0.9, -0.7, -0.5, -0.3, 0.3, 0.5, 0.7, 0.9, 10];

  test('four shapes at four different locations, each on from its period through the last, off in the delay', () => {
    tr.layouts.slice(0, 40).forEach((l, b) => {
      const v = l.vars as Record<string, number>;
      expect(new Set([0, 1, 2, 3].map((i) => v[`loc${i}`])).size).toBe(4);
      expect(steps(l)).toMatchObject({ fixation: 5, stimulus0: 5, stimulus3: 5, decision: 5 });
      for (let t = 0; t < l.length; t++) {
        const j = [0, 1, 2, 3].findIndex(
          (q) => t >= period(l, `stimulus${q}`).start && t < period(l, `stimulus${q}`).end,
        );
        const on = new Set(
          j < 0 ? [] : [0, 1, 2, 3].filter((i) => i <= j).map((i) => 1 + 10 * v[`loc${i}`] + v[`shape${i}`]),
        );
        for (let ch = 1; ch < 41; ch++) expect(at(tr, 'inputs', b, t, ch)).toBe(on.has(ch) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 0)).toBe(t < period(l, 'decision').start ? 1 : 0);
      }
      expect(v.logOdd).toBeCloseTo(
        [0, 1, 2, 3].reduce((a, i) => a + weights[v[`shape${i}`]], 0),
        12,
      );
    });
  });

  test('the answer is choice 2 with probability 1/(10^(−Σw) + 1); shapes uniform; delay U(450, 550)', () => {
    const excess = tr.layouts.map((l) => (l.vars.gt === 2 ? 1 : 0) - 1 / (10 ** -Number(l.vars.logOdd) + 1));
    expect(Math.abs(meanSd(excess).mean)).toBeLessThan(0.015);
    const shapes = tr.layouts.flatMap((l) => [0, 1, 2, 3].map((i) => Number(l.vars[`shape${i}`])));
    for (let s = 0; s < 10; s++)
      expect(Math.abs(shapes.filter((x) => x === s).length / shapes.length - 0.1)).toBeLessThan(0.01);
    const delays = tr.layouts.map((l) => steps(l).delay);
    expect(new Set(delays)).toEqual(new Set([4, 5])); // the period starts at 2500 ms: int((2500 + U(450, 550))/100)
  });
});

describe('DelayMatchSampleDistractor1D', () => {
  const task = getTask('ng-delay-match-sample-distractor-1d');
  const tr = generate(task, { nTrials: 900, seed: 30 });

  test('the sample and three tests on a 32-channel ring; the matching test repeats the sample; go during it', () => {
    tr.layouts.slice(0, 60).forEach((l, b) => {
      const v = l.vars as Record<string, number>;
      expect(v[`test${v.gt}`]).toBe(v.sample);
      for (const q of ['sample', 'test1', 'test2', 'test3']) {
        const p = period(l, q);
        for (const ch of [0, 7, 31])
          expect(at(tr, 'inputs', b, p.start, 1 + ch)).toBeCloseTo(Math.cos((2 * Math.PI * ch) / 32 - v[q]), 12);
        expect(at(tr, 'inputs', b, p.start, 0)).toBe(0);
      }
      for (let t = 0; t < l.length; t++) {
        const m = period(l, `test${v.gt}`);
        expect(label(tr, b, t)).toBe(t >= m.start && t < m.end ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 0)).toBe(t < 3 ? 1 : 0);
      }
    });
    expect(steps(tr.layouts[0])).toEqual({
      fixation: 3,
      sample: 5,
      delay1: 10,
      test1: 5,
      delay2: 10,
      test2: 5,
      delay3: 10,
      test3: 5,
    });
    for (const gt of [1, 2, 3])
      expect(Math.abs(tr.layouts.filter((l) => l.vars.gt === gt).length / 900 - 1 / 3)).toBeLessThan(0.05);
  });

  test('success: the first go lies in the matching test', () => {
    const one = generate(task, { nTrials: 1, seed: 1, condition: 1 }); // match at test 2
    const l = one.layouts[0];
    const goAt = (g: number) => goOnlyAt(task, one, g);
    expect(goAt(period(l, 'test2').start + 2)).toBe(1);
    expect(goAt(period(l, 'test1').start)).toBe(0);
    expect(goAt(period(l, 'test3').start)).toBe(0);
    expect(goAt(-1)).toBe(0);
  });
});

describe('decision times (chronometric curves)', () => {
  /** One trial's outputs: choice 2 ahead of choice 1 from step `from` on (choice 1 ahead before), fixation low. */
  const leaning = (tr: GeneratedTrials, from: number, fixateAtEnd = false) => {
    const out = new Float64Array(tr.nSteps * tr.nOut);
    for (let t = 0; t < tr.nSteps; t++) {
      out[t * tr.nOut + (t >= from ? 2 : 1)] = 1;
      out[t * tr.nOut + (t >= from ? 1 : 2)] = 0.5;
    }
    if (fixateAtEnd) out[(tr.nSteps - 1) * tr.nOut] = 2;
    return out;
  };

  test('NeuroGym: from the evidence onset to the step from which the final choice leads up to the read-out', () => {
    const task = getTask('ng-perceptual-decision-making');
    const one = generate(task, { nTrials: 1, seed: 1 });
    const s = period(one.layouts[0], 'stimulus').start; // step 1; the decision is read at step 21
    expect(commitmentTimes(task, one, leaning(one, s + 7))).toEqual([700]);
    expect(commitmentTimes(task, one, leaning(one, 0))).toEqual([0]); // led from before the onset: 0
    expect(commitmentTimes(task, one, leaning(one, 21))).toEqual([2000]); // decided at the last step
    expect(commitmentTimes(task, one, leaning(one, s + 7, true))).toEqual([null]); // kept fixating: no choice
    // A task whose evidence is complete only at its second stimulus measures from there.
    const dc = getTask('ng-delay-comparison');
    const two = generate(dc, { nTrials: 1, seed: 2 });
    const s2 = period(two.layouts[0], 'stimulus2').start;
    expect(commitmentTimes(dc, two, leaning(two, s2 + 2))).toEqual([200]);
    expect(() => commitmentTimes(getTask('ng-go-nogo'), two, leaning(two, 0))).toThrow(/no choice read over time/);
  });

  test("Yang's ring: the population vector nearer stimulus 1 from a step on, measured from stim1", () => {
    const task = getTask('yang-dm1');
    const one = generate(task, { nTrials: 1, seed: 3 });
    const l = one.layouts[0];
    const { loc1, loc2 } = l.vars as Record<string, number>;
    const out = new Float64Array(one.nSteps * one.nOut);
    const from = period(l, 'stim1').start + 5;
    for (let t = 0; t < one.nSteps; t++) {
      const loc = t >= from ? loc1 : loc2;
      for (let k = 0; k < 32; k++) out[t * one.nOut + 1 + k] = Math.max(0, Math.cos((2 * Math.PI * k) / 32 - loc));
    }
    expect(commitmentTimes(task, one, out)).toEqual([5 * 20]);
  });
});

describe('ideal observers (the zoo judges noisy tasks against them)', () => {
  test('PostDecisionWager: Φ(coh/100·√n/(√2 σ_step)) is what summing the evidence and taking its sign scores', () => {
    const task = getTask('ng-post-decision-wager');
    const tr = generate(task, { nTrials: 20000, seed: 40 });
    const p = { ...task.defaults };
    let predicted = 0,
      observed = 0;
    tr.layouts.forEach((l, b) => {
      predicted += task.ideal!(l, p);
      const s = period(l, 'stimulus');
      let sum = 0;
      for (let t = s.start; t < s.end; t++) sum += at(tr, 'inputs', b, t, 2) - at(tr, 'inputs', b, t, 1);
      observed += (sum > 0 ? 2 : 1) === l.vars.gt ? 1 : 0;
    });
    // 20 000 trials: the observed share's standard error is ~0.003.
    expect(Math.abs(observed - predicted) / 20000).toBeLessThan(0.012);
    const zero = tr.layouts.find((l) => l.vars.coh === 0)!;
    expect(task.ideal!(zero, p)).toBe(0.5);
    expect(task.ideal!(zero, { ...p, sigma: 0 })).toBe(0.5);
  });

  test('ProbabilisticReasoning: max(p, 1 − p) is what answering the sign of the summed log-odds scores', () => {
    const task = getTask('ng-probabilistic-reasoning');
    const tr = generate(task, { nTrials: 20000, seed: 41 });
    let predicted = 0,
      observed = 0;
    for (const l of tr.layouts) {
      predicted += task.ideal!(l, task.defaults);
      observed += (Number(l.vars.logOdd) > 0 ? 2 : 1) === l.vars.gt ? 1 : 0;
    }
    expect(Math.abs(observed - predicted) / 20000).toBeLessThan(0.01);
    expect(predicted / 20000).toBeLessThan(0.95); // far from the 1 a deterministic task would allow
  });
});

describe('ReachingDelayResponse', () => {
  const task = getTask('ng-reaching-delay-response');
  const tr = generate(task, { nTrials: 3000, seed: 50 });

  test('[go, stimulus] = [0, x], [0, −0.5], [1, −0.5]; targets [−1, −0.5] until the decision, then [1, x]', () => {
    expect(task.hints?.readout).toBe('linear');
    tr.layouts.slice(0, 100).forEach((l, b) => {
      const x = Number(l.vars.x);
      expect(steps(l)).toEqual({ stimulus: 5, delay: Number(l.vars.delay) / 100, decision: 5 });
      for (let t = 0; t < l.length; t++) {
        const phase = t < 5 ? 0 : t < period(l, 'decision').start ? 1 : 2;
        expect([at(tr, 'inputs', b, t, 0), at(tr, 'inputs', b, t, 1)]).toEqual(
          [
            [0, x],
            [0, -0.5],
            [1, -0.5],
          ][phase],
        );
        const target = phase < 2 ? [-1, -0.5] : [1, x];
        expect([at(tr, 'cleanTargets', b, t, 0), at(tr, 'cleanTargets', b, t, 1)]).toEqual(target);
      }
    });
  });

  test('x ~ U(0, 1), delays 0, 1000 and 2000 ms evenly', () => {
    const xs = tr.layouts.map((l) => Number(l.vars.x));
    expect(Math.abs(meanSd(xs).mean - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(meanSd(xs).sd - Math.sqrt(1 / 12))).toBeLessThan(0.01);
    for (const d of [0, 1000, 2000])
      expect(Math.abs(tr.layouts.filter((l) => l.vars.delay === d).length / 3000 - 1 / 3)).toBeLessThan(0.03);
  });

  test("success: no go in the stimulus period, then the first go's position within 0.05 of x", () => {
    const one = generate(task, { nTrials: 1, seed: 2 });
    const l = one.layouts[0];
    const x = Number(l.vars.x);
    const d = period(l, 'decision').start;
    const reach = (goAt: number, error: number, early = false) => {
      const out = new Float64Array(one.nSteps * 2).fill(-1);
      for (let t = 0; t < one.nSteps; t++) out[t * 2 + 1] = x + error;
      for (let t = goAt; t < one.nSteps; t++) out[t * 2] = 1;
      if (early) out[2 * 2] = 0.5;
      return accuracy(task, one, out).overall;
    };
    expect(reach(d, 0.04)).toBe(1);
    expect(reach(d + 2, -0.04)).toBe(1);
    expect(reach(d, 0.06)).toBe(0);
    expect(reach(99, 0)).toBe(0); // never goes
    expect(reach(d, 0, true)).toBe(0); // a go in the stimulus period
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
  });
});

describe('SpatialSuppressMotion', () => {
  const task = getTask('ng-spatial-suppress-motion');
  const tr = generate(task, { nTrials: 16, grid: true });

  test('36 frames at dt 8.3; pool d, size s carries (cos(θ_d − θ) + 1)·contrast/2 for s < diameter', () => {
    expect(tr.nSteps).toBe(36); // int(300 / 8.3)
    const theta = [-Math.PI / 2, Math.PI / 2, 0, Math.PI];
    tr.layouts.forEach((l, b) => {
      const { motion, contrast } = l.vars as Record<string, number>;
      const diameter = contrast < 0.5 ? 1 : 8;
      for (let d = 0; d < 4; d++)
        for (let s = 0; s < 8; s++)
          expect(at(tr, 'inputs', b, 17, 8 * d + s)).toBeCloseTo(
            s < diameter ? ((Math.cos(theta[d] - theta[motion]) + 1) * contrast) / 2 : 0,
            12,
          );
    });
  });

  test("targets: the source's human probabilities interpolated per frame; the orthogonal ones share the rest", () => {
    // Grid order: left, right, up, down at 0.05, then at 0.99; trial 5 is "right" at high contrast.
    const l = tr.layouts[5];
    expect(l.vars).toMatchObject({ motion: 1, contrast: 0.99 });
    const y = (t: number, o: number) => at(tr, 'cleanTargets', 5, t, o);
    // Frame index 10 lies a third of the way from the source's index 9 to 12: 0.249 → 0.27 and 0.31 → 0.4.
    expect(y(10, 1)).toBeCloseTo(0.249 + 0.021 / 3, 12);
    expect(y(10, 0)).toBeCloseTo(0.31 + 0.09 / 3, 12); // the opposite direction, left
    expect(y(10, 2)).toBeCloseTo((1 - (0.256 + 0.34)) / 2, 12);
    expect(y(0, 1)).toBeCloseTo(0.249, 12);
    // The last frame, as the source has it: 0.99 and 0.04 leave −0.015 for each orthogonal direction.
    expect([y(35, 1), y(35, 0), y(35, 2), y(35, 3)].map((v) => +v.toFixed(12))).toEqual([0.99, 0.04, -0.015, -0.015]);
    for (let t = 0; t < 36; t++) expect(y(t, 0) + y(t, 1) + y(t, 2) + y(t, 3)).toBeCloseTo(1, 12);
  });

  test('success: within 0.1 of the targets in total variation at every frame', () => {
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
    const off = Float64Array.from(tr.cleanTargets);
    off[(0 * 36 + 20) * 4 + 2] += 0.25; // trial 0, frame 20: TV 0.125
    const r = accuracy(task, tr, off);
    expect(r.overall).toBe(15 / 16);
  });
});
