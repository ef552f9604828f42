/** Linear algebra on matrices with known spectra, and on the authors' trained matrices against NumPy's eigvals. */
import { Rng } from '@rnnlab/engine';
import { eigenvalues, pca, symmetricEigen, type Complex } from '@rnnlab/analysis';
import { det as mathDet, multiply as mathMultiply, trace as mathTrace } from 'mathjs';
import { loadFixture } from '../helpers/fixtures';

/** Greedy multiset match: the largest distance from a reference eigenvalue to its nearest unused computed one. */
function multisetDistance(got: Complex[], ref: Array<[number, number]>): number {
  const used = new Set<number>();
  let worst = 0;
  for (const [re, im] of ref) {
    let best = -1,
      bd = Infinity;
    got.forEach((g, i) => {
      if (!used.has(i)) {
        const d = Math.hypot(g.re - re, g.im - im);
        if (d < bd) {
          bd = d;
          best = i;
        }
      }
    });
    used.add(best);
    worst = Math.max(worst, bd);
  }
  return worst;
}

test('a 2-D rotation by θ has eigenvalues e^{±iθ}', () => {
  const th = 0.3;
  const ev = eigenvalues([Math.cos(th), -Math.sin(th), Math.sin(th), Math.cos(th)], 2);
  expect(
    multisetDistance(ev, [
      [Math.cos(th), Math.sin(th)],
      [Math.cos(th), -Math.sin(th)],
    ]),
  ).toBeLessThan(1e-14);
});

test('a triangular matrix has its diagonal as eigenvalues', () => {
  const n = 7;
  const a = new Float64Array(n * n);
  const rng = new Rng(2);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = i === j ? i - 3.5 : rng.normal();
  expect(
    multisetDistance(
      eigenvalues(a, n),
      Array.from({ length: n }, (_, i) => [i - 3.5, 0] as [number, number]),
    ),
  ).toBeLessThan(1e-12);
});

test('a companion matrix has the roots of its polynomial: (x−1)(x+2)(x²+1)(x−0.5)', () => {
  // x^5 + 0.5x^4 - 2.5x^3 + 1.5x^2 - 3.5x + 1 … build the coefficients from the roots instead of by hand
  const roots: Array<[number, number]> = [
    [1, 0],
    [-2, 0],
    [0, 1],
    [0, -1],
    [0.5, 0],
  ];
  let poly: Array<[number, number]> = [[1, 0]]; // complex coefficients, highest degree first
  for (const [rr, ri] of roots) {
    const next: Array<[number, number]> = poly.map((c) => [c[0], c[1]] as [number, number]).concat([[0, 0]]);
    for (let i = 0; i < poly.length; i++) {
      next[i + 1][0] -= poly[i][0] * rr - poly[i][1] * ri;
      next[i + 1][1] -= poly[i][0] * ri + poly[i][1] * rr;
    }
    poly = next;
  }
  const n = roots.length;
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) a[j] = -poly[j + 1][0];
  for (let i = 1; i < n; i++) a[i * n + i - 1] = 1;
  expect(multisetDistance(eigenvalues(a, n), roots)).toBeLessThan(1e-10);
});

test(
  'a random orthogonal-like 200×200 Gaussian matrix: trace and determinant-free checks (Σλ = tr A, Σλ² = tr ' + 'A²)',
  () => {
    const n = 200,
      rng = new Rng(8),
      a = new Float64Array(n * n);
    rng.fillNormal(a, 1 / Math.sqrt(n));
    const ev = eigenvalues(a, n);
    let tr = 0,
      tr2 = 0;
    for (let i = 0; i < n; i++) {
      tr += a[i * n + i];
      for (let k = 0; k < n; k++) tr2 += a[i * n + k] * a[k * n + i];
    }
    const s1 = ev.reduce((s, e) => s + e.re, 0),
      s1i = ev.reduce((s, e) => s + e.im, 0);
    const s2 = ev.reduce((s, e) => s + e.re * e.re - e.im * e.im, 0);
    expect(Math.abs(s1 - tr)).toBeLessThan(1e-10);
    expect(Math.abs(s1i)).toBeLessThan(1e-10);
    expect(Math.abs(s2 - tr2)).toBeLessThan(1e-9);
    // circular law: spectral radius near 1
    const radius = Math.max(...ev.map((e) => Math.hypot(e.re, e.im)));
    expect(radius).toBeGreaterThan(0.85);
    expect(radius).toBeLessThan(1.2);
  },
);

