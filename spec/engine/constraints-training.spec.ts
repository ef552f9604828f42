/**
 * Constrained models under training (issue 24, item 4): after many Adam steps every column of W_rec* keeps its
 * presynaptic sign, masked entries are exactly 0, frozen entries keep their bits, inhibitory units stay out of the
 * readout, and a learnt α stays in (0, 1]; on the float64 js path and the float32 WebAssembly path (one thread and
 * data-parallel threads). Also: model files of constrained models round-trip bit for bit, plain models are still
 * written as version 2, and bad constraint input gets one clear error.
 */
import {
  createModel,
  effectiveWeights,
  excitatoryCount,
  initialize,
  jsBackend,
  lossAndGradient,
  modelFromJson,
  modelToJson,
  Rng,
  type Backend,
  type RnnOptions,
  type RnnModel,
  setConnectivity,
  setTrainMask,
  Trainer,
  type Trials,
  validateModel,
} from '@rnnlab/engine';
import { createWasmBackend } from '@rnnlab/engine/node';

/** Two-channel trials: hold the sign of a pulse on two outputs (targets in [0, 1] so every readout can learn it). */
function pulseTrials(B: number, T: number, seed: number, O = 2): Trials {
  const rng = new Rng(seed);
  const tr: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: 2,
    nOut: O,
    inputs: new Float64Array(B * T * 2),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T).fill(1),
  };
  for (let b = 0; b < B; b++) {
    const k = rng.uniform() < 0.5 ? 0 : 1;
    tr.inputs[(b * T + 2) * 2 + k] = 1;
    for (let t = 0; t < T; t++) tr.targets[(b * T + t) * O + (t >= 4 ? k : O - 1 - k)] = 1;
  }
  return tr;
}

function constrained(cfg: RnnOptions, dtype: 'float32' | 'float64'): RnnModel {
  const N = 16;
  const model = createModel({
    nIn: 2,
    nRec: N,
    nOut: 2,
    alpha: 0.5,
    daleRatio: 0.75,
    autapses: false,
    perUnitAlpha: true,
    trainAlpha: true,
    regularizers: { l2Rate: 0.01, l1Rec: 0.001 },
    dtype,
    ...cfg,
  });
  initialize(model, { seed: 4, rec: 'normal', daleBalance: 'psychrnn' });
  const rng = new Rng(9);
  setConnectivity(model, {
    in: Array.from({ length: N * 2 }, () => (rng.uniform() < 0.8 ? 1 : 0)),
    out: Array.from({ length: 2 * N }, () => (rng.uniform() < 0.8 ? 1 : 0)),
  });
  setTrainMask(model, {
    W_rec: Array.from({ length: N * N }, () => (rng.uniform() < 0.9 ? 1 : 0)),
    alpha: Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 0 : 1)),
  });
  return model;
}

function checkInvariants(before: RnnModel, after: RnnModel) {
  const N = after.config.nRec,
    nE = excitatoryCount(after.config);
  const eff = effectiveWeights(after);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const w = eff.W_rec[i * N + j];
      expect(j < nE ? w >= 0 : w <= 0).toBe(true);
      if (after.recMask![i * N + j] === 0) expect([after.params.W_rec[i * N + j], w]).toEqual([0, 0]);
    }
  expect(after.recMask!.filter((_, k) => k % (N + 1) === 0).every((m) => m === 0)).toBe(true); // no autapses
  after.inMask!.forEach((m, k) => m === 0 && expect(after.params.W_in[k]).toBe(0));
  after.outMask!.forEach((m, k) => m === 0 && expect(after.params.W_out[k]).toBe(0));
  for (let o = 0; o < 2; o++) for (let j = nE; j < N; j++) expect(eff.W_out[o * N + j]).toBe(0);
  expect(eff.W_in.every((w) => w >= 0)).toBe(true);
  const frozen = after.trainMask!.W_rec!;
  let changed = 0;
  frozen.forEach((m, k) => {
    if (m === 0) expect(Object.is(after.params.W_rec[k], before.params.W_rec[k])).toBe(true);
    else if (after.params.W_rec[k] !== before.params.W_rec[k]) changed++;
  });
  expect(changed).toBeGreaterThan(100); // the free entries did train
  after.trainMask!.alpha!.forEach((m, i) => m === 0 && expect(after.params.alpha[i]).toBe(before.params.alpha[i]));
  expect(after.params.alpha.every((a) => a > 0 && a <= 1)).toBe(true);
  expect(after.params.alpha.some((a, i) => a !== before.params.alpha[i])).toBe(true);
}

