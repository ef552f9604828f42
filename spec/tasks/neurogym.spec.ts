/**
 * NeuroGym's tasks against their source (neurogym/neurogym 8136bc7, envs/native/*.py): period lengths at the
 * default dt, which channel carries what in each period, the one-hot ground truth, the noise's σ/√dt, and the
 * distributions of the drawn periods over many trials. Expected numbers are read off the source files.
 */
import { accuracy, generate, getTask, noiseFreeParams, onGrid } from '@rnnlab/tasks';
import { at, label, period, steps } from '../helpers/trials';

test('add_period puts boundaries at int(t/dt): durations that do not fill whole steps lose or gain one', () => {
  expect(onGrid([300, 450, 890, 450], 80)).toEqual([240, 480, 880, 480]); // boundaries 300, 750, 1640, 2090 ms
  expect(onGrid([100, 2000, 0, 100], 100)).toEqual([100, 2000, 0, 100]);
});

describe('PerceptualDecisionMaking', () => {
  const task = getTask('ng-perceptual-decision-making');
  const tr = generate(task, { nTrials: 10, grid: true, params: { sigma: 0 } });

  test('fixation 100, stimulus 2000, delay 0, decision 100 ms at dt = 100: 1, 20, 0 and 1 steps', () => {
    expect(steps(tr.layouts[0])).toEqual({ fixation: 1, stimulus: 20, delay: 0, decision: 1 });
    expect(tr.nSteps).toBe(22);
  });

  test('fixation input in the fixation period only; stimuli cos(θ − θ_gt)·coh/200 + 0.5; truth = choice', () => {
    // grid order: c1 0, c1 6.4, …, c1 51.2, c2 0, …; trial 4 is c1 51.2, trial 8 is c2 25.6.
    expect([at(tr, 'inputs', 4, 0, 0), at(tr, 'inputs', 4, 1, 0)]).toEqual([1, 0]);
    expect(at(tr, 'inputs', 4, 5, 1)).toBeCloseTo(0.5 + 51.2 / 200, 12);
    expect(at(tr, 'inputs', 4, 5, 2)).toBeCloseTo(0.5 - 51.2 / 200, 12);
    expect(at(tr, 'inputs', 8, 5, 2)).toBeCloseTo(0.5 + 25.6 / 200, 12);
    expect(at(tr, 'inputs', 8, 21, 1)).toBe(0); // nothing shown in the decision period
    expect([label(tr, 4, 0), label(tr, 4, 20), label(tr, 4, 21), label(tr, 8, 21)]).toEqual([0, 0, 1, 2]);
    expect(tr.layouts[8].vars).toMatchObject({ gt: 2, coh: 25.6, evidence: 25.6 });
  });

  test('noise σ/√dt on the stimulus channels in the stimulus period only', () => {
    const noisy = generate(task, { nTrials: 400, seed: 4 });
    const residuals: number[] = [];
    noisy.layouts.forEach((l, b) => {
      const s = period(l, 'stimulus');
      for (let t = s.start; t < s.end; t++)
        residuals.push(at(noisy, 'inputs', b, t, 1) - (0.5 + (l.vars.gt === 1 ? 1 : -1) * (l.vars.coh / 200)));
      expect(at(noisy, 'inputs', b, 0, 0)).toBe(1); // fixation channel clean
    });
    const sd = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / residuals.length);
    expect(Math.abs(sd - 1 / Math.sqrt(100))).toBeLessThan(0.003);
  });
});

describe('PerceptualDecisionMakingDelayResponse', () => {
  const task = getTask('ng-perceptual-decision-making-delay-response');
  test('delays from {300, …, 4000} ms evenly; fixation input through stimulus and delay; (1 ± coh/100)/2', () => {
    const tr = generate(task, { nTrials: 4000, seed: 1, params: { sigma: 0 } });
    const delays = tr.layouts.map((l) => steps(l).delay * 100);
    for (const d of [300, 500, 700, 900, 1200, 2000, 3200, 4000])
      expect(Math.abs(delays.filter((x) => x === d).length / 4000 - 1 / 8)).toBeLessThan(0.02);
    const l = tr.layouts[0];
    expect(steps(l)).toMatchObject({ fixation: 0, stimulus: 11, decision: 15 }); // 1150 ms → int(11.5) = 11
    const s = period(l, 'stimulus'),
      d = period(l, 'delay');
    expect(at(tr, 'inputs', 0, s.start, 0)).toBe(1);
    expect(at(tr, 'inputs', 0, d.start, 0)).toBe(1);
    expect(at(tr, 'inputs', 0, period(l, 'decision').start, 0)).toBe(0);
    expect(at(tr, 'inputs', 0, s.start, l.vars.gt)).toBeCloseTo((1 + l.vars.coh / 100) / 2, 12);
    expect(at(tr, 'inputs', 0, s.start, 3 - l.vars.gt)).toBeCloseTo((1 - l.vars.coh / 100) / 2, 12);
  });
});

