/**
 * Dynamics: the free-run classifier on constructed networks and on the authors' trained networks (whose late-time
 * behaviour per trial type was recorded independently in paper-spec §4.2), the analytic Jacobian against finite
 * differences, and the fixed-point finder on a network with known fixed points.
 */
import { createModel, Rng, type RnnModel } from '@rnnlab/engine';
import { importKerasFile } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
import { findFixedPoints, freeRun, jacobian, speed } from '@rnnlab/analysis';
import { fixturePath } from '../helpers/fixtures';

function tiny(W: number[], b: number[] = [0, 0]): RnnModel {
  const m = createModel({ nIn: 1, nRec: 2, nOut: 1, dtype: 'float64', recurrentBias: true });
  m.params.W_rec.set(W);
  m.params.b.set(b);
  m.params.W_in.set([1, 0.5]);
  m.params.W_out.set([1, 0]);
  return m;
}
const kick = {
  nTrials: 1,
  nSteps: 5,
  nIn: 1,
  nOut: 1,
  inputs: Float64Array.from([1, 0, 0, 0, 0]),
  targets: new Float64Array(5),
  mask: new Float64Array(5).fill(1),
};

test(
  'a contracting network settles on a fixed point; a rotating expanding one oscillates, phase-locked to period 8 ' +
    '(Lyapunov exponent < 0)',
  () => {
    const fp = freeRun(tiny([0.5, 0, 0, 0.5]), kick)[0];
    expect(fp.behaviour).toBe('fixed-point');
    expect(fp.lyapunov).toBeCloseTo(Math.log(0.5), 6);
    const th = (2 * Math.PI) / 8,
      g = 1.5; // expansion saturated by tanh: a stable cycle; the rotation sets the period
    const cyc = freeRun(tiny([g * Math.cos(th), -g * Math.sin(th), g * Math.sin(th), g * Math.cos(th)]), kick)[0];
    expect(cyc.behaviour).toBe('oscillation');
    expect(cyc.lyapunov).toBeLessThan(0); // a phase-locked cycle of a map contracts in every direction
    expect(cyc.lyapunov).toBeGreaterThan(-0.05);
    expect(cyc.period).toBeCloseTo(8, 6);
  },
);

test('a strongly expanding random network is classified chaotic (positive Lyapunov exponent)', () => {
  const m = createModel({ nIn: 1, nRec: 60, nOut: 1, dtype: 'float64' });
  const rng = new Rng(3);
  rng.fillNormal(m.params.W_rec, 3 / Math.sqrt(60)); // g = 3: the classic chaotic regime (Sompolinsky et al. 1988)
  m.params.W_in.fill(1);
  const r = freeRun(m, kick)[0];
  expect(r.behaviour).toBe('chaotic');
  expect(r.lyapunov).toBeGreaterThan(0.01);
});

describe.each([
  [
    'and_trained',
    'and',
    { '00': 'fixed-point', '10': 'oscillation', '01': 'oscillation', '11': 'fixed-point' },
    { '11': 1.02 },
  ],
  [
    'xor_trained',
    'xor',
    { '00': 'fixed-point', '10': 'fixed-point', '01': 'fixed-point', '11': 'oscillation' },
    { '10': 1.02, '01': 1.02 },
  ],
  ['time_trained', 'pulse', { 'no-pulse': 'fixed-point', pulse: 'oscillation' }, {}],
] as const)("the authors' %s network", (id, taskName, expected, outputs) => {
  test('has the late-time behaviour per trial type recorded in paper-spec §4.2', () => {
    const { model } = importKerasFile(fixturePath(`keras/${id}.hdf5`));
    const task = getTask(taskName);
    const names = task.conditions(task.defaults).map((c: { name: string }) => c.name);
    const key = taskName === 'pulse' ? 'noise' : 'inputNoise';
    const grid = generate(task, { nTrials: names.length, grid: true, params: { [key]: 0 } });
    const late = freeRun(model, grid);
    const got = Object.fromEntries(late.map((l, b) => [names[grid.trialTypes![b]], l.behaviour]));
    expect(got).toEqual(expected);
    for (const [c, y] of Object.entries(outputs)) expect(late[names.indexOf(c)].meanOutput).toBeCloseTo(y, 1);
  });
});

test('the speed gradient ∇q and the Jacobian match central finite differences', () => {
  const m = tiny([0.9, -0.7, 0.4, 1.3], [0.1, -0.2]);
  const h = Float64Array.from([0.3, -0.4]);
  const s = { z: new Float64Array(2), r: new Float64Array(2), f: new Float64Array(2) };
  const g = new Float64Array(2);
  speed(m, h, g, s);
  const J = jacobian(m, h);
  const F = (x: Float64Array) => {
    speed(m, x, null, s);
    return [s.f[0] + x[0], s.f[1] + x[1]];
  };
  for (let j = 0; j < 2; j++) {
    const hp = h.slice(),
      hm = h.slice();
    hp[j] += 1e-6;
    hm[j] -= 1e-6;
    expect((speed(m, hp, null, s) - speed(m, hm, null, s)) / 2e-6).toBeCloseTo(g[j], 8);
    const fp = F(hp),
      fm = F(hm);
    for (let i = 0; i < 2; i++) expect((fp[i] - fm[i]) / 2e-6).toBeCloseTo(J[i * 2 + j], 8);
  }
});

test('a bistable network has its two stable fixed points (±0.9575 for w = 2) and the unstable origin', () => {
  const m = tiny([2, 0, 0, 0.1]);
  const states = Float64Array.from([0.9, 0, -0.8, 0, 0.01, 0, 0.5, 0.1, -0.3, 0]);
  const fps = findFixedPoints(m, states, { starts: 40, noise: 0.05, iterations: 5000, lr: 5e-3 });
  const xs = fps.map((f) => f.h[0]).sort((a, b) => a - b);
  expect(xs).toHaveLength(3);
  expect(xs[0]).toBeCloseTo(-0.9575, 3);
  expect(xs[1]).toBeCloseTo(0, 3);
  expect(xs[2]).toBeCloseTo(0.9575, 3);
  expect(fps.find((f) => Math.abs(f.h[0]) < 0.1)!.stable).toBe(false);
  expect(fps.filter((f) => f.stable)).toHaveLength(2);
});