const PATHS: Array<[string, () => Backend, 'float32' | 'float64', number]> = [
  ['js float64', () => jsBackend, 'float64', 1],
  ['wasm-simd float32', () => createWasmBackend(), 'float32', 1],
  ['wasm-simd float32, 2 threads', () => createWasmBackend({ threads: 2 }), 'float32', 2],
];

describe.each(PATHS)('invariants under 300 Adam steps (%s)', (_name, backend, dtype) => {
  test.each(['rate', 'current'] as const)('%s formulation', (formulation) => {
    const model = constrained({ formulation, activation: formulation === 'current' ? 'relu' : 'tanh' }, dtype);
    const before = modelFromJson(modelToJson(model)).model;
    const trials = pulseTrials(32, 12, 5);
    const b = backend();
    const trainer = new Trainer(model, trials, { epochs: 150, batchSize: 16, seed: 2, adam: { lr: 0.02 } }, b);
    try {
      trainer.run();
    } finally {
      trainer.dispose();
    }
    expect(trainer.step).toBe(300);
    expect(trainer.history.at(-1)!.loss).toBeLessThan(trainer.history[0].loss);
    checkInvariants(before, model);
    expect(() => validateModel(model)).not.toThrow();
  });
});

test('a large learning rate drives a learnt α to the bounds, where it is clipped into (0, 1]', () => {
  const model = constrained({}, 'float64');
  const trainer = new Trainer(
    model,
    pulseTrials(16, 12, 5),
    { epochs: 40, batchSize: 16, adam: { lr: 0.5 } },
    jsBackend,
  );
  trainer.run();
  expect(model.params.alpha.every((a) => a > 0 && a <= 1)).toBe(true);
  expect(model.params.alpha.some((a) => a === 1 || a === 1e-6)).toBe(true);
});

test('a frozen entry keeps its bits even with eps = 0, where an update of 0/0 would be NaN', () => {
  const model = constrained({}, 'float64');
  const before = Float64Array.from(model.params.W_rec);
  new Trainer(model, pulseTrials(16, 12, 5), { epochs: 3, batchSize: 16, adam: { lr: 0.01, eps: 0 } }, jsBackend).run();
  model.trainMask!.W_rec!.forEach((m, k) => m === 0 && expect(Object.is(model.params.W_rec[k], before[k])).toBe(true));
});

describe('model files of constrained models', () => {
  test('round-trip every option, mask and α bit for bit (format version 3)', () => {
    const model = constrained({ readout: 'softmax', formulation: 'current' }, 'float64');
    const file = modelToJson(model, null, { note: 'x' });
    expect(file.version).toBe(3);
    const back = modelFromJson(JSON.parse(JSON.stringify(file))).model;
    expect(back.config).toEqual(model.config);
    expect(Array.from(back.params.flat)).toEqual(Array.from(model.params.flat));
    expect([back.inMask, back.recMask, back.outMask]).toEqual([model.inMask, model.recMask, model.outMask]);
    expect(back.trainMask).toEqual(model.trainMask);
    const trials = pulseTrials(4, 8, 1);
    expect(lossAndGradient(back, trials).loss).toBe(lossAndGradient(model, trials).loss);
  });

  test('a plain model is still written as version 2 with the keys it always had', () => {
    const model = createModel({ nIn: 2, nRec: 4, nOut: 1 });
    initialize(model, { seed: 1 });
    const file = modelToJson(model);
    expect(file.version).toBe(2);
    expect(Object.keys(file.config)).toEqual([
      'nIn',
      'nRec',
      'nOut',
      'alpha',
      'activation',
      'recurrentBias',
      'trainH0',
      'noiseStd',
      'dtype',
    ]);
    expect(Object.keys(file.params)).toEqual(['W_in', 'W_rec', 'b', 'W_out', 'b_out', 'h0']);
    expect(Object.keys(file)).toEqual(['format', 'version', 'config', 'init', 'params', 'recMask', 'meta', 'sha256']);
  });

  test('a version-2 file that claims a constrained option is refused', () => {
    const model = createModel({ nIn: 2, nRec: 4, nOut: 1, daleRatio: 0.5, dtype: 'float64' });
    const file = modelToJson(model) as unknown as Record<string, unknown>;
    const { sha256: _drop, ...rest } = file;
    rest.version = 1; // unsealed, so the check that remains is the version's
    expect(() => modelFromJson(rest)).toThrow(/constrained-model options \(daleRatio\) need format version 3/);
  });
});

