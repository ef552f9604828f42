/**
 * The authors' four trained Keras 2.0.6 networks (spec/fixtures/keras): import through the HDF5 metadata, run in
 * rnnlab on the trials their JSON describes, compare outputs and hidden trajectories (float64: 1e-10; float32
 * storage: 1e-5 outputs / 1e-4 states), and check that they solve their task on fresh noisy trials from our
 * generators. Malformed files get clear errors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsBackend, simulate, type Trials } from '@rnnlab/engine';
import { importKerasFile } from '@rnnlab/engine/node';
import { importKerasBuffer } from '@rnnlab/engine/keras';
import { accuracy, generate, getTask } from '@rnnlab/tasks';
import { fixturePath, flat, loadFixture } from '../helpers/fixtures';

const NETS: Array<[string, string, number]> = [
  ['and_trained', 'and', 0.1],
  ['xor_trained', 'xor', 0.1],
  ['ff_trained', 'ff', 0.1],
  ['time_trained', 'pulse', 0.03],
];

describe.each(NETS)('%s', (id, taskName, noise) => {
  const fx = loadFixture(`keras/${id}.json`);

  test('imports with the config and exactly the weights of the file (transposed to column-vector form)', () => {
    const { model, meta } = importKerasFile(fixturePath(`keras/${id}.hdf5`));
    expect(meta.kerasVersion).toBe('2.0.6');
    const ref = fx.meta.model.hdf5_weight_paths;
    const expected = [ref.kernel, ref.recurrent_kernel, ref.bias, ref.dense_kernel, ref.dense_bias]
      .filter((p) => p !== null)
      .map((p: string) => p.replace(/^\//, ''));
    expect(meta.weightPaths).toEqual(expected);
    const N = fx.meta.model.units_N,
      I = fx.meta.model.inputs_I;
    expect(model.config).toMatchObject({
      nRec: N,
      nIn: I,
      nOut: 1,
      alpha: 1,
      activation: 'tanh',
      recurrentBias: fx.meta.model.use_bias,
    });
    const rk: number[][] = fx.weights.recurrent_kernel,
      k: number[][] = fx.weights.kernel;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) expect(model.params.W_rec[i * N + j]).toBe(rk[j][i]);
    for (let i = 0; i < N; i++) for (let c = 0; c < I; c++) expect(model.params.W_in[i * I + c]).toBe(k[c][i]);
    expect(Array.from(model.params.W_out)).toEqual(flat(fx.weights.dense_kernel));
    expect(model.params.b_out[0]).toBe(fx.weights.dense_bias[0]);
  });

  test.each([
    ['float64', 1e-10, 1e-10],
    ['float32', 1e-5, 1e-4],
  ] as const)('in %s, reproduces the expected outputs and hidden trajectories', (dtype, tolOut, tolHidden) => {
    const { model } = importKerasFile(fixturePath(`keras/${id}.hdf5`), dtype);
    for (const trial of fx.trials) {
      const T = trial.inputs.length,
        I = trial.inputs[0].length;
      const trials: Trials = {
        nTrials: 1,
        nSteps: T,
        nIn: I,
        nOut: 1,
        inputs: Float64Array.from(flat(trial.inputs)),
        targets: new Float64Array(T),
        mask: new Float64Array(T).fill(1),
      };
      const { outputs, hidden } = simulate(model, trials, jsBackend, { hidden: true });
      let dOut = 0,
        dHid = 0;
      const h = flat(trial.hidden);
      for (let t = 0; t < T; t++) dOut = Math.max(dOut, Math.abs(outputs[t] - trial.output[t]));
      for (let i = 0; i < h.length; i++) dHid = Math.max(dHid, Math.abs(hidden![i] - h[i]));
      if (!(dOut <= tolOut && dHid <= tolHidden))
        throw new Error(`${trial.name}: output error ${dOut}, hidden error ${dHid}`);
    }
  });

  test(`solves fresh trials of our "${taskName}" generator with input noise σ = ${noise}`, () => {
    const { model } = importKerasFile(fixturePath(`keras/${id}.hdf5`));
    const task = getTask(taskName);
    const key = taskName === 'pulse' ? 'noise' : 'inputNoise';
    const trials = generate(task, { nTrials: 200, seed: 1234, params: { [key]: noise } });
    const { outputs } = simulate(model, trials, jsBackend);
    const acc = accuracy(task, trials, outputs);
    expect(acc.overall).toBeGreaterThanOrEqual(0.95);
    for (const c of Object.values(acc.perCondition)) expect(c.total).toBeGreaterThan(0);
  });
});

test('an untrained network of the same size fails the same success criterion (the criterion can fail)', () => {
  const { model } = importKerasFile(fixturePath('keras/and_trained.hdf5'));
  model.params.W_out.fill(0);
  const task = getTask('and');
  const trials = generate(task, { nTrials: 100, seed: 5 });
  const { outputs } = simulate(model, trials, jsBackend);
  expect(accuracy(task, trials, outputs).overall).toBeLessThan(0.9);
});

describe('malformed files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-h5-'));
  const good = fs.readFileSync(fixturePath('keras/and_trained.hdf5'));
  const ab = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

  test('random bytes are not an HDF5 file', () => {
    expect(() => importKerasBuffer(ab(Buffer.alloc(4096, 7)), 'junk.hdf5')).toThrow(
      '"junk.hdf5" is not an HDF5 file: no HDF5 signature at byte 0, 512, 1024, … (4096 bytes)',
    );
  });
  test('a truncated file is refused', () => {
    expect(() => importKerasBuffer(ab(good.subarray(0, 3000)), 'cut.hdf5')).toThrow(
      `"cut.hdf5" is truncated: its HDF5 superblock (byte 0) says the file ends at byte ${good.length}, but it has ` +
        `3000 bytes`,
    );
  });
  test('a JSON model renamed to .hdf5 is refused', () => {
    expect(() => importKerasBuffer(ab(Buffer.from('{"format":"rnnlab-model"}')), 'm.hdf5')).toThrow(
      /"m.hdf5" is not an HDF5 file: no HDF5 signature/,
    );
  });
  test('damage past the superblock is reported with the reader\'s own explanation, never "(undefined)"', () => {
    const damaged = Buffer.from(good);
    damaged.fill(0xff, 96, 4096);
    expect(() => importKerasBuffer(ab(damaged), 'dmg.hdf5')).toThrow(
      /^"dmg.hdf5" (is not a readable HDF5 file: the reader failed with "[^"]+"|has no model_config attribute)/,
    );
    expect(() => importKerasBuffer(ab(damaged), 'dmg.hdf5')).not.toThrow(/undefined/);
  });
  test('a model_config that describes another architecture is refused with what was found', () => {
    // Same bytes, with the SimpleRNN class name in the model_config attribute overwritten in place (same length).
    const patched = Buffer.from(good);
    const at = patched.indexOf('"SimpleRNN"');
    expect(at).toBeGreaterThan(0);
    patched.write('"SimpleXYZ"', at);
    expect(() => importKerasBuffer(ab(patched), 'odd.hdf5')).toThrow(
      '"odd.hdf5": only SimpleRNN + Dense models are supported, found [SimpleXYZ, Dense]',
    );
  });
  test('a missing file names the path', () => {
    expect(() => importKerasFile(path.join(dir, 'none.hdf5'))).toThrow(
      /cannot read Keras file .*none.hdf5": no such file/,
    );
  });
});
