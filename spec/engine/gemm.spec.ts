/** The register-blocked product equals the naive reference in every transpose case, odd sizes, offsets, α, β. */
import { Rng } from '@rnnlab/engine';
import { gemmBlocked, gemmChecked, gemmNaive } from '@rnnlab/engine/advanced';
import { maxAbsDiff } from '../helpers/fixtures';

const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [9, 6, 13],
  [64, 50, 50],
  [17, 1, 33],
  [2, 31, 1],
];

describe.each([
  [false, false],
  [false, true],
  [true, false],
  [true, true],
])('gemm transA=%s transB=%s', (tA, tB) => {
  test.each(SHAPES)('M=%i N=%i K=%i: blocked equals naive, with offsets, padding and alpha/beta', (M, N, K) => {
    const rng = new Rng(`${M}-${N}-${K}`);
    const lda = (tA ? M : K) + 2,
      ldb = (tB ? K : N) + 1,
      ldc = N + 3;
    const offA = 5,
      offB = 3,
      offC = 7;
    const A = new Float64Array(offA + lda * (tA ? K : M)),
      B = new Float64Array(offB + ldb * (tB ? N : K));
    rng.fillNormal(A);
    rng.fillNormal(B);
    const C0 = new Float64Array(offC + ldc * M);
    rng.fillNormal(C0);
    for (const [alpha, beta] of [
      [1, 0],
      [0.5, 1],
      [-2, 0.25],
    ]) {
      const c1 = C0.slice(),
        c2 = C0.slice();
      gemmNaive(tA, tB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, c1, offC, ldc);
      gemmBlocked(tA, tB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, c2, offC, ldc);
      expect(maxAbsDiff(c2, c1)).toBeLessThan(1e-12 * Math.max(1, K));
      // untouched padding stays untouched
      for (let m = 0; m < M; m++)
        for (let j = N; j < ldc && offC + m * ldc + j < C0.length; j++)
          expect(c2[offC + m * ldc + j]).toBe(C0[offC + m * ldc + j]);
    }
  });
});

test('naive gemm computes a known 2×3 · 3×2 product', () => {
  const A = Float64Array.from([1, 2, 3, 4, 5, 6]); // [[1,2,3],[4,5,6]]
  const B = Float64Array.from([7, 8, 9, 10, 11, 12]); // [[7,8],[9,10],[11,12]]
  const C = new Float64Array(4);
  gemmNaive(false, false, 2, 2, 3, 1, A, 0, 3, B, 0, 2, 0, C, 0, 2);
  expect(Array.from(C)).toEqual([58, 64, 139, 154]);
});

test('beta = 0 ignores NaN already in C, as BLAS does', () => {
  const A = Float64Array.from([1, 2, 3, 4]);
  for (const g of [gemmNaive, gemmBlocked]) {
    const C = new Float64Array(4).fill(NaN);
    g(false, false, 2, 2, 2, 1, A, 0, 2, A, 0, 2, 0, C, 0, 2);
    expect(Array.from(C)).toEqual([7, 10, 15, 22]);
  }
});

test("the reference backend's checked gemm equals the naive one and refuses a product that does not fit", () => {
  const A = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const B = Float64Array.from([7, 8, 9, 10, 11, 12]);
  const C = new Float64Array(4);
  gemmChecked(false, false, 2, 2, 3, 1, A, 0, 3, B, 0, 2, 0, C, 0, 2);
  expect(Array.from(C)).toEqual([58, 64, 139, 154]);
  // One element too far: A read from offset 1 would run past its end.
  expect(() => gemmChecked(false, false, 2, 2, 3, 1, A, 1, 3, B, 0, 2, 0, C, 0, 2)).toThrow(
    /gemm: A \[2×3\] at offset 1 with leading dimension 3 does not fit its 6 elements/,
  );
  // A leading dimension shorter than a row, and a destination too small.
  expect(() => gemmChecked(false, true, 2, 2, 3, 1, A, 0, 2, B, 0, 3, 0, C, 0, 2)).toThrow(/gemm: A \[2×3\]/);
  expect(() => gemmChecked(false, false, 2, 2, 3, 1, A, 0, 3, B, 0, 2, 0, new Float64Array(3), 0, 2)).toThrow(
    /gemm: C \[2×2\]/,
  );
  // Transposed operands are checked in their stored shape.
  expect(() => gemmChecked(true, false, 3, 2, 2, 1, A, 0, 3, B, 0, 2, 0, new Float64Array(6), 0, 2)).not.toThrow();
  expect(() => gemmChecked(true, false, 3, 2, 2, 1, A, 0, 2, B, 0, 2, 0, new Float64Array(6), 0, 2)).toThrow(
    /gemm: Aᵀ \[2×3\]/,
  );
});