describe('ContextDecisionMaking', () => {
  const task = getTask('ng-context-decision-making');
  test('delay TruncExp(600, 300, 3000) ms: within its bounds, mean of the truncated exponential', () => {
    const tr = generate(task, { nTrials: 4000, seed: 2, params: { dt: 1, sigma: 0 } });
    const delays = tr.layouts.map((l) => steps(l).delay);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(300);
    expect(Math.max(...delays)).toBeLessThan(3000);
    // E[X | 300 ≤ X < 3000] for X ~ Exp(mean 600): 300 + 600 − 2700·e^(−4.5)/(1 − e^(−4.5)), minus the
    // int() boundary of about 0.5 ms.
    const e = Math.exp(-2700 / 600);
    const expected = 300 + 600 - (2700 * e) / (1 - e) - 0.5;
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.abs(mean - expected)).toBeLessThan(20);
  });

  test('the relevant modality (context 0: modality 1) carries the condition; the other its own draw', () => {
    for (const context of [0, 1]) {
      const tr = generate(task, { nTrials: 300, seed: 3, params: { sigma: 0, context } });
      tr.layouts.forEach((l, b) => {
        const s = period(l, 'stimulus').start;
        const m = context + 1;
        const ch = l.vars[`ch${m}`],
          coh = l.vars[`coh${m}`];
        expect(ch).toBe(l.vars.gt);
        expect(coh).toBe(l.vars.coh);
        expect(at(tr, 'inputs', b, s, 1 + 2 * context + (ch - 1))).toBeCloseTo(0.5 + coh / 200, 12);
        expect(label(tr, b, period(l, 'decision').start)).toBe(l.vars.gt);
      });
    }
  });
});

describe('DelayComparison', () => {
  const task = getTask('ng-delay-comparison');
  const tr = generate(task, { nTrials: 10, grid: true, params: { sigma: 0 } });
  test('500/500/1000/500/100 ms; f represented as (1 + (f − 10)/24)/2; fixation off in the decision', () => {
    expect(steps(tr.layouts[0])).toEqual({ fixation: 5, stimulus1: 5, delay: 10, stimulus2: 5, decision: 1 });
    // trial 0: the pair (18, 10) in order, gt 1; trial 5: swapped, (10, 18), gt 2.
    expect(at(tr, 'inputs', 0, 5, 1)).toBeCloseTo((1 + 8 / 24) / 2, 12);
    expect(at(tr, 'inputs', 0, 20, 1)).toBeCloseTo(0.5, 12);
    expect(at(tr, 'inputs', 5, 5, 1)).toBeCloseTo(0.5, 12);
    expect([at(tr, 'inputs', 0, 19, 0), at(tr, 'inputs', 0, 25, 0)]).toEqual([1, 0]);
    expect([label(tr, 0, 25), label(tr, 5, 25)]).toEqual([1, 2]);
  });
});

