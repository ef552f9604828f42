/** Bad input gets a clear RnnlabError: wrong shapes, NaN/Inf, mismatched sizes, bad configs. */
import {
  createModel,
  forward,
  initialize,
  jsBackend,
  lossAndGradient,
  modelFromJson,
  modelToJson,
  simulate,
  setRecMask,
  Trainer,
  type Trials,
  validateAdamConfig,
  validateConfig,
  validateTrials,
} from '@rnnlab/engine';
import { createWorkspace, loadTrials, seal } from '@rnnlab/engine/advanced';
import { generate, getTask } from '@rnnlab/tasks';

function trials(B = 2, T = 3, I = 2, O = 1): Trials {
  return {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * T * I),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T).fill(1),
  };
}

test('arrays whose length does not match the declared shape are rejected', () => {
  const t = trials();
  t.inputs = new Float64Array(5);
  expect(() => validateTrials(t)).toThrow('trials.inputs has 5 elements but shape [2][3][2] needs 12');
  const u = trials();
  u.mask = new Float64Array(7);
  expect(() => validateTrials(u)).toThrow('trials.mask has 7 elements but shape [2][3] needs 6');
});

test.each([NaN, Infinity, -Infinity])('%s in inputs or targets is rejected with its position', (bad) => {
  const t = trials();
  t.inputs[4] = bad;
  expect(() => validateTrials(t)).toThrow(`trials.inputs contains ${bad} at flat index 4`);
  const u = trials();
  u.targets[1] = bad;
  expect(() => validateTrials(u)).toThrow(`trials.targets contains ${bad} at flat index 1`);
});

test('a negative mask weight is rejected', () => {
  const t = trials();
  t.mask[2] = -1;
  expect(() => validateTrials(t)).toThrow(/negative weight/);
});

test('trials with the wrong number of inputs for the model are rejected', () => {
  const model = createModel({ nIn: 3, nRec: 4, nOut: 1 });
  const ws = createWorkspace(model.config, 2, 3);
  expect(() => loadTrials(ws, trials())).toThrow('trials have 2 inputs and 1 outputs but the model has 3 and 1');
  expect(() => new Trainer(model, trials(), {}, jsBackend)).toThrow(/the task has 2 inputs/);
});

test('a batch bigger than the workspace is rejected', () => {
  const model = createModel({ nIn: 2, nRec: 4, nOut: 1 });
  const ws = createWorkspace(model.config, 1, 3);
  expect(() => loadTrials(ws, trials())).toThrow(/exceeds the workspace/);
});

test('a connectivity mask of the wrong size is rejected', () => {
  const model = createModel({ nIn: 2, nRec: 4, nOut: 1 });
  expect(() => setRecMask(model, [1, 0, 1])).toThrow('connectivity mask has 3 entries, W_rec has 4x4 = 16');
});

test('bad configs name the field', () => {
  expect(() => validateConfig({ nRec: 0 })).toThrow('config.nRec must be a positive integer, got 0');
  expect(() => validateConfig({ nIn: 2.5 })).toThrow('config.nIn must be a positive integer, got 2.5');
  expect(() => validateConfig({ noiseStd: -1 })).toThrow(/noiseStd/);
  expect(() => validateConfig({ dtype: 'float16' as never })).toThrow(/dtype/);
  expect(() => validateAdamConfig({ lr: -1 })).toThrow('adam.lr is out of range: -1');
  expect(() => validateAdamConfig({ beta2: 1 })).toThrow(/beta2/);
  expect(() => initialize(createModel({}), { rec: 'xavier' as never })).toThrow(
    /unknown recurrent initialiser "xavier"/,
  );
});

test('an all-zero mask makes the loss undefined and says so', () => {
  const model = createModel({ nIn: 2, nRec: 4, nOut: 1 });
  const t = trials();
  t.mask.fill(0);
  const trainer = new Trainer(model, t, { batchSize: 2 }, jsBackend);
  expect(() => trainer.trainStep()).toThrow(/mask of this batch is zero everywhere/);
});

