/**
 * Yang et al.'s 20 tasks against Yang's own generator: spec/fixtures/yang/trials.json holds trials that
 * gyyang/multitask task.py built in its 'psychometric' mode (explicit directions, strengths and timings, input noise
 * off), with the variables rnnlab's tasks take for the same trials (spec/reference/yang/make_fixture.py). Every input,
 * target and cost-mask entry must agree; then the random mode's statistics against the source's distributions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { taskLossOfOutputs } from '@rnnlab/engine';
import { accuracy, generate, getTask, popvec, YANG_RULES, YANG_TASKS, type Values } from '@rnnlab/tasks';

interface RuleFixture {
  vars: Values[];
  nSteps: number;
  x: Array<[number, number, number, number]>;
  y: Array<[number, number, number, number]>;
  costRing: number[][];
  costFix: number[][];
  probeCost: number;
}
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/yang/trials.json'), 'utf8')) as {
  rules: Record<string, RuleFixture>;
};

/** Dense [B][T][C] from the fixture's sparse entries over a resting value. */
function dense(entries: RuleFixture['x'], B: number, T: number, C: number, rest: number): Float64Array {
  const a = new Float64Array(B * T * C).fill(rest);
  for (const [b, t, c, v] of entries) a[(b * T + t) * C + c] = v;
  return a;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('there are 20 tasks, in Yang\u2019s order, every one with 85 inputs and 33 outputs', () => {
  expect(YANG_TASKS.map((t) => t.name)).toEqual(YANG_RULES.map((r) => `yang-${r}`));
  expect(Object.keys(FIXTURE.rules)).toEqual([...YANG_RULES]);
  for (const t of YANG_TASKS) expect([t.inputs.length, t.outputs.length]).toEqual([85, 33]);
});

describe.each(YANG_RULES.map((r) => [r]))('yang-%s', (rule) => {
  const fx = FIXTURE.rules[rule];
  const task = getTask(`yang-${rule}`);
  const tr = generate(task, { nTrials: 3, condition: 0, vars: fx.vars, params: { inputNoise: 0 } });

  test('inputs and targets equal those of Yang\u2019s generator (float32, to 1e-6)', () => {
    expect(tr.nSteps).toBe(fx.nSteps);
    expect(maxAbsDiff(tr.inputs, dense(fx.x, 3, fx.nSteps, 85, 0))).toBeLessThan(1e-6);
    expect(maxAbsDiff(tr.cleanTargets, dense(fx.y, 3, fx.nSteps, 33, 0.05))).toBeLessThan(1e-6);
  });

  test('the cost mask is Yang\u2019s: 0 for 100 ms, 1 to the go cue, 0 for 100 ms, 5 after', () => {
    expect(Array.from(tr.mask)).toEqual(fx.costRing.flat());
  });

  test('cost 1 is Yang\u2019s: network.py\u2019s mean(((y − ŷ)·c_mask)²) on a probe output, to 1e-12', () => {
    const params = { ...task.defaults, inputNoise: 0, cost: 1 };
    const yc = generate(task, { nTrials: 3, condition: 0, vars: fx.vars, params });
    expect(Array.from(yc.mask)).toEqual(fx.costRing.flat().map((c) => c * c));
    const w = task.hints!.outputWeights!(params)!;
    const ring = fx.costRing.flat();
    fx.costFix.flat().forEach((c, i) => expect(c * c).toBe(w[0] * ring[i] * ring[i]));
    // His targets as the fixture stores them (to 7 decimals), so that only the weighting is compared.
    const T = fx.nSteps;
    const trials = { ...yc, targets: dense(fx.y, 3, T, 33, 0.05) };
    const probe = new Float64Array(3 * T * 33);
    for (let b = 0; b < 3; b++)
      for (let t = 0; t < T; t++)
        for (let o = 0; o < 33; o++) probe[(b * T + t) * 33 + o] = 0.05 + 0.3 * Math.sin(0.37 * ((t * 3 + b) * 33 + o));
    const loss = taskLossOfOutputs(trials, probe, 'linear', task.hints!.lossNorm!(params)!, w);
    expect(Math.abs(loss / fx.probeCost - 1)).toBeLessThan(1e-12);
  });

  test('a network that outputs the target is correct on every trial, one that fixates throughout only on nogo', () => {
    expect(accuracy(task, tr, tr.cleanTargets).overall).toBe(1);
    const fixating = new Float64Array(tr.cleanTargets.length).fill(0.05);
    for (let i = 0; i < fixating.length; i += 33) fixating[i] = 0.8;
    const nogo = fx.vars.filter((v) => v.respLoc < 0).length;
    expect(accuracy(task, tr, fixating).overall).toBeCloseTo(nogo / 3, 12);
  });
});

test('the population vector reads the direction a tuned ring encodes', () => {
  const y = new Float64Array(33);
  for (const loc of [0.1, 2, 3.14, 6.2]) {
    const tr = generate(getTask('yang-fdgo'), {
      nTrials: 1,
      condition: 0,
      vars: [{ loc1: loc, respLoc: loc, m1s1: 1, m1s2: 0, m2s1: 0, m2s2: 0, fix1: 200, stim1: 400, go: 400 }],
      params: { inputNoise: 0 },
    });
    y.set(tr.cleanTargets.subarray((tr.nSteps - 1) * 33, tr.nSteps * 33));
    expect(popvec(y, 1)).toBeCloseTo(loc, 6);
  }
});

describe('random mode: the source\u2019s distributions, seeded', () => {
  const share = (xs: number[], x: number) => xs.filter((v) => v === x).length / xs.length;

  test('delaydm1: delays from {200, 400, 800, 1600} ms, a quarter each; the stronger stimulus answers', () => {
    const tr = generate(getTask('yang-delaydm1'), { nTrials: 4000, seed: 5 });
    const delays = tr.layouts.map((l) => l.vars.delay1);
    for (const d of [200, 400, 800, 1600]) expect(Math.abs(share(delays, d) - 0.25)).toBeLessThan(0.03);
    expect(new Set(delays).size).toBe(4);
    for (const l of tr.layouts.slice(0, 200)) {
      const { m1s1, m1s2, loc1, loc2, respLoc } = l.vars;
      expect(respLoc).toBe(m1s1 > m1s2 ? loc1 : loc2);
      expect(l.length).toBe(l.periods[l.periods.length - 1].end);
    }
  });

  test('dm1: the stimulus starts int(U(100, 400)/dt)·dt ms in, every dt-step of that range drawn', () => {
    const tr = generate(getTask('yang-dm1'), { nTrials: 3000, seed: 2 });
    const onsets = tr.layouts.map((l) => l.vars.fix1 + 100);
    expect(Math.min(...onsets)).toBe(100);
    expect(Math.max(...onsets)).toBe(380);
    expect(new Set(onsets).size).toBe(15);
    const mean = onsets.reduce((a, b) => a + b, 0) / onsets.length;
    expect(Math.abs(mean - 240)).toBeLessThan(5); // E[floor(U(100, 400)/20)·20] = 240
  });

  test('dmcgo: half the trials match by category, and only those ask for a saccade', () => {
    const tr = generate(getTask('yang-dmcgo'), { nTrials: 2000, seed: 3 });
    const match = tr.layouts.map((l) => Number(l.vars.loc1 < Math.PI === l.vars.loc2 < Math.PI));
    expect(Math.abs(share(match, 1) - 0.5)).toBeLessThan(0.04);
    tr.layouts.forEach((l, i) => expect(l.vars.respLoc >= 0).toBe(match[i] === 1));
  });

  test('the same seed gives the same trials; padding beyond a trial\u2019s end carries no cost', () => {
    const a = generate(getTask('yang-contextdelaydm2'), { nTrials: 64, seed: 9 });
    const b = generate(getTask('yang-contextdelaydm2'), { nTrials: 64, seed: 9 });
    expect(Buffer.from(a.inputs.buffer).equals(Buffer.from(b.inputs.buffer))).toBe(true);
    expect(a.layouts.map((l) => l.vars)).toEqual(b.layouts.map((l) => l.vars));
    const lengths = a.layouts.map((l) => l.length);
    expect(new Set(lengths).size).toBeGreaterThan(1);
    a.layouts.forEach((l, i) => {
      for (let t = l.length; t < a.nSteps; t++) expect(a.mask[i * a.nSteps + t]).toBe(0);
    });
  });

  test('a dt that does not divide 100 ms is refused in one line', () => {
    expect(() => generate(getTask('yang-fdgo'), { nTrials: 1, params: { dt: 30 } })).toThrow(/must divide 100 ms/);
  });

  test("a cost other than 0 or 1 is refused in one line, the multi-task mixture's too", () => {
    for (const name of ['yang-fdgo', 'yang-multitask'])
      expect(() => generate(getTask(name), { nTrials: 1, params: { cost: 0.5 } })).toThrow(/cost must be 0 .* or 1/);
  });
});
