/**
 * Every gradient entry against float64 central finite differences, with every model feature switched on:
 * leak (α < 1), recurrent bias, trainable h0, recurrent noise frozen by seed, a connectivity mask, each activation,
 * each loss normalisation, fractional mask weights, per-output loss weights. Clipping is off (it is not part of the
 * derivative).
 */
import {
  type Activation,
  createModel,
  formatAudit,
  gradientAudit,
  initialize,
  jsBackend,
  LOSS_NORMALIZATIONS,
  Rng,
  setRecMask,
  type Trials,
} from '@rnnlab/engine';
import {
  allocParamSet,
  createWorkspace,
  loadTrials,
  maskedMseBackward,
  rnnBackward,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { CPU_BACKENDS } from '../helpers/backends';

function randomTrials(B: number, T: number, I: number, O: number, seed: number, fractionalMask = false): Trials {
  const rng = new Rng(seed);
  const tr: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * T * I),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T),
  };
  rng.fillNormal(tr.inputs);
  rng.fillUniform(tr.targets, -1, 1);
  for (let i = 0; i < tr.mask.length; i++)
    tr.mask[i] = rng.uniform() < 0.25 ? 0 : fractionalMask ? 0.5 + rng.uniform() : 1;
  return tr;
}

function featureModel(activation: Activation, seed: number) {
  const model = createModel({
    nIn: 3,
    nRec: 5,
    nOut: 2,
    alpha: 0.3,
    activation,
    recurrentBias: true,
    trainH0: true,
    noiseStd: 0.1,
    dtype: 'float64',
  });
  initialize(model, { rec: 'normal', gain: 1.3, seed });
  const rng = new Rng(seed + 100);
  rng.fillNormal(model.params.b, 0.2);
  rng.fillUniform(model.params.h0, -0.5, 0.5);
  rng.fillNormal(model.params.b_out, 0.1);
  const mask = new Float64Array(25).map(() => (rng.uniform() < 0.3 ? 0 : 1));
  setRecMask(model, mask);
  return model;
}

describe.each(CPU_BACKENDS)('finite-difference check on the %s backend', (_name, backend) => {
  test.each(['tanh', 'softplus', 'relu'] as const)(
    '%s, all features on: every entry of every parameter agrees to 1e-6',
    (activation) => {
      const model = featureModel(activation, 7);
      const trials = randomTrials(2, 6, 3, 2, 11, true);
      const report = gradientAudit(model, trials, { backend, eps: 1e-6 });
      const removed = model.recMask!.reduce((a, m) => a + (m === 0 ? 1 : 0), 0);
      expect(removed).toBeGreaterThan(0);
      for (const p of report.params) {
        // Every entry is sampled; masked W_rec entries are counted as skipped, never as checked.
        expect(p.sampled).toBe(p.total);
        expect(p.skippedMasked).toBe(p.name === 'W_rec' ? removed : 0);
        expect(p.checked + p.skippedMasked).toBe(p.total);
        // relu's kink can sit within eps of a pre-activation; with these seeds it does not.
        if (!(p.maxRelError < 1e-6)) throw new Error(`${activation} ${p.name}: max relative error ${p.maxRelError}`);
      }
      // The noise really is on, and frozen: without noise the loss differs.
      const quiet = gradientAudit({ ...model, config: { ...model.config, noiseStd: 0 } }, trials, {
        backend,
        maxEntriesPerParam: 1,
      });
      expect(Math.abs(quiet.loss - report.loss)).toBeGreaterThan(1e-8);
    },
  );

  test.each(LOSS_NORMALIZATIONS)('loss normalisation "%s" has a correct gradient', (loss) => {
    const model = featureModel('tanh', 3);
    const report = gradientAudit(model, randomTrials(3, 5, 3, 2, 5, true), { backend, loss });
    expect(report.maxRelError).toBeLessThan(1e-6);
  });

  test.each(['linear', 'sigmoid'] as const)(
    'per-output loss weights, %s readout: a correct gradient, and a loss linear in the weights',
    (readout) => {
      const base = featureModel('tanh', 3);
      const withWeights = (w: number[] | null) => ({ ...base, config: { ...base.config, readout, outputWeights: w } });
      const trials = randomTrials(3, 5, 3, 2, 5, true);
      trials.targets = trials.targets.map(Math.abs); // in [0, 1], for the binary cross-entropy
      const report = gradientAudit(withWeights([4, 0.5]), trials, { backend });
      expect(report.maxRelError).toBeLessThan(1e-6);
      const loss = (w: number[] | null) =>
        gradientAudit(withWeights(w), trials, { backend, maxEntriesPerParam: 1 }).loss;
      expect(Math.abs(report.loss - (4 * loss([1, 0]) + 0.5 * loss([0, 1])))).toBeLessThan(1e-12 * report.loss);
      expect(loss([1, 1])).toBe(loss(null));
    },
  );

  test('α = 1 (Keras SimpleRNN, r aliasing h) with a seeded sample of entries of a larger net', () => {
    const model = createModel({
      nIn: 2,
      nRec: 30,
      nOut: 1,
      alpha: 1,
      recurrentBias: true,
      trainH0: true,
      dtype: 'float64',
    });
    initialize(model, { rec: 'orthogonal', seed: 4 });
    const report = gradientAudit(model, randomTrials(4, 20, 2, 1, 9), { backend, maxEntriesPerParam: 40 });
    expect(report.params.find((p) => p.name === 'W_rec')!.checked).toBe(40);
    expect(report.maxRelError).toBeLessThan(1e-6);
  });
});

test('the audit counts what it compared: half of W_rec masked → checked 8 of 16, 8 skipped, and says so', () => {
  const model = createModel({ nIn: 1, nRec: 4, nOut: 1, dtype: 'float64' });
  initialize(model, { rec: 'normal', seed: 3 });
  setRecMask(
    model,
    Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : 0)),
  );
  const report = gradientAudit(model, randomTrials(2, 5, 1, 1, 4), {});
  const w = report.params.find((p) => p.name === 'W_rec')!;
  expect([w.checked, w.skippedMasked, w.sampled, w.total]).toEqual([8, 8, 16, 16]);
  const text = formatAudit(report);
  expect(text).toMatch(/W_rec\s+8\s+8\s+16\/16/);
  expect(text).toContain('(8 entries skipped: removed by a connectivity mask or frozen by a trainable mask)');
});

test('masked recurrent connections get exactly zero gradient', () => {
  const model = featureModel('tanh', 2);
  const report = gradientAudit(model, randomTrials(2, 4, 3, 2, 1), {});
  expect(report.maxRelError).toBeLessThan(1e-6);
  // the audit skips removed connections; check the analytic gradient is zero there directly
  const trials = randomTrials(2, 4, 3, 2, 1);
  const ws = createWorkspace(model.config, 2, 4);
  loadTrials(ws, trials);
  rnnForward(model, ws, jsBackend, new Rng(1));
  const g = allocParamSet(model.config);
  maskedMseBackward(ws, 2, 'mask-sum');
  rnnBackward(model, ws, g, jsBackend);
  let removed = 0;
  for (let i = 0; i < 25; i++)
    if (model.recMask![i] === 0) {
      removed++;
      expect(g.W_rec[i]).toBe(0);
    }
  expect(removed).toBeGreaterThan(0);
});
