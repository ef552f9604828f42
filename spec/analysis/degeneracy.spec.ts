/**
 * Solution degeneracy at three levels: the Hungarian assignment against brute force, CKA's invariances, and a
 * network against a relabelled, sign-flipped copy of itself (distance 0 at every level) and against another network.
 */
import { cloneModel, createModel, initialize, Rng, type RnnModel } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';
import { degeneracy, hungarian, linearCka, matchUnits } from '@rnnlab/analysis';

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]),
  );
}

test('the Hungarian assignment is optimal: brute force over every permutation, 30 random matrices up to 6 × 6', () => {
  const rng = new Rng(4);
  for (let trial = 0; trial < 30; trial++) {
    const n = 2 + (trial % 5);
    const cost = new Float64Array(n * n).map(() => rng.uniform() * 10);
    const total = (p: ArrayLike<number>) =>
      Array.from({ length: n }, (_, i) => cost[i * n + p[i]]).reduce((a, b) => a + b, 0);
    const best = Math.min(...permutations(n).map(total));
    const got = hungarian(cost, n);
    expect(new Set(got).size).toBe(n);
    expect(total(got)).toBeCloseTo(best, 10);
  }
});

test('linear CKA is 1 under rotation and scaling of the state space, and small for unrelated trajectories', () => {
  const rng = new Rng(7);
  const S = 400,
    N = 6;
  const h = new Float64Array(S * N).map(() => rng.normal());
  // A random rotation (QR of a Gaussian matrix by Gram–Schmidt).
  const q = new Float64Array(N * N).map(() => rng.normal());
  for (let j = 0; j < N; j++) {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < N; i++) d += q[i * N + j] * q[i * N + k];
      for (let i = 0; i < N; i++) q[i * N + j] -= d * q[i * N + k];
    }
    let nrm = 0;
    for (let i = 0; i < N; i++) nrm += q[i * N + j] ** 2;
    for (let i = 0; i < N; i++) q[i * N + j] /= Math.sqrt(nrm);
  }
  const rotated = new Float64Array(S * N);
  for (let s = 0; s < S; s++)
    for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) rotated[s * N + j] += 3.5 * h[s * N + i] * q[i * N + j];
  expect(linearCka(h, N, rotated, N, S)).toBeCloseTo(1, 12);
  const other = new Float64Array(S * N).map(() => rng.normal());
  expect(linearCka(h, N, other, N, S)).toBeLessThan(0.1);
});

function net(seed: number): RnnModel {
  const m = createModel({ nIn: 2, nRec: 12, nOut: 1, dtype: 'float64' });
  initialize(m, { rec: 'normal', gain: 1.3, seed });
  return m;
}

/** The same network with units renumbered by `perm` and the units in `flipped` sign-flipped (a symmetry of tanh). */
function relabelled(m: RnnModel, perm: number[], flipped: Set<number>): RnnModel {
  const c = cloneModel(m);
  const N = m.config.nRec,
    I = m.config.nIn;
  const s = (i: number) => (flipped.has(i) ? -1 : 1);
  // unit perm[i] of the copy is unit i of the original
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) c.params.W_rec[perm[i] * N + perm[j]] = s(i) * s(j) * m.params.W_rec[i * N + j];
    for (let k = 0; k < I; k++) c.params.W_in[perm[i] * I + k] = s(i) * m.params.W_in[i * I + k];
    c.params.W_out[perm[i]] = s(i) * m.params.W_out[i];
  }
  return c;
}

test('a relabelled, sign-flipped copy is the same solution at every level; another network is not', () => {
  const a = net(1);
  const perm = [3, 0, 7, 1, 11, 2, 9, 4, 10, 5, 8, 6];
  const copy = relabelled(a, perm, new Set([0, 4, 5]));
  const m = matchUnits(a, copy);
  expect(m.distance).toBeLessThan(1e-12);
  expect(Array.from(m.perm)).toEqual(perm);
  expect(Array.from(m.sign)).toEqual(perm.map((_, i) => ([0, 4, 5].includes(i) ? -1 : 1)));
  const trials = generate(getTask('and'), { nTrials: 8, seed: 3, params: { inputNoise: 0 } });
  const d = degeneracy([a, copy, net(2)], trials);
  const same = d.pairs.find((p) => p.a === 0 && p.b === 1)!;
  expect(same.behaviour).toBeLessThan(1e-12);
  expect(same.dynamics).toBeLessThan(1e-12);
  expect(same.weights).toBeLessThan(1e-12);
  // relabelling and sign flips are an orthogonal map of the hidden states: the same dynamics to DSA (the descent
  // stops at ~1e-3 near this degenerate minimum: the angle is the square root of the loss; other dynamics: ≫ 1e-2)
  expect(same.dsa).toBeLessThan(1e-2);
  expect(Number.isNaN(same.deltaWeights)).toBe(true); // no initial networks given
  const other = d.pairs.find((p) => p.a === 0 && p.b === 2)!;
  expect(other.behaviour).toBeGreaterThan(1e-3);
  expect(other.dynamics).toBeGreaterThan(1e-3);
  expect(other.weights).toBeGreaterThan(0.5); // two independent N(0, 1.3²/N) matrices: ≈ √2 before matching
  expect(other.dsa).toBeGreaterThan(1e-2);
  expect(d.mean.weights).toBeCloseTo((same.weights + other.weights + d.pairs[2].weights) / 3, 12);
});

test('the matched training change: the same change relabelled scores 0, independent changes about √2', () => {
  const a0 = net(1),
    b0 = net(2);
  const perm = [3, 0, 7, 1, 11, 2, 9, 4, 10, 5, 8, 6];
  const trained = (m: ReturnType<typeof net>, seed: number) => {
    const t = net(seed);
    t.params.W_rec.forEach((v, i) => (t.params.W_rec[i] = m.params.W_rec[i] + 0.3 * v));
    t.params.W_in.set(m.params.W_in);
    t.params.W_out.set(m.params.W_out);
    return t;
  };
  const a = trained(a0, 5);
  const flips = new Set([1, 2]);
  const trials = generate(getTask('and'), { nTrials: 4, seed: 3, params: { inputNoise: 0 } });
  // a relabelled copy of a (and of its initial network) has made the same change
  const d = degeneracy([a, relabelled(a, perm, flips), trained(b0, 6)], trials, {
    initial: [a0, relabelled(a0, perm, flips), b0],
    dsa: false,
  });
  expect(d.pairs[0].deltaWeights).toBeLessThan(1e-12);
  expect(Number.isNaN(d.pairs[0].dsa)).toBe(true);
  const independent = d.pairs.find((p) => p.a === 0 && p.b === 2)!.deltaWeights;
  expect(independent).toBeGreaterThan(1);
  expect(independent).toBeLessThan(1.6);
});