describe('DelayMatchSample, GoNogo, IntervalDiscrimination', () => {
  test('DelayMatchSample: test = sample on match (truth 1), the opposite direction on non-match (truth 2)', () => {
    const tr = generate(getTask('ng-delay-match-sample'), { nTrials: 4, grid: true, params: { sigma: 0 } });
    expect(steps(tr.layouts[0])).toEqual({ fixation: 3, sample: 5, delay: 10, test: 5, decision: 9 });
    // grid: match θ0, match θπ, non-match θ0, non-match θπ
    expect([at(tr, 'inputs', 0, 3, 1), at(tr, 'inputs', 0, 18, 1)]).toEqual([1, 1]);
    expect([at(tr, 'inputs', 2, 3, 1), at(tr, 'inputs', 2, 18, 2)]).toEqual([1, 1]);
    expect([label(tr, 0, 31), label(tr, 2, 31), at(tr, 'inputs', 0, 25, 0)]).toEqual([1, 2, 0]);
  });

  test('GoNogo: go or nogo channel in the stimulus period; truth go (1) or keep fixating (0) in the decision', () => {
    const tr = generate(getTask('ng-go-nogo'), { nTrials: 2, grid: true });
    expect(steps(tr.layouts[0])).toEqual({ fixation: 0, stimulus: 5, delay: 5, decision: 5 });
    expect([at(tr, 'inputs', 0, 0, 1), at(tr, 'inputs', 1, 0, 2), at(tr, 'inputs', 1, 0, 1)]).toEqual([1, 1, 0]);
    expect([label(tr, 0, 12), label(tr, 1, 12), label(tr, 1, 9)]).toEqual([0, 1, 0]);
  });

  test('IntervalDiscrimination: U(300, 600) intervals at dt = 80, truth 1 when the first is longer', () => {
    const tr = generate(getTask('ng-interval-discrimination'), { nTrials: 2000, seed: 6 });
    let longerFirst = 0;
    tr.layouts.forEach((l) => {
      expect(l.vars.gt).toBe(l.vars.duration1 > l.vars.duration2 ? 1 : 2);
      if (l.vars.gt === 1) longerFirst++;
      expect(l.vars.duration1).toBeGreaterThanOrEqual(300);
      expect(l.vars.duration1).toBeLessThan(600);
      expect(steps(l).fixation).toBe(3); // int(300/80)
    });
    expect(Math.abs(longerFirst / 2000 - 0.5)).toBeLessThan(0.04);
  });
});

describe('MultiSensoryIntegration, DelayMatchCategory, DualDelayMatchSample', () => {
  test('MultiSensoryIntegration: 300/750/100 ms → 3, 7, 1 steps; coherence split U(0, 1) between modalities', () => {
    const tr = generate(getTask('ng-multisensory-integration'), { nTrials: 600, seed: 9, params: { sigma: 0 } });
    expect(steps(tr.layouts[0])).toEqual({ fixation: 3, stimulus: 7, decision: 1 });
    const props: number[] = [];
    tr.layouts.forEach((l, b) => {
      expect(l.vars.coh1 + l.vars.coh2).toBeCloseTo(l.vars.coh, 12);
      props.push(l.vars.coh1 / l.vars.coh);
      const k = l.vars.gt; // stim k of each modality is the correct side
      expect(at(tr, 'inputs', b, 3, 1 + (k - 1))).toBeCloseTo(0.5 + l.vars.coh1 / 200, 12);
      expect(at(tr, 'inputs', b, 3, 3 + (k - 1))).toBeCloseTo(0.5 + l.vars.coh2 / 200, 12);
      expect([at(tr, 'inputs', b, 3, 0), at(tr, 'inputs', b, 10, 0), label(tr, b, 10)]).toEqual([1, 0, k]);
    });
    expect(Math.abs(props.reduce((a, x) => a + x, 0) / props.length - 0.5)).toBeLessThan(0.04);
    // The noise reaches the fixation channel in the stimulus period (add_randn without `where`).
    const noisy = generate(getTask('ng-multisensory-integration'), { nTrials: 4, seed: 9 });
    expect(at(noisy, 'inputs', 0, 3, 0)).not.toBe(1);
    expect(at(noisy, 'inputs', 0, 0, 0)).toBe(1);
  });

  test('DelayMatchCategory: θ in the category’s half circle, cos(θ_k − θ)·0.5 + 0.5, answered in test', () => {
    const tr = generate(getTask('ng-delay-match-category'), { nTrials: 400, seed: 4, params: { sigma: 0 } });
    expect(steps(tr.layouts[0])).toEqual({ fixation: 5, sample: 6, first_delay: 10, test: 7 });
    tr.layouts.forEach((l, b) => {
      const cat = (theta: number) => Math.floor(theta / Math.PI);
      expect(cat(l.vars.sampleTheta)).toBe(l.vars.category);
      expect(cat(l.vars.testTheta) === l.vars.category).toBe(l.vars.gt === 1);
      expect(at(tr, 'inputs', b, 5, 1)).toBeCloseTo(Math.cos(l.vars.sampleTheta) * 0.5 + 0.5, 12);
      expect(at(tr, 'inputs', b, 21, 2)).toBeCloseTo(Math.cos(Math.PI - l.vars.testTheta) * 0.5 + 0.5, 12);
      expect([at(tr, 'inputs', b, 20, 0), at(tr, 'inputs', b, 21, 0)]).toEqual([1, 0]);
      expect([label(tr, b, 20), label(tr, b, 27)]).toEqual([0, l.vars.gt]);
    });
  });

  test('DualDelayMatchSample: the cue says which sample is tested first; each test answered in its period', () => {
    const tr = generate(getTask('ng-dual-delay-match-sample'), { nTrials: 8, grid: true, params: { sigma: 0 } });
    // grid: (gt1, gt2, order) = (1,1,0), (1,1,1), (1,2,0), (1,2,1), (2,1,0), …; periods of 5 steps each.
    expect(Object.values(steps(tr.layouts[0]))).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
    const cue = (b: number, t: number) => [at(tr, 'inputs', b, t, 5), at(tr, 'inputs', b, t, 6)];
    expect([cue(0, 15), cue(0, 30), cue(1, 15), cue(1, 30)]).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    // Trial 2 (gt1 1, gt2 2, order 0): test 1 in period test1 matches, test 2 in test2 does not.
    expect([label(tr, 2, 24), label(tr, 2, 39), label(tr, 2, 30)]).toEqual([1, 2, 0]);
    // Trial 3 (order 1): stimulus 2 is tested first, so period test1 holds its answer (non-match).
    expect([label(tr, 3, 24), label(tr, 3, 39)]).toEqual([2, 1]);
    const l = tr.layouts[3];
    expect(at(tr, 'inputs', 3, 20, 3)).toBeCloseTo(Math.cos(l.vars.test2 * Math.PI), 12); // stim2 in test1
    expect(at(tr, 'inputs', 3, 20, 1)).toBe(0);
    expect(at(tr, 'inputs', 3, 35, 1)).toBeCloseTo(Math.cos(l.vars.test1 * Math.PI), 12);
  });
});

