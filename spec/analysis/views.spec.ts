/**
 * The figures' data in analysis/views.ts: the steps after each trial (afterTrials) are the network's own zero-input
 * dynamics continued from the trial's last state, and the PCA figure draws them in the trials' basis.
 */
import { createModel, initialize, jsBackend, simulate } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';
import { afterTrials, pcaFigure } from '@rnnlab/analysis';

describe('afterTrials', () => {
  const task = getTask('and');
  const sample = generate(task, { nTrials: 4, seed: 3, grid: true });
  const N = 8;
  const model = createModel({ nIn: 2, nRec: N, nOut: 1, dtype: 'float64' });
  initialize(model, { rec: 'normal', gain: 1.5, seed: 7 });
  const { states, F } = afterTrials(model, sample, jsBackend);
  const { hidden } = simulate(model, sample, jsBackend, { hidden: true });
  const T = sample.nSteps;

  it('runs 2T steps (at most 1000) after every trial', () => {
    expect(F).toBe(Math.min(2 * T, 1000));
    expect(states.length).toBe(4 * F * N);
  });

  it('continues each trial from its last state with no input: h ← tanh(W_rec h), step by step', () => {
    const W = model.params.W_rec;
    for (let b = 0; b < 4; b++) {
      let h = Array.from(hidden!.subarray((b * T + T - 1) * N, (b * T + T) * N));
      for (let t = 0; t < 5; t++) {
        h = h.map((_, i) => Math.tanh(h.reduce((s, hj, j) => s + W[i * N + j] * hj, 0)));
        const got = states.subarray((b * F + t) * N, (b * F + t + 1) * N);
        h.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-12));
      }
    }
  });

  it('is drawn dashed after each trajectory, from its last point, in the same basis', () => {
    const spec = pcaFigure(hidden!, 4, T, N, (b) => `trial ${b}`, [], { states, F }) as {
      title: string;
      data: { values: Array<Record<string, unknown>> };
    };
    expect(spec.title).toContain(`dashed: ${F} steps after the trial with no input`);
    const rows = spec.data.values;
    expect(rows.filter((r) => r.phase === 'free run')).toHaveLength(4 * (F + 1));
    for (let b = 0; b < 4; b++) {
      const mine = rows.filter((r) => r.trial === `trial ${b}`);
      const stop = mine.find((r) => r.marker === 'stop')!;
      const first = mine.find((r) => r.phase === 'free run')!;
      expect([first.x, first.y]).toEqual([stop.x, stop.y]);
    }
  });
});
