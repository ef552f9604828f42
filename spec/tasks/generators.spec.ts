/**
 * Every task generator: lengths and timings from paper-spec §2.1, shapes, masks, seeding, the per-task quirks, and
 * bad parameters. Noise is switched off where a test reads exact clean values.
 */
import { generate, getTask, TASKS, hann, gaussian, convolveSame, type GeneratedTrials } from '@rnnlab/tasks';
import { validateTrials } from '@rnnlab/engine';

const EXPECTED_T: Record<string, number> = {
  and: 200,
  'and-paper': 210,
  or: 200,
  xor: 200,
  'xor-paper': 200,
  not: 200,
  'not-paper': 200,
  ff: 1010,
  ff3: 1010,
  osc: 420,
  'osc-root': 340,
  pulse: 300,
  'pulse-root': 100,
};

const x = (tr: GeneratedTrials, b: number, t: number, k = 0) => tr.inputs[(b * tr.nSteps + t) * tr.nIn + k];
const y = (tr: GeneratedTrials, b: number, t: number, o = 0) => tr.cleanTargets[(b * tr.nSteps + t) * tr.nOut + o];

describe.each(Object.keys(EXPECTED_T))('task %s', (name) => {
  const task = getTask(name);
  test("has the paper's trial length, valid shapes and an all-ones mask", () => {
    const tr = generate(task, { nTrials: 12, seed: 3 });
    expect(tr.nSteps).toBe(EXPECTED_T[name]);
    expect(tr.nIn).toBe(task.inputs.length);
    expect(tr.nOut).toBe(task.outputs.length);
    expect(() => validateTrials(tr)).not.toThrow();
    expect(tr.mask.every((m) => m === 1)).toBe(true);
  });
  test('the same seed gives the same bits and another seed gives other trials', () => {
    const a = generate(task, { nTrials: 8, seed: 5 }),
      b = generate(task, { nTrials: 8, seed: 5 }),
      c = generate(task, { nTrials: 8, seed: 6 });
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(b.inputs.buffer))).toBe(true);
    expect(Buffer.from(a.targets.buffer).equals(Buffer.from(b.targets.buffer))).toBe(true);
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(c.inputs.buffer))).toBe(false);
  });
  test('grid mode cycles through every condition', () => {
    const n = task.conditions(task.defaults).length;
    const tr = generate(task, { nTrials: 2 * n, grid: true });
    expect(Array.from(tr.trialTypes!)).toEqual([...Array(n).keys(), ...Array(n).keys()]);
  });
  test('an unknown parameter is rejected by name', () => {
    expect(() => generate(task, { nTrials: 1, params: { bogus: 1 } as never })).toThrow(
      `task "${name}" has no parameter "bogus"`,
    );
  });
});

test(
  'AND: inputs are 1 on [30, 50) for the pulsed channels, the target is 0 before 70 and the truth table ' + 'after',
  () => {
    const tr = generate(getTask('and'), { nTrials: 4, grid: true });
    const table = [
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 1],
    ];
    table.forEach(([A, B, out], b) => {
      for (let t = 0; t < 200; t++) {
        const on = t >= 30 && t < 50;
        expect(x(tr, b, t, 0)).toBe(on ? A : 0);
        expect(x(tr, b, t, 1)).toBe(on ? B : 0);
        expect(y(tr, b, t)).toBe(t < 70 ? 0 : out);
      }
    });
  },
);

test(
  'OR and XOR hold the 0.01 baseline before the response; XOR training-time inputs carry noise 0.1, figure-time ' +
    'none',
  () => {
    const or = generate(getTask('or'), { nTrials: 4, grid: true });
    expect(y(or, 1, 69)).toBe(0.01);
    expect(y(or, 1, 70)).toBe(1);
    expect(y(or, 0, 70)).toBe(0); // the "0 response goes to exactly 0" quirk
    const xorRoot = generate(getTask('xor'), { nTrials: 200, seed: 1 });
    let s = 0,
      n = 0;
    for (let b = 0; b < 200; b++)
      for (let t = 0; t < 30; t++) {
        s += x(xorRoot, b, t) ** 2;
        n++;
      }
    expect(Math.sqrt(s / n)).toBeCloseTo(0.1, 2);
    const xorPaper = generate(getTask('xor-paper'), { nTrials: 4, grid: true });
    expect(x(xorPaper, 3, 10)).toBe(0);
    expect(y(xorPaper, 3, 150)).toBe(0);
    expect(y(xorPaper, 1, 150)).toBe(1);
  },
);