test('PulseDecisionMaking: 6 bins of a 10 ms cue + 240 ms at dt = 10; pulses at 0.3, 0.7; more pulses win', () => {
  const tr = generate(getTask('ng-pulse-decision-making'), { nTrials: 3000, seed: 12 });
  expect(tr.nSteps).toBe(250);
  expect(steps(tr.layouts[0])).toMatchObject({ fixation: 50, cue0: 1, bin0: 24, cue5: 1, bin5: 24, decision: 50 });
  let high = 0,
    all = 0;
  tr.layouts.forEach((l, b) => {
    let n1 = 0,
      n2 = 0;
    for (let i = 0; i < 6; i++) {
      const t = period(l, `cue${i}`).start;
      n1 += at(tr, 'inputs', b, t, 1);
      n2 += at(tr, 'inputs', b, t, 2);
      expect(at(tr, 'inputs', b, t + 1, 1) + at(tr, 'inputs', b, t + 1, 2)).toBe(0); // nothing between cues
    }
    expect(l.vars.evidence).toBe(n2 - n1);
    if (n1 !== n2) expect(l.vars.gt).toBe(n2 > n1 ? 2 : 1);
    expect(label(tr, b, 249)).toBe(l.vars.gt);
    high += Math.max(n1, n2);
    all += n1 + n2;
  });
  // The high side's pulses are 0.7/(0.3 + 0.7) of all, a little more as max() picks the larger count.
  expect(high / all).toBeGreaterThan(0.68);
  expect(high / all).toBeLessThan(0.78);
});

