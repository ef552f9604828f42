/**
 * gpu.js pipelines (engine/kernels/gpujs-fused.ts): a minibatch's forward, loss and BPTT (or the forward pass alone)
 * recorded once and replayed with every intermediate on the device. On webgpu (Dawn on llvmpipe here) and webasm:
 * gpu.js' fused executor is the one that ran; the gradient of every parameter matches the PyTorch fixtures and the
 * float64 engine with every feature on (leak, bias, trainable h0, weighted and zero mask entries, 2 outputs,
 * recurrent noise from the same seeded stream, a connectivity mask, each activation, each loss normalisation); the
 * forward pipeline's outputs and states match PyTorch and feed the engine's BPTT; simulate and the Trainer run
 * through them. The kernels themselves also run on gpu.js' cpu mode (its generic executor).
 */
import { GPU } from 'gpu.js';
import {
  type Activation,
  createModel,
  initialize,
  lossAndGradient,
  type LossNormalization,
  referenceBackend,
  Rng,
  type RnnModel,
  setRecMask,
  simulate,
  Trainer,
  type Trials,
} from '@rnnlab/engine';
import {
  allocParamSet,
  createStepModel,
  createWorkspace,
  finishMinibatchObjective,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  readHidden,
  readOutputs,
  rnnBackward,
  rnnForward,
  stepModel,
} from '@rnnlab/engine/advanced';
import { ACTIVATION_CODES, createGpuJsBackend, createGradientPlan } from '@rnnlab/engine/gpujs';
import { generate, getTask } from '@rnnlab/tasks';
import { flat, relErr } from '../helpers/fixtures';
import { gradCase, PLAIN_PARAMS } from '../helpers/gradcase';

const EXECUTORS = { webgpu: ['fused-encoder'], webasm: ['fused-threaded', 'fused-sync'] } as const;

/** A small problem with every feature on; float32 weights so both paths see the same numbers. */
function featureCase(activation: Activation, noiseStd: number): { model: RnnModel; trials: Trials } {
  const N = 9,
    I = 3,
    O = 2,
    T = 11,
    B = 5;
  const model = createModel({
    nIn: I,
    nRec: N,
    nOut: O,
    alpha: 0.3,
    activation,
    recurrentBias: true,
    trainH0: true,
    noiseStd,
    dtype: 'float32',
  });
  initialize(model, { rec: 'normal', gain: 1.2, seed: 7 });
  const rng = new Rng('pipeline-case');
  for (let i = 0; i < model.params.flat.length; i++) model.params.flat[i] += 0.2 * rng.normal();
  setRecMask(
    model,
    Array.from({ length: N * N }, (_, i) => (i % 7 === 3 ? 0 : 1)),
  );
  const trials: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * T * I),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T),
  };
  rng.fillNormal(trials.inputs);
  rng.fillUniform(trials.targets, -1, 1);
  for (let i = 0; i < B * T; i++) trials.mask[i] = i % 6 === 0 ? 0 : 0.5 + (i % 3);
  return { model, trials };
}

/** The engine's own per-product path on the float64 reference backend (itself checked against PyTorch and FD). */
function referenceGradient(model: RnnModel, trials: Trials, norm: LossNormalization, rng: Rng | null) {
  const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps, referenceBackend);
  loadTrials(ws, trials);
  rnnForward(model, ws, referenceBackend, rng);
  const loss = maskedMseForward(ws, model.config.nOut, norm);
  maskedMseBackward(ws, model.config.nOut, norm);
  const grads = allocParamSet(model.config, 'float64');
  rnnBackward(model, ws, grads, referenceBackend);
  return { loss, grads };
}