test('per-output loss weights survive a model file, which then needs format version 3', () => {
  const model = createModel({ nIn: 2, nRec: 4, nOut: 3, outputWeights: [4, 1, 0.5] });
  const file = modelToJson(model);
  expect(file.version).toBe(3);
  expect(modelFromJson(JSON.parse(JSON.stringify(file))).model.config.outputWeights).toEqual([4, 1, 0.5]);
  expect(modelToJson(createModel({ nIn: 2, nRec: 4, nOut: 3 })).config).not.toHaveProperty('outputWeights');
});

describe('bad constraint input gets one clear line', () => {
  const base = { nIn: 2, nRec: 10, nOut: 2 };
  test.each([
    [{ daleRatio: 0 }, /daleRatio \(the excitatory fraction\) must be in \(0, 1\), got 0/],
    [{ daleRatio: 1 }, /must be in \(0, 1\), got 1/],
    [{ daleRatio: 1.5 }, /must be in \(0, 1\), got 1.5/],
    [{ daleRatio: 0.05 }, /gives 0 excitatory and 10 inhibitory units; Dale's law needs at least one of each/],
    [{ alpha: 0 }, /alpha \(dt\/tau\) must be in \(0, 1\]/],
    [{ trainAlpha: true }, /trainAlpha needs perUnitAlpha: true/],
    [{ readout: 'softmax', nOut: 1 }, /softmax \(cross-entropy\) needs at least 2 outputs/],
    [{ readout: 'logistic' }, /readout must be one of linear, sigmoid, softmax, got "logistic"/],
    [{ formulation: 'voltage' }, /formulation must be one of rate, current/],
    [{ activation: 'sigmoid' }, /activation must be one of tanh, relu, softplus, got "sigmoid"/],
    [{ regularizers: { l2Rate: -1 } }, /regularizers.l2Rate must be a finite number >= 0, got -1/],
    [{ regularizers: { l3: 1 } }, /regularizers has unknown key "l3"/],
    [{ outputWeights: [1] }, /outputWeights must be null or 2 numbers \(one per output\), got \[1\]/],
    [{ outputWeights: [1, -1] }, /outputWeights must be finite numbers >= 0, not all 0; got \[1,-1\]/],
    [{ outputWeights: [0, 0] }, /not all 0; got \[0,0\]/],
    [{ outputWeights: [1, 2], readout: 'softmax' }, /softmax readout's cross-entropy is one term per step/],
  ])('%j', (cfg, message) => {
    expect(() => createModel({ ...base, ...(cfg as RnnOptions) })).toThrow(message);
  });

  test('masks of the wrong shape or with values other than 0/1', () => {
    const model = createModel(base);
    expect(() => setConnectivity(model, { in: [1, 0, 1] })).toThrow(
      /input mask has 3 entries, but its shape 10x2 needs 20/,
    );
    expect(() => setConnectivity(model, { out: new Array(20).fill(0.5) })).toThrow(
      /output mask must hold only 0 and 1/,
    );
    expect(() => setTrainMask(model, { W_oops: [1] } as never)).toThrow(
      /trainable mask for unknown parameter "W_oops"/,
    );
  });

  test('targets a readout cannot take: outside [0, 1] for sigmoid, not probability vectors for softmax', () => {
    const sig = createModel({ ...base, readout: 'sigmoid', dtype: 'float64' });
    const t = pulseTrials(2, 5, 1);
    t.targets[3] = 1.5;
    expect(() => lossAndGradient(sig, t)).toThrow(/targets in \[0, 1\]; trial 0, step 1 has 1.5/);
    const soft = createModel({ ...base, readout: 'softmax', dtype: 'float64' });
    const u = pulseTrials(2, 5, 1);
    u.targets[0] = 0.5;
    expect(() => new Trainer(soft, u, {}, jsBackend)).toThrow(
      /targets that sum to 1 at every trained step; trial 0, step 0 sums to [01]\.5/,
    );
  });

  test('a per-unit α outside (0, 1] in a model handed in', () => {
    const model = createModel({ ...base, perUnitAlpha: true });
    model.params.alpha[3] = 1.2;
    expect(() => validateModel(model)).toThrow(/params.alpha\[3\] = 1.2\d* is outside \(0, 1\]/);
  });
});