describe('AntiReach, DelayPairedAssociation', () => {
  test('AntiReach: cos(θ_k − θ_s) over 32 directions, the stimulus opposite the answer (anti) or at it', () => {
    for (const anti of [1, 0]) {
      const tr = generate(getTask('ng-anti-reach'), { nTrials: 32, grid: true, params: { anti } });
      expect(steps(tr.layouts[0])).toEqual({ fixation: 5, stimulus: 5, delay: 0, decision: 5 });
      tr.layouts.forEach((l, b) => {
        const answer = b; // grid: choice 0, 1, …, 31
        const shown = anti ? (answer + 16) % 32 : answer; // the unit at the stimulus' direction holds cos 0 = 1
        expect(at(tr, 'inputs', b, 5, 1 + shown)).toBeCloseTo(1, 12);
        expect(at(tr, 'inputs', b, 5, 1 + ((shown + 8) % 32))).toBeCloseTo(0, 12);
        expect([label(tr, b, 9), label(tr, b, 14), at(tr, 'inputs', b, 10, 0)]).toEqual([0, 1 + answer, 0]);
      });
    }
  });

  test('DelayPairedAssociation: the pair on four channels, 1 s each; go on (1,3) and (2,4), else fixate', () => {
    const tr = generate(getTask('ng-delay-paired-association'), { nTrials: 4, grid: true });
    expect(steps(tr.layouts[0])).toEqual({
      fixation: 0,
      stim1: 10,
      delay_btw_stim: 10,
      stim2: 10,
      delay_aft_stim: 10,
      decision: 5,
    });
    const shown = (b: number, t: number) => [1, 2, 3, 4].filter((k) => at(tr, 'inputs', b, t, k) === 1);
    expect([0, 1, 2, 3].map((b) => [shown(b, 5), shown(b, 25)])).toEqual([
      [[1], [3]],
      [[1], [4]],
      [[2], [3]],
      [[2], [4]],
    ]);
    expect([0, 1, 2, 3].map((b) => label(tr, b, 44))).toEqual([1, 0, 0, 1]);
    expect([at(tr, 'inputs', 0, 39, 0), at(tr, 'inputs', 0, 40, 0)]).toEqual([1, 0]);
  });
});

test('a network that outputs the one-hot truth is correct on every trial of every NeuroGym task', () => {
  for (const name of [
    'ng-pulse-decision-making',
    'ng-anti-reach',
    'ng-delay-paired-association',
    'ng-perceptual-decision-making',
    'ng-perceptual-decision-making-delay-response',
    'ng-context-decision-making',
    'ng-delay-comparison',
    'ng-delay-match-sample',
    'ng-delay-match-category',
    'ng-dual-delay-match-sample',
    'ng-go-nogo',
    'ng-interval-discrimination',
    'ng-multisensory-integration',
  ]) {
    const task = getTask(name);
    const tr = generate(task, { nTrials: 50, seed: 7, params: noiseFreeParams(task) });
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
    // All outputs equal: fixation "wins" every step, right only where the truth is to keep fixating.
    const still = new Float64Array(tr.cleanTargets.length);
    const nogo = tr.layouts.filter((l) => l.vars.gt === 0).length / 50;
    expect(accuracy(task, tr, still).overall).toBe(nogo);
  }
});