describe.each(['and_trained', 'xor_trained', 'ff_trained', 'time_trained'])(
  "the authors' %s recurrent matrix",
  (id) => {
    test("has NumPy's eigenvalues (multiset, 1e-9) and spectral radius (1e-12)", () => {
      const fx = loadFixture(`keras/${id}.json`);
      const rk: number[][] = fx.weights.recurrent_kernel;
      const n = rk.length;
      const ev = eigenvalues(Float64Array.from(rk.flat()), n); // Keras layout is W_recᵀ: same spectrum
      expect(ev).toHaveLength(n);
      expect(multisetDistance(ev, fx.eigenvalues)).toBeLessThan(1e-9);
      const radius = Math.max(...ev.map((e) => Math.hypot(e.re, e.im)));
      expect(Math.abs(radius - fx.spectral_radius)).toBeLessThan(1e-12);
    });
  },
);

test('symmetric eigen: A V = V Λ and Vᵀ V = I', () => {
  const n = 30,
    rng = new Rng(1),
    b = new Float64Array(n * n);
  rng.fillNormal(b);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = b[i * n + j] + b[j * n + i];
  const { values, vectors } = symmetricEigen(s, n);
  for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  let worst = 0,
    orth = 0;
  for (let c = 0; c < n; c++)
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let k = 0; k < n; k++) av += s[i * n + k] * vectors[k * n + c];
      worst = Math.max(worst, Math.abs(av - values[c] * vectors[i * n + c]));
      let d = 0;
      for (let k = 0; k < n; k++) d += vectors[k * n + c] * vectors[k * n + i];
      orth = Math.max(orth, Math.abs(d - (c === i ? 1 : 0)));
    }
  expect(worst).toBeLessThan(1e-12);
  expect(orth).toBeLessThan(1e-12);
});

test('PCA recovers a planted 2-D structure: orthonormal axes, variances that sum to at most the total', () => {
  const T = 400,
    n = 10,
    rng = new Rng(3);
  const u = new Float64Array(n),
    v = new Float64Array(n);
  u[0] = 1;
  v[1] = Math.SQRT1_2;
  v[2] = Math.SQRT1_2;
  const x = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const a = 3 * Math.sin(0.05 * t),
      b = Math.cos(0.05 * t);
    for (let i = 0; i < n; i++) x[t * n + i] = 5 + a * u[i] + b * v[i] + 0.01 * rng.normal();
  }
  const p = pca(x, T, n, 3);
  expect(Math.abs(p.components[0])).toBeCloseTo(1, 3);
  expect(Math.abs(p.components[n + 1])).toBeCloseTo(Math.SQRT1_2, 3);
  const ev = Array.from(p.explainedVariance);
  expect(ev[0] + ev[1]).toBeGreaterThan(0.999 * p.totalVariance);
  expect(ev[0] + ev[1] + ev[2]).toBeLessThanOrEqual(p.totalVariance * (1 + 1e-12));
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += p.components[a * n + i] * p.components[b * n + i];
      expect(d).toBeCloseTo(a === b ? 1 : 0, 10);
    }
});

// mathjs is the independent cross-check, through identities its own LU and products compute: Σλ = tr A,
// Πλ = det A, Σλ² = tr A². (Its eigs, a different eigen-solver, fails to converge on most of these matrices from
// N ≈ 7 on, which is why analysis/linalg.ts has its own Francis QR.)
test.each([4, 12, 30, 50])(
  'eigenvalues of random non-symmetric N×N matrices (N = %i) satisfy trace, determinant and tr A² computed by mathjs',
  (N) => {
    for (const seed of [1, 2, 3]) {
      const rng = new Rng(100 * N + seed);
      const a = new Float64Array(N * N);
      rng.fillNormal(a, 1.2 / Math.sqrt(N));
      const rows = Array.from({ length: N }, (_, i) => Array.from(a.subarray(i * N, (i + 1) * N)));
      const ev = eigenvalues(a, N);
      expect(ev).toHaveLength(N);
      let sumRe = 0,
        sumIm = 0,
        sq = 0,
        prodRe = 1,
        prodIm = 0;
      for (const { re, im } of ev) {
        sumRe += re;
        sumIm += im;
        sq += re * re - im * im;
        [prodRe, prodIm] = [prodRe * re - prodIm * im, prodRe * im + prodIm * re];
      }
      const det = mathDet(rows) as number;
      expect(Math.abs(sumRe - (mathTrace(rows) as number))).toBeLessThan(1e-10);
      expect(Math.abs(sumIm)).toBeLessThan(1e-10);
      expect(Math.abs(sq - (mathTrace(mathMultiply(rows, rows)) as number))).toBeLessThan(1e-10);
      expect(Math.abs(prodRe - det)).toBeLessThan(1e-10 * Math.max(1, Math.abs(det)));
      expect(Math.abs(prodIm)).toBeLessThan(1e-10 * Math.max(1, Math.abs(det)));
    }
  },
);