// ---------------------------------------------------------------------------------------------------------------
// Models and backends handed in through the API (issue 27): refused where they enter, the entry named.

describe('a model or backend that is not what it says', () => {
  const model = () => {
    const m = createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
    initialize(m, { rec: 'normal', seed: 1 });
    return m;
  };
  test.each([NaN, Infinity])('%s in a weight is refused with the array and index, not computed into a loss', (bad) => {
    const m = model();
    m.params.W_rec[5] = bad;
    const message = `model.params.W_rec contains ${bad} at flat index 5`;
    expect(() => lossAndGradient(m, trials())).toThrow(message);
    expect(() => forward(m, trials())).toThrow(message);
    expect(() => simulate(m, trials(), jsBackend)).toThrow(message);
    expect(() => new Trainer(m, trials(), { epochs: 1, batchSize: 2 }, jsBackend)).toThrow(message);
    // Saving would write null, a file that cannot be read back.
    expect(() => modelToJson(m)).toThrow(`model to save.params.W_rec contains ${bad} at flat index 5`);
  });

  test('a finite weight so large that the backward pass overflows (1e308) is refused, not an infinite gradient', () => {
    // the case of the probe: N = 5, normal init seed 1, four AND trials
    const m = createModel({ nIn: 2, nRec: 5, nOut: 1, dtype: 'float64' });
    initialize(m, { rec: 'normal', seed: 1 });
    m.params.W_rec[3] = 1e308;
    const four = generate(getTask('and'), { nTrials: 4, seed: 1 });
    // the forward pass saturates (tanh of ±1e308 is ±1): the outputs, and so the loss, are finite
    expect(forward(m, four).outputs.every(Number.isFinite)).toBe(true);
    expect(() => lossAndGradient(m, four)).toThrow(
      /the backward pass overflowed float64 \(the largest weight is W_rec\[3\] = 1e\+308\)/,
    );
  });

  test('a parameter buffer of the wrong length or dtype is refused', () => {
    const short = model();
    (short.params as { flat: Float64Array }).flat = new Float64Array(3);
    expect(() => lossAndGradient(short, trials())).toThrow(/params.flat has 3 entries, the configuration needs 37/);
    const wrong = model();
    (wrong.params as { flat: unknown }).flat = new Float32Array(wrong.params.flat.length);
    expect(() => lossAndGradient(wrong, trials())).toThrow(/params.flat must be a Float64Array/);
  });

  test('flags that disagree with the parameters are refused, in the API and in a re-sealed model file', () => {
    const m = model();
    m.params.b[2] = 0.5; // recurrentBias is false: b would be used although the model says it has none
    expect(() => lossAndGradient(m, trials())).toThrow(
      'model has no recurrent bias (recurrentBias false) but b[2] = 0.5',
    );
    const h = model();
    h.params.h0[1] = -1;
    expect(() => forward(h, trials())).toThrow('model does not train h0 (trainH0 false) but h0[1] = -1');
    const file = modelToJson(model()) as unknown as Record<string, unknown> & { params: { b: number[] } };
    const { sha256: _old, ...payload } = file;
    payload.params.b[0] = 0.25;
    const resealed = JSON.parse(seal(payload));
    expect(() => modelFromJson(resealed, 'edited.json')).toThrow(
      'edited.json: the model has no recurrent bias (recurrentBias false) but b[0] = 0.25',
    );
  });

  test('missing trial arrays and a backend without gemm are named, not TypeErrors', () => {
    const t = trials() as unknown as Record<string, unknown>;
    delete t.mask;
    expect(() => lossAndGradient(model(), t as unknown as Trials)).toThrow('trials.mask is missing or not an array');
    const u = trials() as unknown as Record<string, unknown>;
    u.targets = null;
    expect(() => forward(model(), u as unknown as Trials)).toThrow('trials.targets is missing or not an array');
    const bogus = { name: 'mine' } as unknown as typeof jsBackend;
    expect(() => simulate(model(), trials(), bogus)).toThrow(/backend must be an rnnlab Backend with a gemm function/);
  });
});