describe('ReadySetGo', () => {
  const task = getTask('ng-ready-set-go');
  const tr = generate(task, { nTrials: 3000, seed: 4 });

  test('the source periods at dt = 80: boundaries int(t/dt) of 100, 183, 100 + m, 183 + m; go at int(p/dt)', () => {
    tr.layouts.slice(0, 200).forEach((l, b) => {
      const m = Number(l.vars.measure);
      const s = 183 + m; // production starts when set ends
      const k = (ms: number) => Math.floor(ms / 80);
      expect(period(l, 'ready')).toMatchObject({ start: k(100), end: k(183) });
      expect(period(l, 'set')).toMatchObject({ start: k(100 + m), end: k(s) });
      expect(period(l, 'go').start).toBe(k(s) + k(m)); // gt[int(production / dt)] = 1 in the production window
      expect(l.length).toBe(k(s + 2 * m)); // the window is 2 × production long
      for (let t = 0; t < l.length; t++) {
        expect(label(tr, b, t)).toBe(t === k(s) + k(m) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 0)).toBe(t < k(s) ? 1 : 0); // fixation until production
        expect(at(tr, 'inputs', b, t, 1)).toBe(t >= k(100) && t < k(183) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 2)).toBe(t >= k(100 + m) && t < k(s) ? 1 : 0);
      }
    });
  });

  test('the measured interval is U(800, 1500) and production = measure × gain', () => {
    const m = tr.layouts.map((l) => Number(l.vars.measure));
    const mean = m.reduce((a, b) => a + b, 0) / m.length;
    const sd = Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / m.length);
    expect(Math.min(...m)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...m)).toBeLessThan(1500);
    expect(Math.abs(mean - 1150)).toBeLessThan(8); // SE 3.7 ms
    expect(Math.abs(sd - 700 / Math.sqrt(12))).toBeLessThan(6);
    const g = generate(task, { nTrials: 5, seed: 4, params: { gain: 1.5 } });
    g.layouts.forEach((l) => expect(l.vars.production).toBeCloseTo(1.5 * Number(l.vars.measure), 9));
  });

  test('success is the source reward rule: the first go within prod_margin · p + 25 ms of p after the measure', () => {
    const one = generate(task, { nTrials: 1, seed: 9 });
    const l = one.layouts[0];
    const p = Number(l.vars.production);
    const endOfMeasure = 100 + Number(l.vars.measure);
    const goAt = (t: number | null) => {
      const out = new Float64Array(one.nSteps * 2);
      for (let s = 0; s < one.nSteps; s++) out[s * 2 + (s === t ? 1 : 0)] = 1;
      return accuracy(task, one, out).overall;
    };
    const tol = 0.2 * p + 25;
    const step = (ms: number) => Math.ceil(ms / 80);
    expect(goAt(period(l, 'go').start)).toBe(1);
    expect(goAt(step(endOfMeasure + p + tol + 1))).toBe(0); // too late
    expect(goAt(Math.floor((endOfMeasure + p - tol - 1) / 80))).toBe(0); // too early (still in production)
    expect(goAt(period(l, 'measure').start + 2)).toBe(0); // before the set: fixation broken
    expect(goAt(null)).toBe(0); // never
    expect(goAt(step(endOfMeasure + p + tol - 80))).toBe(1); // late, within tolerance
  });
});

describe('MotorTiming', () => {
  const task = getTask('ng-motor-timing');
  const tr = generate(task, { nTrials: 2000, seed: 5 });

  test('fixation 500, cue U(1000, 3000) with its interval indicator, set 50, go int(p/dt) into production', () => {
    tr.layouts.slice(0, 200).forEach((l, b) => {
      const cue = Number(l.vars.cue);
      const p = Number(l.vars.production);
      const which = p === 800 ? 1 : 2;
      expect([800, 1500]).toContain(p);
      const k = (ms: number) => Math.floor(ms / 80);
      const s = 500 + cue + 50; // production starts when set ends
      expect(period(l, 'cue')).toMatchObject({ start: k(500), end: k(500 + cue) });
      expect(period(l, 'go').start).toBe(k(s) + k(p));
      expect(l.length).toBe(k(s + 2 * p));
      expect(l.vars.reference).toBeCloseTo(s, 9); // the source measures from the end of the set
      for (let t = 0; t < l.length; t++) {
        expect(label(tr, b, t)).toBe(t === k(s) + k(p) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 0)).toBe(t < k(s) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, which)).toBe(t >= k(500) && t < k(s) ? 1 : 0);
        expect(at(tr, 'inputs', b, t, 3 - which)).toBe(0);
        expect(at(tr, 'inputs', b, t, 3)).toBe(t >= k(500 + cue) && t < k(s) ? 1 : 0);
      }
    });
  });

  test('both intervals equally likely; the cue is U(1000, 3000)', () => {
    const long = tr.layouts.filter((l) => l.vars.production === 1500).length;
    expect(Math.abs(long / 2000 - 0.5)).toBeLessThan(0.04);
    const cue = tr.layouts.map((l) => Number(l.vars.cue));
    expect(Math.min(...cue)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...cue)).toBeLessThan(3000);
    expect(Math.abs(cue.reduce((a, b) => a + b, 0) / cue.length - 2000)).toBeLessThan(40); // SE 13 ms
  });

  test('success: the first go within 0.2 p + 25 ms of p after the set; perfect outputs score 1', () => {
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
    const one = generate(task, { nTrials: 1, seed: 11 });
    const l = one.layouts[0];
    const p = Number(l.vars.production);
    const late = Math.ceil((Number(l.vars.reference) + 1.2 * p + 26) / 80);
    const out = new Float64Array(one.nSteps * 2);
    for (let t = 0; t < one.nSteps; t++) out[t * 2 + (t === late ? 1 : 0)] = 1;
    expect(accuracy(task, one, out).overall).toBe(0);
  });
});
