/**
 * Data-parallel training over threads (engine/kernels/parallel.ts) computes the same minibatch loss and gradient as one
 * thread, up to float32 summation order, for odd batch sizes, masked connectivity, masked steps and every loss
 * normalisation; it trains the same curve; and its threads stop on dispose.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { MessageChannel, Worker } from 'worker_threads';
import { awaitStart, CTRL } from '../../engine/kernels/parallel';
import { createModel, initialize, LOSS_NORMALIZATIONS, Rng, setRecMask, Trainer, type Trials } from '@rnnlab/engine';
import {
  allocParamSet,
  createWorkspace,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  rnnBackward,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { createWasmBackend } from '@rnnlab/engine/node';

function trials(n: number, T: number, seed: number): Trials {
  const rng = new Rng(seed);
  const tr: Trials = {
    nTrials: n,
    nSteps: T,
    nIn: 2,
    nOut: 1,
    inputs: new Float64Array(n * T * 2),
    targets: new Float64Array(n * T),
    mask: new Float64Array(n * T),
  };
  rng.fillNormal(tr.inputs);
  rng.fillUniform(tr.targets, -1, 1);
  for (let i = 0; i < tr.mask.length; i++) tr.mask[i] = rng.uniform() < 0.2 ? 0 : 0.5 + rng.uniform();
  return tr;
}

const one = createWasmBackend();
const two = createWasmBackend({ threads: 2 });

test.each(LOSS_NORMALIZATIONS)(
  'with loss "%s", 2 threads give the 1-thread loss and gradient (odd batch, masked W_rec)',
  (norm) => {
    const model = createModel({ nIn: 2, nRec: 21, nOut: 1, alpha: 0.7, recurrentBias: true });
    initialize(model, { rec: 'normal', seed: 4 });
    setRecMask(
      model,
      Array.from({ length: 21 * 21 }, (_, i) => (i % 7 === 0 ? 0 : 1)),
    );
    const tr = trials(13, 17, 2);
    const order = Int32Array.from({ length: 13 }, (_, i) => 12 - i);
    const dp = two.createMinibatchGradient!(model.config, 13, 17);
    const g2 = allocParamSet(model.config);
    const loss2 = dp.lossAndGradient(model, tr, order, 0, 13, norm, g2, null);
    // The 1-thread reference: one forward + backward over the whole batch, in the same order.
    const ws = createWorkspace(model.config, 13, 17, one);
    loadTrials(ws, tr, order, 0, 13);
    rnnForward(model, ws, one);
    const loss1 = maskedMseForward(ws, 1, norm);
    const g1 = allocParamSet(model.config);
    maskedMseBackward(ws, 1, norm);
    rnnBackward(model, ws, g1, one);
    const dp3 = createWasmBackend({ threads: 3 }).createMinibatchGradient!(model.config, 13, 17); // shards of 5, 4, 4
    const g3 = allocParamSet(model.config);
    const loss3 = dp3.lossAndGradient(model, tr, order, 0, 13, norm, g3, null);
    expect(Math.abs(loss2 - loss1) / loss1).toBeLessThan(1e-6);
    expect(Math.abs(loss3 - loss1) / loss1).toBeLessThan(1e-6);
    for (const g of [g2, g3]) {
      let d = 0,
        m = 0;
      for (let i = 0; i < g1.flat.length; i++) {
        d = Math.max(d, Math.abs(g1.flat[i] - g.flat[i]));
        m = Math.max(m, Math.abs(g1.flat[i]));
      }
      expect(d / m).toBeLessThan(1e-5);
    }
    for (let i = 0; i < 21 * 21; i += 7) expect(g2.W_rec[i]).toBe(0);
    dp.destroy();
    dp3.destroy();
  },
);

test('per-output loss weights reach the training threads: a weight of 3 triples the loss and the gradient', () => {
  const grad = (outputWeights: number[] | null) => {
    const model = createModel({ nIn: 2, nRec: 9, nOut: 1, outputWeights });
    initialize(model, { rec: 'normal', seed: 6 });
    const dp = two.createMinibatchGradient!(model.config, 7, 5);
    const g = allocParamSet(model.config);
    const loss = dp.lossAndGradient(
      model,
      trials(7, 5, 3),
      Int32Array.from({ length: 7 }, (_, i) => i),
      0,
      7,
      'mask-sum',
      g,
      null,
    );
    dp.destroy();
    return { loss, g: g.flat };
  };
  const plain = grad(null),
    tripled = grad([3]);
  expect(Math.abs(tripled.loss / plain.loss - 3)).toBeLessThan(1e-6);
  for (let i = 0; i < plain.g.length; i++) expect(Math.abs(tripled.g[i] - 3 * plain.g[i])).toBeLessThan(1e-6);
});

test('a 2-thread Trainer follows the 1-thread loss curve over 30 steps, including a last batch of 1 trial', () => {
  const run = (backend: ReturnType<typeof createWasmBackend>) => {
    const model = createModel({ nIn: 2, nRec: 16, nOut: 1 });
    initialize(model, { rec: 'orthogonal', seed: 9 });
    const t = new Trainer(
      model,
      trials(33, 12, 5),
      {
        batchSize: 16,
        epochs: 10,
        adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' },
      },
      backend,
    );
    t.run({ maxSteps: 30 });
    t.dispose();
    return t.stepLosses;
  };
  const a = run(one),
    b = run(two);
  expect(b).toHaveLength(30);
  for (let i = 0; i < 30; i++) expect(Math.abs(a[i] - b[i]) / a[i]).toBeLessThan(1e-4);
});

test('a float64 model trains single-threaded even on a threaded backend (the WASM kernels are float32)', () => {
  const model = createModel({ nIn: 2, nRec: 8, nOut: 1, dtype: 'float64' });
  initialize(model, { seed: 1 });
  const t = new Trainer(model, trials(8, 5, 1), { batchSize: 8 }, two);
  expect(Number.isFinite(t.trainStep())).toBe(true);
});

const ROOT = path.resolve(__dirname, '..', '..');

test('a training thread that cannot start fails the call within seconds with its own error (no 10-minute wait)', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const ctrl = new Int32Array(memory.buffer, 64, 8);
  const { port1, port2 } = new MessageChannel();
  // workerData without params, grads or layout: the thread's start-up throws while it builds its views.
  const worker = new Worker(path.join(ROOT, 'engine', 'kernels', 'wasm-thread.js'), {
    transferList: [port2],
    workerData: { errorPort: port2, memory, ctrlAt: 64, config: { nIn: 1, nRec: 4, nOut: 1 } },
  });
  // The thread's own start-up error, not a time-out: the flag it set (-1) is what ended the wait.
  expect(() => awaitStart(ctrl, port1, 1, () => void worker.terminate())).toThrow(
    /training thread 1 could not start: .+/,
  );
  expect(Atomics.load(ctrl, CTRL.STARTED)).toBe(-1);
  port1.close();
});

// In a fresh Node process: jest's sandboxed process.env does not reach worker threads, a real environment does.
test.each([
  ['throws in a step', 'throw', /^training thread 1 failed: Error: injected fault$/],
  [
    'exits in the middle of a step',
    'exit',
    /^training thread 1 failed: the thread exited with code 3 during training$/,
  ],
])('a training thread that %s fails the step within seconds with its own error', (_what, fault, message) => {
  const program = `
    require('tsx/cjs');
    const e = require(${JSON.stringify(path.join(ROOT, 'engine/index.ts'))});
    const node = require(${JSON.stringify(path.join(ROOT, 'engine/node.ts'))});
    const B = 8, T = 6;
    const tr = { nTrials: B, nSteps: T, nIn: 1, nOut: 1, inputs: new Float64Array(B * T).fill(1),
      targets: new Float64Array(B * T), mask: new Float64Array(B * T).fill(1) };
    const m = e.createModel({ nIn: 1, nRec: 8, nOut: 1, dtype: 'float32' });
    e.initialize(m, { rec: 'normal', seed: 1 });
    const trainer = new e.Trainer(m, tr, { epochs: 2, batchSize: 8 }, node.createWasmBackend({ threads: 2 }));
    try { trainer.trainStep(); console.log('no error'); }
    catch (err) { console.log(JSON.stringify({ message: err.message })); }
    trainer.dispose();
  `;
  const r = spawnSync(process.execPath, ['-e', program], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60000,
    env: { ...process.env, RNNLAB_FAULT_THREAD: fault },
  });
  const got = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  expect(got.message).toMatch(message);
  // The failure ended the step (the process printed and exited by itself), not spawnSync's time-out.
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0); // the caller goes on after the failure
});