describe.each(['webgpu', 'webasm'] as const)('gpu.js %s training pipeline', (mode) => {
  const backend = createGpuJsBackend(mode);
  afterAll(() => backend.destroy());
  const all = Int32Array.from({ length: 64 }, (_, i) => i);

  test.each(['case1_N8_I2_O1_T12_B3_a1.json', 'case2_N20_I3_O2_T50_B4_a0.2.json'])(
    'loss and every gradient of %s match PyTorch to float32 tolerance',
    (file) => {
      const { fx, model, trials } = gradCase(file, 'float32');
      const mg = backend.createMinibatchGradient!(model.config, trials.nTrials, trials.nSteps);
      const grads = allocParamSet(model.config);
      grads.flat.fill(123); // overwritten, not accumulated
      const loss = mg.lossAndGradient(model, trials, all, 0, trials.nTrials, 'mask-sum', grads, null);
      expect(EXECUTORS[mode]).toContain(mg.executor);
      expect(Math.abs(loss - fx.loss) / fx.loss).toBeLessThan(1e-5);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], flat(fx.grads[name]));
        if (!(err < 1e-4)) throw new Error(`${name}: relative error ${err}`);
      }
    },
  );

  test.each(['case1_N8_I2_O1_T12_B3_a1.json', 'case2_N20_I3_O2_T50_B4_a0.2.json'])(
    'the forward pass of %s runs as one pipeline: outputs and hidden states match PyTorch, and BPTT after it too',
    (file) => {
      const { fx, model, trials } = gradCase(file, 'float32');
      const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps, backend);
      loadTrials(ws, trials);
      rnnForward(model, ws, backend);
      expect(EXECUTORS[mode]).toContain(backend.forwardExecutor);
      expect(relErr(readOutputs(ws), flat(fx.forward.y))).toBeLessThan(1e-5);
      expect(relErr(readHidden(ws), flat(fx.forward.h))).toBeLessThan(1e-5);
      // rnnBackward (per product) reads h and r from the pipeline's pass.
      maskedMseBackward(ws, model.config.nOut, 'mask-sum');
      const grads = allocParamSet(model.config);
      rnnBackward(model, ws, grads, backend);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], flat(fx.grads[name]));
        if (!(err < 1e-4)) throw new Error(`${name}: relative error ${err}`);
      }
    },
  );

  test(
    'simulate (eval, reports) runs batches through the forward pipeline, the last one smaller, and agrees with ' +
      'float64',
    () => {
      const { model, trials } = featureCase('softplus', 0.05);
      // batches of 2, 2, 1
      const got = simulate(model, trials, backend, { batch: 2, hidden: true, rng: new Rng('sim') });
      const want = simulate(model, trials, referenceBackend, { batch: 2, hidden: true, rng: new Rng('sim') });
      expect(relErr(got.outputs, want.outputs)).toBeLessThan(1e-5);
      expect(relErr(got.hidden!, want.hidden!)).toBeLessThan(1e-5);
    },
  );

  test.each([
    ['tanh', 'mask-sum', 0],
    ['tanh', 'mask-nonzero', 0.05],
    ['relu', 'all-steps', 0],
    ['softplus', 'mask-sum', 0.05],
  ] as const)(
    '%s, %s loss, recurrent noise %s: every gradient matches the float64 engine',
    (activation, norm, noiseStd) => {
      const { model, trials } = featureCase(activation, noiseStd);
      const want = referenceGradient(model, trials, norm, noiseStd > 0 ? new Rng('noise') : null);
      const mg = backend.createMinibatchGradient!(model.config, trials.nTrials, trials.nSteps);
      const grads = allocParamSet(model.config);
      // The pipeline draws ξ from the caller's stream in the engine's order: the same seed gives the same noise.
      const loss = mg.lossAndGradient(
        model,
        trials,
        all,
        0,
        trials.nTrials,
        norm,
        grads,
        noiseStd > 0 ? new Rng('noise') : null,
      );
      expect(Math.abs(loss - want.loss) / want.loss).toBeLessThan(1e-5);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], want.grads[name]);
        if (!(err < 1e-4)) throw new Error(`${name}: relative error ${err}`);
      }
      // Removed connections get no gradient.
      model.recMask!.forEach((m, i) => {
        if (m === 0) expect(grads.W_rec[i]).toBe(0);
      });
    },
  );

  test('a minibatch taken out of order (order[start..start+count)) equals the same trials given directly', () => {
    const { model, trials } = featureCase('tanh', 0);
    const mg = backend.createMinibatchGradient!(model.config, 3, trials.nSteps);
    const order = Int32Array.from([4, 0, 3, 1, 2]);
    const a = allocParamSet(model.config),
      b = allocParamSet(model.config);
    const la = mg.lossAndGradient(model, trials, order, 1, 3, 'mask-sum', a, null); // trials 0, 3, 1
    const picked: Trials = {
      ...trials,
      nTrials: 3,
      inputs: new Float64Array(0),
      targets: new Float64Array(0),
      mask: new Float64Array(0),
    };
    const take = (src: Float64Array, per: number) =>
      Float64Array.from([0, 3, 1].flatMap((s) => Array.from(src.subarray(s * per, (s + 1) * per))));
    picked.inputs = take(trials.inputs, trials.nSteps * trials.nIn);
    picked.targets = take(trials.targets, trials.nSteps * trials.nOut);
    picked.mask = take(trials.mask, trials.nSteps);
    const want = referenceGradient(model, picked, 'mask-sum', null);
    expect(Math.abs(la - want.loss) / want.loss).toBeLessThan(1e-5);
    for (const name of PLAIN_PARAMS) expect(relErr(a[name], want.grads[name])).toBeLessThan(1e-4);
    // A second call on another batch shape records a second plan and leaves the first intact.
    mg.lossAndGradient(model, trials, order, 0, 2, 'mask-sum', b, null);
    expect(mg.lossAndGradient(model, trials, order, 1, 3, 'mask-sum', b, null)).toBe(la);
    expect(Array.from(b.flat)).toEqual(Array.from(a.flat));
  });

  test('the Trainer trains through the pipeline, and 50 steps of the AND task follow the float64 loss curve', () => {
    const model = createModel({ nIn: 2, nRec: 20, nOut: 1, dtype: 'float32' });
    initialize(model, { rec: 'orthogonal', seed: 3 });
    const trials = generate(getTask('and'), { nTrials: 80, seed: 2, params: { inputNoise: 0.1 } });
    const cfg = {
      epochs: 10,
      batchSize: 8,
      adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' as const },
    };
    const m64 = createModel({ ...model.config, dtype: 'float64' });
    m64.params.flat.set(model.params.flat);
    const a = new Trainer(m64, trials, cfg, referenceBackend);
    const b = new Trainer(model, trials, cfg, backend);
    a.run({ maxSteps: 50 });
    b.run({ maxSteps: 50 });
    expect(a.gradientPath).toBe('per-product');
    expect(EXECUTORS[mode].map((e) => `gpu.js pipeline (${e})`)).toContain(b.gradientPath);
    expect(Math.abs(a.stepLosses[0] - b.stepLosses[0]) / a.stepLosses[0]).toBeLessThan(1e-6);
    for (let i = 0; i < 50; i++)
      expect(Math.abs(a.stepLosses[i] - b.stepLosses[i]) / a.stepLosses[i]).toBeLessThan(1e-3);
    expect(b.stepLosses[49]).toBeLessThan(b.stepLosses[0]);
  });
});

