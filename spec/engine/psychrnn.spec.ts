/**
 * PsychRNN models in and out (issue 24, item 5; engine/io/psychrnn.ts):
 * - a PsychRNN-format file (spec/fixtures/psychrnn, made with NumPy by spec/reference/psychrnn/make_fixture.py) is
 *   imported and reproduces what PsychRNN's own simulator (simulation.py, BasicSimulator.run_trials, copied
 *   unchanged) computed with it, to 1e-10 in float64;
 * - an exported file is read by numpy.load (allow_pickle=False) with PsychRNN's keys, shapes and dtypes, and
 *   PsychRNN's simulator run on it (live, with python3-numpy) gives rnnlab's outputs and states to 1e-10;
 * - bad files and models that PsychRNN cannot run get one clear line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { unzipSync, zipSync } from 'fflate';
import {
  createModel,
  effectiveWeights,
  forward,
  initialize,
  Rng,
  setConnectivity,
  setRecMask,
  type Trials,
} from '@rnnlab/engine';
import { exportPsychRnn, importPsychRnn, readNpy, writeNpy } from '@rnnlab/engine/psychrnn';
import { fixturePath, flat, loadFixture, relErr } from '../helpers/fixtures';

const FIXTURE = 'psychrnn/basic_dale_masks';
const fx = loadFixture(`${FIXTURE}.json`);
const bytes = new Uint8Array(fs.readFileSync(fixturePath(`${FIXTURE}.npz`)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-psychrnn-'));

function trialsOf(x: number[][][], O: number): Trials {
  const B = x.length,
    T = x[0].length,
    I = x[0][0].length;
  return {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: Float64Array.from(flat(x)),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T).fill(1),
  };
}

/** A Python 3 with NumPy (Debian's python3-numpy, which .ci/system-deps.sh installs before the tests). */
function python(): string {
  for (const exe of ['/usr/bin/python3', 'python3'])
    if (spawnSync(exe, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return exe;
  throw new Error('no python3 with NumPy (apt-get install python3-numpy): the PsychRNN check needs it');
}

describe('import of a PsychRNN Basic model file', () => {
  const { model, used, ignored } = importPsychRnn(bytes, { alpha: fx.alpha });

  test('reproduces PsychRNN BasicSimulator.run_trials (outputs and states) to 1e-10 in float64', () => {
    const run = forward(model, trialsOf(fx.x, model.config.nOut));
    expect(relErr(run.outputs, flat(fx.outputs))).toBeLessThan(1e-10);
    expect(relErr(run.hidden, flat(fx.states))).toBeLessThan(1e-10);
  });

  test('reads the E/I split from Dale_rec, the masks from the connectivity arrays, and ignores the rest', () => {
    expect(model.config).toMatchObject({ formulation: 'current', activation: 'relu', daleRatio: 0.8, nRec: 10 });
    expect(used).toEqual(expect.arrayContaining(['W_in', 'W_rec', 'W_out', 'Dale_rec', 'rec_connectivity']));
    expect(ignored.sort()).toEqual(['W_rec/Adam', 'W_rec/Adam_1', 'transfer_function']);
    expect(model.recMask!.filter((_, k) => k % 11 === 0).every((m) => m === 0)).toBe(true);
    const file = readNpy(unzipEntry('W_rec.npy'), 'W_rec');
    expect(Array.from(effectiveWeights(model).W_rec)).toEqual(Array.from(file.data!));
  });
});

function unzipEntry(name: string): Uint8Array {
  return unzipSync(bytes)[name];
}

describe('export to PsychRNN', () => {
  function constrainedCurrent() {
    const m = createModel({
      nIn: 2,
      nRec: 9,
      nOut: 2,
      alpha: 0.3,
      activation: 'tanh',
      formulation: 'current',
      daleRatio: 0.7,
      recurrentBias: true,
      trainH0: true,
      dtype: 'float64',
    });
    const rng = new Rng(3);
    setRecMask(
      m,
      Array.from({ length: 81 }, () => (rng.uniform() < 0.25 ? 0 : 1)),
    );
    setConnectivity(m, { out: Array.from({ length: 18 }, () => (rng.uniform() < 0.2 ? 0 : 1)) });
    initialize(m, { seed: 2, gain: 1.5 });
    rng.fillNormal(m.params.b, 0.2);
    rng.fillUniform(m.params.h0, -0.5, 0.5);
    return m;
  }

  test('float64 round trip: the imported model is the exported one, bit for bit', () => {
    const m = constrainedCurrent();
    const back = importPsychRnn(exportPsychRnn(m, 'float64'), { alpha: 0.3, activation: 'tanh' }).model;
    expect(Array.from(effectiveWeights(back).W_rec)).toEqual(Array.from(effectiveWeights(m).W_rec));
    const t = trialsOf(
      fx.x.map((trial: number[][]) => trial.map((row) => row.slice(0, 2))),
      2,
    );
    expect(Array.from(forward(back, t).outputs)).toEqual(Array.from(forward(m, t).outputs));
  });

  test("numpy.load reads PsychRNN's keys, shapes and dtypes, and PsychRNN's simulator reproduces rnnlab", () => {
    const m = constrainedCurrent();
    const x = Array.from({ length: 3 }, (_, b) =>
      Array.from({ length: 20 }, (_, t) => [Math.sin(t + b), t % 3 === 0 ? 1 : 0]),
    );
    fs.writeFileSync(path.join(tmp, 'x.json'), JSON.stringify({ x }));
    const script = path.resolve(__dirname, '..', 'reference', 'psychrnn', 'run_simulator.py');
    const run = (dtype: 'float32' | 'float64') => {
      const file = path.join(tmp, `m-${dtype}.npz`);
      fs.writeFileSync(file, exportPsychRnn(m, dtype));
      const r = spawnSync(python(), [script, file, path.join(tmp, 'x.json'), '0.3', 'tanh'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout);
    };
    const f32 = run('float32');
    const N = 9;
    expect(f32.keys).toEqual({
      init_state: ['float32', [1, N]],
      W_in: ['float32', [N, 2]],
      W_rec: ['float32', [N, N]],
      W_out: ['float32', [2, N]],
      b_rec: ['float32', [N]],
      b_out: ['float32', [2]],
      Dale_rec: ['float32', [N, N]],
      Dale_out: ['float32', [N, N]],
      input_connectivity: ['float32', [N, 2]],
      rec_connectivity: ['float32', [N, N]],
      output_connectivity: ['float32', [2, N]],
      dale_ratio: ['float64', []],
    });
    const f64 = run('float64');
    const mine = forward(m, trialsOf(x, 2));
    expect(relErr(mine.outputs, flat(f64.outputs))).toBeLessThan(1e-10);
    expect(relErr(mine.hidden, flat(f64.states))).toBeLessThan(1e-10);
  });
});

describe('bad PsychRNN files and models get one clear line', () => {
  const base = () => unzipSync(bytes);
  const withEntries = (change: (files: Record<string, Uint8Array>) => void) => {
    const files = base();
    change(files);
    return zipSync(files, { level: 0 });
  };
  test.each([
    ['not a zip', () => new Uint8Array([1, 2, 3, 4]), /is not an \.npz file/],
    [
      'missing W_rec',
      () => withEntries((f) => delete f['W_rec.npy']),
      /W_rec is missing \(a PsychRNN Basic model file holds/,
    ],
    [
      'W_out of the wrong width',
      () => withEntries((f) => (f['W_out.npy'] = writeNpy(new Float64Array(2 * 7), [2, 7], 'float32'))),
      /W_out has shape \[2, 7\], expected \[2, 10\]/,
    ],
    [
      'b_rec of the wrong length',
      () => withEntries((f) => (f['b_rec.npy'] = writeNpy([1, 2], [2], 'float32'))),
      /b_rec has shape \[2\], expected \[10\]/,
    ],
    [
      'Dale_rec not E first',
      () =>
        withEntries((f) => {
          const d = new Float64Array(100);
          for (let i = 0; i < 10; i++) d[i * 11] = i % 2 ? 1 : -1;
          f['Dale_rec.npy'] = writeNpy(d, [10, 10], 'float32');
        }),
      /Dale_rec is not PsychRNN's diag/,
    ],
    [
      'a W_rec entry of the wrong sign',
      () =>
        withEntries((f) => {
          const w = readNpy(f['W_rec.npy'], 'x').data!;
          w[9] = 0.5; // row 0, column 9: an inhibitory unit's weight made positive
          f['W_rec.npy'] = writeNpy(w, [10, 10], 'float32');
        }),
      /W_rec\[0\]\[9\] = 0.5 has the wrong sign for its inhibitory presynaptic unit/,
    ],
  ])('%s', (_name, make, message) => {
    expect(() => importPsychRnn(make(), { alpha: 0.2 }, 'PsychRNN file "x.npz"')).toThrow(message);
  });

  test.each([
    [{ formulation: 'rate' as const }, /PsychRNN's Basic model is the current formulation/],
    [{ formulation: 'current' as const, perUnitAlpha: true }, /PsychRNN has one alpha for all units/],
    [{ formulation: 'current' as const, readout: 'softmax' as const, nOut: 2 }, /PsychRNN's Basic readout is linear/],
  ])('export refuses %j', (cfg, message) => {
    expect(() => exportPsychRnn(createModel({ nIn: 1, nRec: 4, nOut: 1, ...cfg }))).toThrow(message);
  });
});

describe("Dale's law initial balance", () => {
  test("'psychrnn' is PsychRNN's balance_dale_ratio (its NumPy lines, run live) to 1e-12", () => {
    const N = 12;
    const model = createModel({ nIn: 1, nRec: N, nOut: 1, daleRatio: 0.75, dtype: 'float64' });
    const rng = new Rng(4);
    const mask = Array.from({ length: N * N }, () => (rng.uniform() < 0.3 ? 0 : 1));
    setRecMask(model, mask);
    initialize(model, { seed: 5 });
    const drawn = Float64Array.from(model.params.W_rec);
    initialize(model, { seed: 5, daleBalance: 'psychrnn' });
    const rows = (a: ArrayLike<number>) => Array.from({ length: N }, (_, i) => Array.from(a).slice(i * N, i * N + N));
    const file = path.join(tmp, 'balance.json');
    fs.writeFileSync(file, JSON.stringify({ W_rec: rows(drawn), rec_connectivity: rows(mask), dale_ratio: 0.75 }));
    const script = path.resolve(__dirname, '..', 'reference', 'psychrnn', 'balance.py');
    const r = spawnSync(python(), [script, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    expect(relErr(model.params.W_rec, flat(JSON.parse(r.stdout)))).toBeLessThan(1e-12);
  });

  test("'row-zero' makes every row of W_rec* sum to zero, so no eigenvalue stands out from the bulk", () => {
    const N = 40;
    const model = createModel({ nIn: 1, nRec: N, nOut: 1, daleRatio: 0.8, dtype: 'float64' });
    initialize(model, { seed: 1, daleBalance: 'row-zero' });
    const W = effectiveWeights(model).W_rec;
    for (let i = 0; i < N; i++) {
      let s = 0,
        a = 0;
      for (let j = 0; j < N; j++) {
        s += W[i * N + j];
        a += Math.abs(W[i * N + j]);
      }
      expect(Math.abs(s)).toBeLessThan(1e-12 * a);
    }
  });
});

test('a transfer function rnnlab does not have is refused in one line', () => {
  expect(() => importPsychRnn(bytes, { alpha: 0.2, activation: 'sigmoid' as never })).toThrow(
    /transfer function "sigmoid" is not one rnnlab has \(tanh, relu, softplus\)/,
  );
});
