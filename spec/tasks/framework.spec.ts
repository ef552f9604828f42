/** The task-definition framework on a new task written as a small object (a delayed match, not from the paper). */
import {
  accuracy,
  generate,
  levelsHeld,
  smoothedBox,
  hann,
  normalized,
  trialDistances,
  type TaskSpec,
} from '@rnnlab/tasks';

interface DelayedMatch {
  cue: number;
  delay: number;
  probe: number;
  response: number;
  noise: number;
}

// A delayed match-to-sample task in ~25 lines: the output is 1 when the probe equals the cue, else 0.
const MATCH: TaskSpec<DelayedMatch> = {
  name: 'dms',
  title: 'delayed match to sample',
  citation: 'example',
  inputs: ['left', 'right'],
  outputs: ['match'],
  defaults: { cue: 30, delay: 50, probe: 30, response: 40, noise: 0 },
  dt: () => 1,
  conditions: () => [
    { name: 'LL', values: { cueL: 1, cueR: 0, probeL: 1, probeR: 0, match: 1 } },
    { name: 'LR', values: { cueL: 1, cueR: 0, probeL: 0, probeR: 1, match: 0 } },
    { name: 'RL', values: { cueL: 0, cueR: 1, probeL: 1, probeR: 0, match: 0 } },
    { name: 'RR', values: { cueL: 0, cueR: 1, probeL: 0, probeR: 1, match: 1 } },
  ],
  periods: (p) => [
    { name: 'cue', duration: p.cue },
    { name: 'delay', duration: p.delay },
    { name: 'probe', duration: p.probe },
    { name: 'response', duration: p.response },
  ],
  stimuli: () => [
    { channel: 'left', period: 'cue', value: 'cueL' },
    { channel: 'right', period: 'cue', value: 'cueR' },
    { channel: 'left', period: 'probe', value: 'probeL', waveform: smoothedBox(normalized(hann(5))) },
    { channel: 'right', period: 'probe', value: 'probeR' },
  ],
  responses: () => [{ channel: 'match', period: 'response', value: 'match' }],
  baseline: () => 0,
  noise: (p) => ({ input: p.noise, target: 0 }),
  maskWeights: () => ({ delay: 0, response: 2 }),
  success: (view) => levelsHeld(view, 5, 0.5),
};

test(
  'a declarative task generates the layout it describes: periods, stimuli, waveforms, response and mask ' + 'weights',
  () => {
    const tr = generate(MATCH, { nTrials: 4, grid: true });
    expect(tr.nSteps).toBe(150);
    const at = (arr: Float64Array, b: number, t: number, w: number, k: number) => arr[(b * 150 + t) * w + k];
    expect(at(tr.inputs, 1, 10, 2, 0)).toBe(1); // LR: left cue
    expect(at(tr.inputs, 1, 10, 2, 1)).toBe(0);
    expect(at(tr.inputs, 1, 90, 2, 1)).toBe(1); // right probe, box
    expect(at(tr.inputs, 0, 80, 2, 0)).toBeGreaterThan(0); // left probe, smoothed: its edge ramps up
    expect(at(tr.inputs, 0, 80, 2, 0)).toBeLessThan(0.9);
    expect(at(tr.cleanTargets, 0, 120, 1, 0)).toBe(1);
    expect(at(tr.cleanTargets, 1, 120, 1, 0)).toBe(0);
    expect(tr.mask[0 * 150 + 40]).toBe(0); // delay weight 0
    expect(tr.mask[0 * 150 + 120]).toBe(2); // response weight 2
    expect(tr.mask[0 * 150 + 10]).toBe(1); // default 1
    expect(tr.layouts[2].periods.map((p) => [p.name, p.start, p.end])).toEqual([
      ['cue', 0, 30],
      ['delay', 30, 80],
      ['probe', 80, 110],
      ['response', 110, 150],
    ]);
  },
);

test('accuracy counts a perfect output as correct and an inverted one as wrong, per condition', () => {
  const tr = generate(MATCH, { nTrials: 8, grid: true });
  expect(accuracy(MATCH, tr, tr.cleanTargets).overall).toBe(1);
  const inverted = tr.cleanTargets.map((v) => 1 - v);
  const acc = accuracy(MATCH, tr, inverted);
  expect(acc.overall).toBe(0);
  expect(acc.perCondition.LL).toEqual({ correct: 0, total: 2 });
});

test('the distance metric is the Euclidean norm over the whole trial', () => {
  const tr = generate(MATCH, { nTrials: 2, grid: true });
  const out = tr.targets.slice();
  out[3] += 3;
  out[4] += 4; // trial 0 off by (3, 4) at two steps
  expect(Array.from(trialDistances(tr, out))).toEqual([5, 0]);
});