test(
  'a process meeting more batch shapes than the plan cache keeps (8) re-records evicted plans, with the same ' +
    'results',
  () => {
    const b = createGpuJsBackend('webasm');
    const { model, trials } = featureCase('tanh', 0);
    const forward = (count: number) => {
      const ws = createWorkspace(model.config, count, trials.nSteps, b);
      loadTrials(ws, trials, undefined, 0, count);
      rnnForward(model, ws, b);
      return readOutputs(ws);
    };
    const first = forward(1);
    // 1 + 4 shapes, twice
    for (let round = 0; round < 2; round++) for (let count = 2; count <= 5; count++) forward(count);
    const model2 = createModel({ ...model.config, alpha: 1 }); // 5 more shapes (another α), pushing the first out
    model2.params.flat.set(model.params.flat);
    for (let count = 1; count <= 5; count++) {
      const ws = createWorkspace(model2.config, count, trials.nSteps, b);
      loadTrials(ws, trials, undefined, 0, count);
      rnnForward(model2, ws, b);
    }
    expect(Array.from(forward(1))).toEqual(Array.from(first));
    b.destroy();
  },
);

test('{ pipeline: false } trains per product (one kernel call each), as the cpu mode always does', () => {
  const off = createGpuJsBackend('webasm', { pipeline: false });
  const cpu = createGpuJsBackend('cpu');
  expect(off.pipelined).toBe(false);
  expect(off.createMinibatchGradient).toBeUndefined();
  expect(off.forwardPass).toBeUndefined();
  expect(cpu.createMinibatchGradient).toBeUndefined();
  expect(cpu.forwardPass).toBeUndefined();
  const model = createModel({ nIn: 2, nRec: 6, nOut: 1, dtype: 'float32' });
  const trials = generate(getTask('and'), { nTrials: 4, seed: 1 });
  expect(new Trainer(model, trials, { epochs: 1, batchSize: 4 }, off).gradientPath).toBe('per-product');
  off.destroy();
  cpu.destroy();
});

