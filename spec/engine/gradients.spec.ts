/**
 * BPTT against the PyTorch float64 reference (spec/fixtures/gradients): forward states, outputs, loss and the
 * gradient of every parameter including the shared initial state, on every CPU backend, in float64 (1e-10) and
 * float32 (single-precision tolerance).
 */
import { forward, lossAndGradient, referenceBackend } from '@rnnlab/engine';
import {
  allocParamSet,
  createWorkspace,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  readHidden,
  readOutputs,
  rnnBackward,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { CPU_BACKENDS } from '../helpers/backends';
import { flat, relErr } from '../helpers/fixtures';
import { gradCase, PLAIN_PARAMS } from '../helpers/gradcase';

const CASES = ['case1_N8_I2_O1_T12_B3_a1.json', 'case2_N20_I3_O2_T50_B4_a0.2.json'];

describe.each(CPU_BACKENDS)('BPTT on the %s backend', (_name, backend) => {
  describe.each(CASES)('fixture %s', (file) => {
    function run(dtype: 'float64' | 'float32') {
      const { fx, model, trials } = gradCase(file, dtype);
      const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps, backend);
      loadTrials(ws, trials);
      rnnForward(model, ws, backend);
      const loss = maskedMseForward(ws, model.config.nOut, 'mask-sum');
      const grads = allocParamSet(model.config);
      maskedMseBackward(ws, model.config.nOut, 'mask-sum');
      rnnBackward(model, ws, grads, backend);
      return { fx, ws, loss, grads };
    }

    test('float64 forward states and outputs match PyTorch to 1e-10', () => {
      const { fx, ws } = run('float64');
      expect(relErr(readHidden(ws), flat(fx.forward.h))).toBeLessThan(1e-10);
      expect(relErr(readOutputs(ws), flat(fx.forward.y))).toBeLessThan(1e-10);
    });

    test('float64 loss and every gradient (W_in, W_rec, b, W_out, b_out, h0) match PyTorch to 1e-10', () => {
      const { fx, loss, grads } = run('float64');
      expect(Math.abs(loss - fx.loss) / Math.abs(fx.loss)).toBeLessThan(1e-10);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], flat(fx.grads[name]));
        if (!(err < 1e-10)) throw new Error(`grad ${name}: relative error ${err}`);
      }
    });

    test('float32 storage matches the float64 reference to single-precision tolerance', () => {
      const { fx, loss, grads, ws } = run('float32');
      expect(ws.y_TxBxO).toBeInstanceOf(Float32Array);
      expect(relErr(readOutputs(ws), flat(fx.forward.y))).toBeLessThan(1e-5);
      expect(Math.abs(loss - fx.loss) / Math.abs(fx.loss)).toBeLessThan(1e-5);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], flat(fx.grads[name]));
        if (!(err < 1e-4)) throw new Error(`float32 grad ${name}: relative error ${err}`);
      }
    });
  });

  test('the per-example initial-state gradients sum to the shared one (fixture h0_per_example)', () => {
    const { fx } = gradCase(CASES[0]);
    const perExample: number[][] = fx.grads.h0_per_example;
    const summed = perExample[0].map((_, j) => perExample.reduce((s, row) => s + row[j], 0));
    const { grads } = (() => {
      const { model, trials } = gradCase(CASES[0]);
      const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps);
      loadTrials(ws, trials);
      rnnForward(model, ws, backend);
      const g = allocParamSet(model.config);
      maskedMseBackward(ws, 1, 'mask-sum');
      rnnBackward(model, ws, g, backend);
      return { grads: g };
    })();
    expect(relErr(grads.h0, summed)).toBeLessThan(1e-10);
  });
});

describe.each(CASES)('one call (lossAndGradient, forward) on fixture %s', (file) => {
  test('the loss and every gradient match PyTorch to 1e-10, and a second call gives the same bits', () => {
    const { fx, model, trials } = gradCase(file, 'float64');
    const first = lossAndGradient(model, trials);
    expect(Math.abs(first.loss - fx.loss) / Math.abs(fx.loss)).toBeLessThan(1e-10);
    for (const name of PLAIN_PARAMS) {
      const err = relErr(first.gradients[name], flat(fx.grads[name]));
      if (!(err < 1e-10)) throw new Error(`grad ${name}: relative error ${err}`);
    }
    const again = lossAndGradient(model, trials, { backend: referenceBackend });
    for (const name of PLAIN_PARAMS) expect(relErr(again.gradients[name], first.gradients[name])).toBeLessThan(1e-13);
    expect(lossAndGradient(model, trials).gradients.W_rec).toEqual(first.gradients.W_rec);
  });

  test('forward returns the PyTorch outputs and states; a float32 model is computed in float64 all the same', () => {
    const { fx, model, trials } = gradCase(file, 'float64');
    const r = forward(model, trials);
    expect(relErr(r.outputs, flat(fx.forward.y))).toBeLessThan(1e-10);
    expect(relErr(r.hidden, flat(fx.forward.h))).toBeLessThan(1e-10);
    const single = gradCase(file, 'float32');
    // float64 arithmetic on the float32-rounded weights: close to the reference, not bit-equal to a float32 pass
    expect(relErr(forward(single.model, single.trials).outputs, flat(fx.forward.y))).toBeLessThan(1e-5);
  });
});
