/**
 * Issue 27: `train --quick --size 6 --init normal --seed 3 --trials 16 --batch 8 --epochs 1` ended "gradient norm is
 * NaN at epoch 1, step 2" in float32 and trained in float64. Not a numerical defect of the engine: the 6-unit network
 * is chaotic and its gradient through time explodes (‖g‖ ≈ 1.4e41 at step 2 in float64), beyond float32's largest
 * value (3.4e38), so the float32 gradient overflows to ±Inf and then NaN. float64 represents it and clipping
 * rescales it; in float32 the error now says so.
 */
import { createModel, initialize, jsBackend, Trainer, validateTrainConfig, type DType } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';

const trials = generate(getTask('and'), { nTrials: 16, seed: 1 });
const trainer = (dtype: DType) => {
  const model = createModel({ nIn: trials.nIn, nOut: trials.nOut, nRec: 6, dtype });
  initialize(model, { rec: 'normal', seed: 3 });
  const config = validateTrainConfig({
    epochs: 1,
    batchSize: 8,
    clipNorm: 1,
    seed: 3,
    adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' },
  });
  return new Trainer(model, trials, config, jsBackend);
};

test('the gradient of step 2 exceeds float32 range in float64 itself: a real explosion, clipped there', () => {
  const t = trainer('float64');
  t.trainStep();
  const before = Float64Array.from(t.model.params.flat);
  t.trainStep();
  // the trainer's gradient buffer holds step 2's gradient as BPTT computed it (clipping scales the update)
  const grads = (t as unknown as { grads: { flat: Float64Array } }).grads;
  let n2 = 0;
  for (const v of grads.flat) n2 += v * v;
  expect(Math.sqrt(n2)).toBeGreaterThan(3.4028234663852886e38);
  // clipped to norm 1, the update is finite and moves the weights
  expect(t.model.params.flat.every(Number.isFinite)).toBe(true);
  expect(t.model.params.flat.some((v, i) => v !== before[i])).toBe(true);
});

test('in float32 the same step overflows, and the error says that it did and what to do', () => {
  const t = trainer('float32');
  t.trainStep();
  expect(() => t.trainStep()).toThrow(/overflowed float32.*exploding gradient.*--dtype float64/);
});
