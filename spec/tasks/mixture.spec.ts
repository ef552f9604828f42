/** Multi-task mixtures: Yang's 20 tasks in one network's trials, weighted draws, each part's own trials and rules. */
import { accuracy, generate, getTask, mixTasks, YANG_TASKS } from '@rnnlab/tasks';

test('yang-multitask draws all 20 tasks about equally; each trial is its own task\u2019s, rule input and all', () => {
  const mix = getTask('yang-multitask');
  expect(mix.parts).toEqual(YANG_TASKS.map((t) => t.name));
  const tr = generate(mix, { nTrials: 4000, seed: 3, params: { inputNoise: 0 } });
  const counts = new Array(20).fill(0);
  for (const l of tr.layouts) counts[l.vars.task]++;
  for (const c of counts) expect(Math.abs(c / 4000 - 0.05)).toBeLessThan(0.015);
  const ruleStart = 65;
  tr.layouts.slice(0, 100).forEach((l, b) => {
    for (let r = 0; r < 20; r++)
      expect(tr.inputs[(b * tr.nSteps + 1) * tr.nIn + ruleStart + r]).toBe(r === l.vars.task ? 1 : 0);
  });
  const acc = accuracy(mix, tr, tr.cleanTargets);
  expect(acc.overall).toBe(1);
  expect(Object.values(acc.perTask!).reduce((a, t) => a + t.total, 0)).toBe(4000);
});

test('a mixture trial equals the part\u2019s own trial when the part draws the same variables', () => {
  const mix = getTask('yang-dm1+yang-delaygo');
  const mixed = generate(mix, { nTrials: 50, seed: 8, params: { inputNoise: 0 } });
  const b = mixed.layouts.findIndex((l) => l.vars.task === 1);
  const l = mixed.layouts[b];
  const alone = generate(getTask('yang-delaygo'), {
    nTrials: 1,
    condition: 0,
    vars: [l.vars],
    params: { inputNoise: 0 },
  });
  const T = alone.nSteps;
  const I = alone.nIn;
  // The rule input differs only in which unit is on: delaygo's own, in both.
  expect(Array.from(mixed.inputs.subarray(b * mixed.nSteps * I, (b * mixed.nSteps + T) * I))).toEqual(
    Array.from(alone.inputs),
  );
  expect(Array.from(mixed.mask.subarray(b * mixed.nSteps, b * mixed.nSteps + T))).toEqual(Array.from(alone.mask));
});

test('weights are parameters: weight 3 against 1 draws about three quarters from the first task', () => {
  const tr = generate(getTask('yang-dm1+yang-dm2'), { nTrials: 4000, seed: 2, params: { weight_yang_dm1: 3 } });
  const first = tr.layouts.filter((l) => l.vars.task === 0).length / 4000;
  expect(Math.abs(first - 0.75)).toBeLessThan(0.02);
  expect(() =>
    generate(getTask('yang-dm1+yang-dm2'), { nTrials: 2, params: { weight_yang_dm1: 0, weight_yang_dm2: 0 } }),
  ).toThrow(/condition weights must be finite, non-negative and not all 0/);
});

test('tasks that do not share inputs, outputs and parameters cannot be mixed, and say why', () => {
  expect(() => getTask('and+yang-dm1')).toThrow(/"and" and "yang-dm1" cannot be trained together: their inputs differ/);
  expect(() => mixTasks('one', [YANG_TASKS[0]])).toThrow(/needs at least two tasks/);
  expect(() => getTask('yang-dm1+nope')).toThrow(/unknown task "nope"/);
});