test(
  'the pipeline kernels on gpu.js cpu mode (generic executor, one kernel call at a time) give the same ' + 'gradient',
  async () => {
    const { model, trials } = featureCase('tanh', 0);
    const { B, T, N, I, O } = { B: trials.nTrials, T: trials.nSteps, N: 9, I: 3, O: 2 };
    const want = referenceGradient(model, trials, 'mask-sum', null);
    const gpu = new GPU({ mode: 'cpu' });
    const plan = createGradientPlan(gpu, {
      B,
      T,
      N,
      I,
      O,
      alpha: model.config.alpha,
      act: ACTIVATION_CODES.tanh,
      noise: 0,
    });
    const ws = createWorkspace(model.config, B, T);
    loadTrials(ws, trials);
    let D = 0;
    ws.mask_TxB.forEach((m) => {
      D += m;
    });
    D *= O;
    const f = (a: ArrayLike<number>) => Float32Array.from(a);
    const h0 = new Float32Array(B * N);
    for (let b = 0; b < B; b++) h0.set(model.params.h0, b * N);
    const p = model.params;
    const wT = Float32Array.from({ length: N * N }, (_, k) => p.W_rec[(k % N) * N + Math.floor(k / N)]);
    const out = await plan.run({
      x: f(ws.x_TxBxI),
      target: f(ws.target_TxBxO),
      weight: f(Array.from(ws.mask_TxB, (m) => m / D)),
      h0,
      W_recT: wT,
      W_rec: f(p.W_rec),
      W_in: f(p.W_in),
      b: f(p.b),
      W_out: f(p.W_out),
      b_out: f(p.b_out),
      noise: new Float32Array(1),
    });
    expect(plan.executorKind).toBe('generic');
    expect(plan.backend).toBe('cpu');
    const loss = out.lossPerTrial.reduce((s, v) => s + v, 0);
    expect(Math.abs(loss - want.loss) / want.loss).toBeLessThan(1e-5);
    const dWrec = new Float64Array(N * N);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) dWrec[i * N + j] = model.recMask![i * N + j] ? out.gRec[i * (N + I + 1) + j] : 0;
    expect(relErr(dWrec, want.grads.W_rec)).toBeLessThan(1e-4);
    expect(relErr(out.dh0, want.grads.h0)).toBeLessThan(1e-4);
    plan.destroy();
    gpu.destroy();
  },
);

describe('constrained models on the gpu.js pipeline (issue 24): supported, or refused in one line', () => {
  const trials = (O: number): Trials => ({
    nTrials: 4,
    nSteps: 6,
    nIn: 2,
    nOut: O,
    inputs: Float64Array.from({ length: 48 }, (_, i) => Math.sin(i)),
    targets: Float64Array.from({ length: 24 * O }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    mask: new Float64Array(24).fill(1),
  });
  test.each([
    [{ formulation: 'current' as const }, /does not support the current formulation/],
    [{ perUnitAlpha: true }, /does not support per-unit time constants/],
    [{ readout: 'sigmoid' as const }, /does not support the sigmoid readout/],
    [{ regularizers: { l2Rate: 0.1 } }, /does not support the rate regulariser/],
    [{ outputWeights: [4] }, /does not support per-output loss weights/],
  ])('training %j is refused', (cfg, message) => {
    const b = createGpuJsBackend('webasm');
    const model = createModel({ nIn: 2, nRec: 6, nOut: 1, ...cfg });
    initialize(model, { seed: 1 });
    expect(() => new Trainer(model, trials(1), { epochs: 1, batchSize: 4 }, b)).toThrow(message);
    b.destroy();
  });

  test("Dale's law and masks train on the pipeline: its gradient is the float64 engine's to float32 tolerance", () => {
    const b = createGpuJsBackend('webasm');
    const model = createModel({ nIn: 2, nRec: 8, nOut: 1, daleRatio: 0.75, alpha: 0.5 });
    setRecMask(
      model,
      Array.from({ length: 64 }, (_, i) => (i % 5 === 0 ? 0 : 1)),
    );
    initialize(model, { seed: 2, daleBalance: 'psychrnn' });
    const exact = lossAndGradient(model, trials(1));
    const mg = b.createMinibatchGradient!(model.config, 4, 6);
    const grads = allocParamSet(model.config);
    const run = stepModel(model, createStepModel(model));
    const part = mg.lossAndGradient(run, trials(1), [0, 1, 2, 3], 0, 4, 'mask-sum', grads, null);
    const loss = finishMinibatchObjective(model, run, grads, part);
    expect(Math.abs(loss - exact.loss) / exact.loss).toBeLessThan(1e-5);
    for (const name of PLAIN_PARAMS) expect(relErr(grads[name], exact.gradients[name])).toBeLessThan(1e-4);
    mg.destroy();
    b.destroy();
  });
});