test('NOT: no input → 1, input → 0, and the task asks for a recurrent bias', () => {
  const tr = generate(getTask('not-paper'), { nTrials: 2, grid: true });
  expect(y(tr, 0, 100)).toBe(1);
  expect(y(tr, 1, 100)).toBe(0);
  expect(getTask('not').hints?.recurrentBias).toBe(true);
});

test(
  'flip-flop: each pulse (at 50 + 120k) switches the output memGap ms after it ends, and the output holds until ' +
    'the next switch',
  () => {
    const task = getTask('ff');
    const tr = generate(task, { nTrials: 3, seed: 9, params: { inputNoise: 0 } });
    for (let b = 0; b < 3; b++) {
      let level = 0.01;
      for (let k = 0; k < 8; k++) {
        const start = 50 + 120 * k;
        const set = x(tr, b, start, 1),
          reset = x(tr, b, start, 0);
        expect(set + reset).toBe(1);
        expect(x(tr, b, start - 1, 0) + x(tr, b, start - 1, 1)).toBe(0);
        expect(y(tr, b, start + 39)).toBe(level); // still the previous level
        level = set;
        for (let t = start + 40; t < Math.min(start + 160, 1010); t++) expect(y(tr, b, t)).toBe(level);
      }
    }
    // memGap moves the switch
    const late = generate(task, { nTrials: 1, seed: 9, params: { inputNoise: 0, memGap: 30 } });
    expect(y(late, 0, 50 + 20 + 29)).toBe(0.01);
    expect(y(late, 0, 50 + 20 + 30)).toBe(x(late, 0, 50, 1));
  },
);

test('3-bit flip-flop: every output holds the sign of the last pulse on its channel', () => {
  const tr = generate(getTask('ff3'), { nTrials: 2, seed: 4, params: { inputNoise: 0 } });
  for (let b = 0; b < 2; b++) {
    const held = [0, 0, 0];
    for (let k = 0; k < 8; k++) {
      const start = 50 + 120 * k;
      const pulses = [0, 1, 2].map((c) => x(tr, b, start, c));
      expect(pulses.filter((v) => v !== 0)).toHaveLength(1);
      const ch = pulses.findIndex((v) => v !== 0);
      held[ch] = pulses[ch];
      for (let c = 0; c < 3; c++) expect(y(tr, b, start + 40, c)).toBe(held[c]);
    }
  }
});

test(
  'oscillation (figure-time): input = Hann(15)-smoothed 40-ms pulse at 100 ms; target oscillates on [160, 380) ' +
    'with period 35 ms and peak ≈ 1.75',
  () => {
    const tr = generate(getTask('osc'), { nTrials: 2, grid: true, params: { inputNoise: 0 } });
    const w = hann(15);
    const wsum = w.reduce((a, b) => a + b, 0);
    const expectedIn = convolveSame(
      new Float64Array(40).fill(1),
      w.map((v) => v / wsum),
    );
    for (let t = 0; t < 40; t++) expect(x(tr, 1, 100 + t)).toBeCloseTo(expectedIn[t], 12);
    expect(x(tr, 0, 120)).toBe(0);
    expect(y(tr, 0, 120)).toBeCloseTo(0.002, 15); // 0.01 baseline scaled by 0.2
    expect(y(tr, 0, 200)).toBe(0); // quirk: the no-oscillation response window is convolve(0·ones) = 0
    // upward zero crossings in the middle of the window, spaced by T/12 = 35 steps
    const ups: number[] = [];
    for (let t = 181; t < 360; t++) if (y(tr, 1, t - 1) < 0 && y(tr, 1, t) >= 0) ups.push(t);
    expect(ups.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < ups.length; i++) {
      expect(ups[i] - ups[i - 1]).toBeGreaterThanOrEqual(34);
      expect(ups[i] - ups[i - 1]).toBeLessThanOrEqual(36);
    }
    let peak = 0;
    for (let t = 160; t < 380; t++) peak = Math.max(peak, y(tr, 1, t));
    expect(peak).toBeGreaterThan(1.6);
    expect(peak).toBeLessThan(1.8);
    expect(y(tr, 1, 381)).toBeCloseTo(0.002, 15);
  },
);

