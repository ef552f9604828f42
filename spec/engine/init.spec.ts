/** Initialisers: the statistics the paper relies on, orthogonality, and bit-reproducibility from a seed. */
import { createModel, initialize, Rng } from '@rnnlab/engine';
import { orthogonalMatrix } from '@rnnlab/engine/advanced';

function stats(a: ArrayLike<number>) {
  let s = 0,
    ss = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    ss += a[i] * a[i];
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(ss / a.length - mean * mean) };
}

test('orthogonal init gives QᵀQ = I to 1e-12 and entries of std 1/√N', () => {
  const n = 120;
  const q = orthogonalMatrix(n, 1, new Rng(3));
  let maxErr = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += q[k * n + i] * q[k * n + j];
      maxErr = Math.max(maxErr, Math.abs(dot - (i === j ? 1 : 0)));
    }
  expect(maxErr).toBeLessThan(1e-12);
  expect(stats(q).std).toBeCloseTo(1 / Math.sqrt(n), 2);
});

test('random-normal init has std g/√N (paper: 0.1414 at N=50)', () => {
  const model = createModel({ nIn: 2, nRec: 50, nOut: 1, dtype: 'float64' });
  initialize(model, { rec: 'normal', gain: 1, seed: 5 });
  const { mean, std } = stats(model.params.W_rec);
  expect(Math.abs(mean)).toBeLessThan(0.01);
  expect(Math.abs(std - 0.1414)).toBeLessThan(0.006);
});

test('glorot-uniform W_in stays inside ±√(6/(n_in+N)) (0.3397 for N=50, 2 inputs) and biases start at zero', () => {
  const model = createModel({ nIn: 2, nRec: 50, nOut: 1, recurrentBias: true, dtype: 'float64' });
  initialize(model, { rec: 'orthogonal', seed: 1 });
  const a = Math.sqrt(6 / 52);
  expect(a).toBeCloseTo(0.3397, 4);
  expect(Math.max(...Array.from(model.params.W_in, Math.abs))).toBeLessThanOrEqual(a);
  expect(Math.max(...Array.from(model.params.W_in, Math.abs))).toBeGreaterThan(0.8 * a);
  expect(Array.from(model.params.b).every((v) => v === 0)).toBe(true);
  expect(Array.from(model.params.h0).every((v) => v === 0)).toBe(true);
});

test('identity init is g·I', () => {
  const model = createModel({ nIn: 1, nRec: 4, nOut: 1, dtype: 'float64' });
  initialize(model, { rec: 'identity', gain: 0.5, seed: 1 });
  expect(Array.from(model.params.W_rec)).toEqual([0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5]);
});

test('the same seed gives the same bits; another seed does not', () => {
  const draw = (seed: number, rec: 'normal' | 'orthogonal') => {
    const m = createModel({ nIn: 2, nRec: 20, nOut: 1 });
    initialize(m, { rec, seed });
    return Buffer.from(m.params.flat.buffer).toString('hex');
  };
  for (const rec of ['normal', 'orthogonal'] as const) {
    expect(draw(9, rec)).toBe(draw(9, rec));
    expect(draw(9, rec)).not.toBe(draw(10, rec));
  }
});

test('an Rng restored from its saved state continues the same stream, including a cached normal', () => {
  const a = new Rng('x');
  a.normal(); // leaves a spare
  const saved = JSON.parse(JSON.stringify(a.state()));
  const b = new Rng('ignored', saved);
  for (let i = 0; i < 50; i++) expect(b.normal()).toBe(a.normal());
  expect(b.uniform()).toBe(a.uniform());
});
