/** The training loop: it learns, stops early, detects divergence, and resumes bit-exactly from a checkpoint. */
import {
  createModel,
  DivergenceError,
  initialize,
  jsBackend,
  Rng,
  type TrainConfig,
  Trainer,
  type Trials,
  trialsFingerprint,
} from '@rnnlab/engine';

/** A small delayed-copy task: output the sign of a pulse 3 steps later, held. */
function copyTrials(B: number, T: number, seed: number): Trials {
  const rng = new Rng(seed);
  const tr: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: 1,
    nOut: 1,
    inputs: new Float64Array(B * T),
    targets: new Float64Array(B * T),
    mask: new Float64Array(B * T).fill(1),
  };
  for (let b = 0; b < B; b++) {
    const s = rng.uniform() < 0.5 ? -1 : 1;
    tr.inputs[b * T + 2] = s;
    for (let t = 5; t < T; t++) tr.targets[b * T + t] = 0.5 * s;
    for (let t = 0; t < T; t++) tr.inputs[b * T + t] += 0.05 * rng.normal();
  }
  return tr;
}

function setup(extra: Partial<TrainConfig> = {}, noiseStd = 0.05) {
  const model = createModel({ nIn: 1, nRec: 12, nOut: 1, noiseStd, dtype: 'float64' });
  const init = initialize(model, { rec: 'orthogonal', seed: 3 });
  const trials = copyTrials(40, 15, 8);
  const cfg: Partial<TrainConfig> = {
    epochs: 6,
    batchSize: 16,
    seed: 21,
    adam: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 1e-3, convention: 'keras' },
    ...extra,
  };
  return { model, init, trials, cfg };
}

test('training lowers the loss on a delayed-response task', () => {
  const { model, init, trials, cfg } = setup({ epochs: 30 });
  const trainer = new Trainer(model, trials, cfg, jsBackend, init);
  trainer.run();
  expect(trainer.stopReason).toBe('epochs');
  expect(trainer.history).toHaveLength(30);
  expect(trainer.stepsPerEpoch).toBe(3); // 40 trials in batches of 16: 16 + 16 + 8
  expect(trainer.history[29].loss).toBeLessThan(0.3 * trainer.history[0].loss);
});

test('early stopping ends training after the first epoch whose mean loss is below the threshold', () => {
  const { model, init, trials, cfg } = setup({ epochs: 200, earlyStopLoss: 0.02 });
  const trainer = new Trainer(model, trials, cfg, jsBackend, init);
  trainer.run();
  expect(trainer.stopReason).toBe('early-stop');
  const last = trainer.history[trainer.history.length - 1].loss;
  expect(last).toBeLessThan(0.02);
  expect(trainer.history.slice(0, -1).every((h) => h.loss >= 0.02)).toBe(true);
});

test('a resumed run (checkpoint mid-epoch, through JSON) ends with the same bits as an uninterrupted one', () => {
  const a = setup();
  const straight = new Trainer(a.model, a.trials, a.cfg, jsBackend, a.init);
  straight.run();

  const b = setup();
  const first = new Trainer(b.model, b.trials, b.cfg, jsBackend, b.init);
  first.run({ maxSteps: 7 }); // 7 = two epochs and one step: mid-epoch, with noise and shuffling state in flight
  const json = JSON.stringify(first.toCheckpoint());
  const resumed = Trainer.fromCheckpoint(JSON.parse(json), setup().trials, jsBackend);
  resumed.run();

  expect(resumed.step).toBe(straight.step);
  expect(Buffer.from(resumed.model.params.flat.buffer).equals(Buffer.from(straight.model.params.flat.buffer))).toBe(
    true,
  );
  expect(resumed.stepLosses).toEqual(straight.stepLosses);
  expect(resumed.history).toEqual(straight.history);
});

test('run() says how it ended, checkpoints with a reason, and a stop request resumes to the same bits', () => {
  const a = setup();
  const straight = new Trainer(a.model, a.trials, a.cfg, jsBackend, a.init);
  const reasons: string[] = [];
  expect(straight.run({ checkpointEvery: 2, onCheckpoint: (_t, why) => reasons.push(why) })).toBe('done');
  // 6 epochs of 3 updates, a period of 2: periods at updates 2, 4, 8, 10, 14, 16, epoch ends at 3, 6, …, 18.
  expect(reasons.filter((r) => r === 'epoch')).toHaveLength(6);
  expect(reasons.filter((r) => r === 'period')).toHaveLength(6);

  const b = setup();
  const first = new Trainer(b.model, b.trials, b.cfg, jsBackend, b.init);
  let saved = '';
  const stop = first.run({
    shouldStop: () => first.step === 5,
    onCheckpoint: (t, why) => {
      if (why === 'stop') saved = JSON.stringify(t.toCheckpoint());
    },
  });
  expect(stop).toBe('stopped');
  expect(first.step).toBe(5);
  expect(first.run({ maxSteps: 1 })).toBe('paused');
  const resumed = Trainer.fromCheckpoint(JSON.parse(saved), setup().trials, jsBackend);
  expect(resumed.run()).toBe('done');
  expect(Buffer.from(resumed.model.params.flat.buffer).equals(Buffer.from(straight.model.params.flat.buffer))).toBe(
    true,
  );
});

test('resuming on different data is refused', () => {
  const { model, init, trials, cfg } = setup();
  const t = new Trainer(model, trials, cfg, jsBackend, init);
  t.run({ maxSteps: 1 });
  const other = copyTrials(40, 15, 9);
  expect(trialsFingerprint(other)).not.toBe(trialsFingerprint(trials));
  expect(() => Trainer.fromCheckpoint(JSON.parse(JSON.stringify(t.toCheckpoint())), other, jsBackend)).toThrow(
    /training data differ/,
  );
});

test('a diverging run stops with a DivergenceError and leaves the weights of the last good step', () => {
  const { model, init, trials } = setup({}, 0);
  const trainer = new Trainer(
    model,
    trials,
    {
      batchSize: 40,
      epochs: 50,
      adam: { lr: 1e6, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'keras' },
    },
    jsBackend,
    init,
  );
  // tanh saturates, so a huge learning rate alone need not give a non-finite loss; make the readout infinite.
  trainer.trainStep();
  model.params.W_out[0] = Infinity;
  const before = Float64Array.from(model.params.flat);
  let err: unknown;
  try {
    trainer.trainStep();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DivergenceError);
  expect((err as Error).message).toMatch(/training diverged: the loss is (NaN|Infinity) at epoch 2, step 2/);
  expect(Array.from(model.params.flat)).toEqual(Array.from(before));
});