test(
  'pulse (figure-time): target bump peaks ≈ 0.985 at onset + 10 (t = 100 for memGap 20), the no-pulse window dips ' +
    'to 0, and noise 0.03 reaches the target',
  () => {
    const task = getTask('pulse');
    const tr = generate(task, { nTrials: 2, grid: true, params: { noise: 0 } });
    const bump = convolveSame(
      new Float64Array(20).fill(1),
      gaussian(20, 12).map((v) => 0.055 * v),
    );
    for (let t = 0; t < 20; t++) expect(y(tr, 1, 90 + t)).toBeCloseTo(bump[t], 12);
    let tPeak = 0;
    for (let t = 0; t < 300; t++) if (y(tr, 1, t) > y(tr, 1, tPeak)) tPeak = t;
    expect(tPeak).toBeGreaterThanOrEqual(99);
    expect(tPeak).toBeLessThanOrEqual(100);
    expect(y(tr, 1, tPeak)).toBeCloseTo(0.985, 2);
    expect(y(tr, 0, 95)).toBe(0);
    expect(y(tr, 0, 89)).toBe(0.045);
    const noisy = generate(task, { nTrials: 50, seed: 2 });
    let s = 0;
    for (let i = 0; i < noisy.targets.length; i++) s += (noisy.targets[i] - noisy.cleanTargets[i]) ** 2;
    expect(Math.sqrt(s / noisy.targets.length)).toBeCloseTo(0.03, 3);
  },
);

test('pulse delays that do not fit the fixed trial length are refused with a clear message', () => {
  expect(() => generate(getTask('pulse'), { nTrials: 1, params: { memGap: 250 } })).toThrow(
    /not a whole number|period "tail"|runs past/,
  );
  expect(() => generate(getTask('pulse-root'), { nTrials: 1, params: { memGap: 40 } })).toThrow(/task "pulse-root"/);
  expect(() => generate(getTask('pulse'), { nTrials: 1, params: { memGap: 170 } })).not.toThrow();
});

test('timings that are not whole steps, non-finite parameters and unknown tasks are refused', () => {
  expect(() => generate(getTask('and'), { nTrials: 1, params: { stimDur: 20.5 } })).toThrow(
    'period "stimulus" = 20.5 ms is not a whole number of 1-ms steps',
  );
  expect(() => generate(getTask('and'), { nTrials: 1, params: { memGap: NaN } })).toThrow(/memGap must be finite/);
  expect(() => getTask('nand')).toThrow(/^unknown task "nand"; the nearest are and, not, ff/);
  expect(() => generate(getTask('and'), { nTrials: 0 })).toThrow(/nTrials must be a positive integer/);
});

test('dt = 2 ms halves the number of steps', () => {
  const tr = generate(getTask('and'), { nTrials: 1, params: { dt: 2 } });
  expect(tr.nSteps).toBe(100);
});

// NeuroGym's registry test, without its try/except: every registered task runs, validly shaped and seeded.
describe.each(Object.keys(TASKS))('registered task %s', (name) => {
  test('generates valid trials with one layout each, the same for the same seed and others for another', () => {
    const task = getTask(name);
    const a = generate(task, { nTrials: 8, seed: 11 });
    expect(() => validateTrials(a)).not.toThrow();
    expect(a.layouts).toHaveLength(8);
    for (const l of a.layouts) expect(l.length).toBeLessThanOrEqual(a.nSteps);
    const b = generate(task, { nTrials: 8, seed: 11 });
    expect(Buffer.from(b.inputs.buffer).equals(Buffer.from(a.inputs.buffer))).toBe(true);
    const c = generate(task, { nTrials: 8, seed: 12 });
    expect(Buffer.from(c.inputs.buffer).equals(Buffer.from(a.inputs.buffer))).toBe(false);
  });
});
