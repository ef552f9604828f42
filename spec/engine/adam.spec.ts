/**
 * Adam against the PyTorch float64 trajectory (spec/fixtures/gradients/adam_case1.json): 5 full-batch steps,
 * with h0 frozen and with h0 trained; every parameter, m and v after every step to 1e-12 absolute.
 * The Keras 2.0.6 convention is checked against a transcription of keras/optimizers.py written in this file.
 */
import { type AdamConfig, createModel, jsBackend, type ParamName } from '@rnnlab/engine';
import {
  adamStep,
  allocParamSet,
  createAdamState,
  createWorkspace,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  paramOffsets,
  rnnBackward,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { flat, loadFixture, maxAbsDiff } from '../helpers/fixtures';
import { gradCase } from '../helpers/gradcase';

const fx = loadFixture('gradients/adam_case1.json');
const hp = fx.meta.hyperparameters;
const torchAdam: AdamConfig = {
  lr: hp.lr,
  beta1: hp.beta1,
  beta2: hp.beta2,
  eps: hp.eps,
  decay: 0,
  convention: 'pytorch',
};

describe.each([
  ['h0 frozen', 'trajectory', false],
  ['h0 trained', 'trajectory_train_h0', true],
] as const)('PyTorch-convention Adam, %s', (_label, key, trainH0) => {
  test('5 steps reproduce losses, gradients, parameters and both moments of torch.optim.Adam', () => {
    const { model: m0, trials } = gradCase('case1_N8_I2_O1_T12_B3_a1.json');
    const model = createModel({ ...m0.config, trainH0 });
    model.params.flat.set(m0.params.flat);
    const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps);
    loadTrials(ws, trials);
    const grads = allocParamSet(model.config);
    const state = createAdamState(model);
    const offs = paramOffsets(model.config);
    for (const step of fx[key]) {
      rnnForward(model, ws, jsBackend);
      const loss = maskedMseForward(ws, 1, 'mask-sum');
      expect(Math.abs(loss - step.loss_before_step)).toBeLessThan(1e-13);
      grads.flat.fill(0);
      maskedMseBackward(ws, 1, 'mask-sum');
      rnnBackward(model, ws, grads, jsBackend);
      adamStep(model, grads.flat, state, torchAdam);
      for (const name of Object.keys(step.params_after) as ParamName[]) {
        const [s, e] = offs[name];
        const errs = {
          param: maxAbsDiff(model.params[name], flat(step.params_after[name])),
          m: maxAbsDiff(state.m.subarray(s, e), flat(step.exp_avg_after[name])),
          v: maxAbsDiff(state.v.subarray(s, e), flat(step.exp_avg_sq_after[name])),
        };
        for (const [what, err] of Object.entries(errs))
          if (!(err <= 1e-12)) throw new Error(`step ${step.step} ${name} ${what}: ${err}`);
      }
      if (!trainH0) expect(Array.from(model.params.h0)).toEqual(flat(fx.initial_params.h0));
    }
    rnnForward(model, ws, jsBackend);
    const final = maskedMseForward(ws, 1, 'mask-sum');
    expect(Math.abs(final - (trainH0 ? fx.final_loss_train_h0 : fx.final_loss))).toBeLessThan(1e-13);
  });
});

describe('Keras 2.0.6 convention', () => {
  // keras/optimizers.py (2.0.6), Adam.get_updates, transcribed:
  //   lr = self.lr * (1. / (1. + self.decay * self.iterations)); t = self.iterations + 1
  //   lr_t = lr * (K.sqrt(1. - K.pow(self.beta_2, t)) / (1. - K.pow(self.beta_1, t)))
  //   m_t = (self.beta_1 * m) + (1. - self.beta_1) * g; v_t = (self.beta_2 * v) + (1. - self.beta_2) * K.square(g)
  //   p_t = p - lr_t * m_t / (K.sqrt(v_t) + self.epsilon)
  function kerasReference(p: number[], gs: number[][], lr: number, decay: number): number[] {
    const b1 = 0.9,
      b2 = 0.999,
      eps = 1e-8;
    const m = p.map(() => 0),
      v = p.map(() => 0);
    let iterations = 0;
    for (const g of gs) {
      const lrDecayed = lr * (1 / (1 + decay * iterations));
      const t = iterations + 1;
      const lrT = lrDecayed * (Math.sqrt(1 - b2 ** t) / (1 - b1 ** t));
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] = p[i] - (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
      }
      iterations++;
    }
    return p;
  }

  test('matches the transcription of keras/optimizers.py over 300 steps with decay 1e-2', () => {
    const model = createModel({ nIn: 1, nRec: 3, nOut: 1, dtype: 'float64' });
    const n = model.params.flat.length;
    const p0 = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    model.params.flat.set(p0);
    const gs = Array.from({ length: 300 }, (_, s) =>
      Array.from({ length: n }, (_, i) => Math.cos(0.37 * s + i) * (i % 3 === 0 ? 1e-3 : 1)),
    );
    const state = createAdamState(model);
    const cfg: AdamConfig = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 1e-2, convention: 'keras' };
    const g = new Float64Array(n);
    for (const step of gs) {
      g.set(step);
      adamStep(model, g, state, cfg);
    }
    // b and h0 are not trainable in this config: compare only the trainable ranges, and check the others stayed put.
    const ref = kerasReference([...p0], gs, 1e-2, 1e-2);
    const offs = paramOffsets(model.config);
    for (const name of ['W_in', 'W_rec', 'W_out', 'b_out'] as const) {
      const [s, e] = offs[name];
      expect(maxAbsDiff(model.params.flat.subarray(s, e), ref.slice(s, e))).toBeLessThan(1e-14);
    }
    for (const name of ['b', 'h0'] as const) {
      const [s, e] = offs[name];
      expect(Array.from(model.params.flat.subarray(s, e))).toEqual(p0.slice(s, e));
    }
  });

  test('differs from the PyTorch convention only through where eps enters (equal when eps = 0)', () => {
    const a = createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
    const b = createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
    const n = a.params.flat.length;
    for (let i = 0; i < n; i++) a.params.flat[i] = b.params.flat[i] = Math.sin(3 * i);
    const sa = createAdamState(a),
      sb = createAdamState(b);
    const g = new Float64Array(n);
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i < n; i++) g[i] = Math.cos(s + 2 * i) * 1e-3;
      adamStep(a, g, sa, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 0, decay: 0, convention: 'keras' });
      adamStep(b, g, sb, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 0, decay: 0, convention: 'pytorch' });
    }
    expect(maxAbsDiff(a.params.flat, b.params.flat)).toBeLessThan(1e-15);
    // With the default eps = 1e-8 and gradients of 1e-9 the two conventions really do disagree.
    const c = createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
    const d = createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
    const sc = createAdamState(c),
      sd = createAdamState(d);
    g.fill(1e-9);
    adamStep(c, g, sc, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'keras' });
    adamStep(d, g, sd, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' });
    expect(maxAbsDiff(c.params.flat, d.params.flat)).toBeGreaterThan(1e-5);
  });
});
