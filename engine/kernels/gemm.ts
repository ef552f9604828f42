/**
 * General matrix products on flat row-major arrays, BLAS `?gemm` semantics:
 *
 *   C = alpha * op(A) * op(B) + beta * C        op(X) = X or Xᵀ,  op(A) is M×K, op(B) is K×N, C is M×N
 *
 * Arrays are addressed stdlib-style (array, offset, leading dimension) so that a caller can multiply a block of a
 * larger buffer (one time step of a [T][B][N] state tensor, say) without creating a view. Transposes are expressed
 * as strides, never as copies. `beta = 0` overwrites C without reading it (NaN in C does not leak), as BLAS does.
 *
 * Two kernels with one signature: `gemmNaive`, the algorithmic reference (triple loop, accumulates in doubles), and
 * `gemmBlocked`, a 4×4 register-blocked version that is ~4x faster in V8. `spec/engine/gemm.spec.ts` holds them equal.
 */
import { RnnlabError, type FloatArray } from '../core/tensor';

export type Gemm = (
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: FloatArray,
  offA: number,
  lda: number,
  B: FloatArray,
  offB: number,
  ldb: number,
  beta: number,
  C: FloatArray,
  offC: number,
  ldc: number,
) => void;

/** Reference: C[m][n] = alpha Σ_k op(A)[m][k] op(B)[k][n] + beta C[m][n], one output at a time. */
export const gemmNaive: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[offA + k * lda + m] : A[offA + m * lda + k];
        const b = transB ? B[offB + n * ldb + k] : B[offB + k * ldb + n];
        sum += a * b;
      }
      const ci = offC + m * ldc + n;
      C[ci] = beta === 0 ? alpha * sum : alpha * sum + beta * C[ci];
    }
  }
};

/**
 * The reference kernel with its shapes checked: every operand's rows must fit its leading dimension and its array
 * from the given offset, so a product written with a wrong size or offset fails with its shapes named instead of
 * reading a neighbouring buffer. The reference backend (and so every audit and spec on it) runs through this.
 */
export const gemmChecked: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
  const fits = (what: string, arr: FloatArray, off: number, rows: number, cols: number, ld: number) => {
    const last = rows > 0 && cols > 0 ? off + (rows - 1) * ld + cols : off;
    if (!(Number.isInteger(off) && off >= 0 && ld >= cols && last <= arr.length))
      throw new RnnlabError(
        `gemm: ${what} [${rows}×${cols}] at offset ${off} with leading dimension ${ld} does not fit its ` +
          `${arr.length} elements`,
      );
  };
  fits(transA ? 'Aᵀ' : 'A', A, offA, transA ? K : M, transA ? M : K, lda);
  fits(transB ? 'Bᵀ' : 'B', B, offB, transB ? N : K, transB ? K : N, ldb);
  fits('C', C, offC, M, N, ldc);
  gemmNaive(transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc);
};

/**
 * Register-blocked: each pass of the k loop loads 4 values of op(A) and 4 of op(B) and does 16 multiply-adds into
 * local accumulators (which V8 keeps in registers). All four transpose cases share this code through the strides
 *   op(A)[m][k] = A[offA + m*sAm + k*sAk],   op(B)[k][n] = B[offB + k*sBk + n*sBn].
 * Rows and columns left over from the 4×4 tiling go through the scalar loop at the end.
 */
export const gemmBlocked: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
  const sAm = transA ? 1 : lda;
  const sAk = transA ? lda : 1;
  const sBk = transB ? 1 : ldb;
  const sBn = transB ? ldb : 1;
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let m = 0; m < M4; m += 4) {
    const a0 = offA + m * sAm,
      a1 = a0 + sAm,
      a2 = a1 + sAm,
      a3 = a2 + sAm;
    for (let n = 0; n < N4; n += 4) {
      const b0 = offB + n * sBn,
        b1 = b0 + sBn,
        b2 = b1 + sBn,
        b3 = b2 + sBn;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0, ka = 0, kb = 0; k < K; k++, ka += sAk, kb += sBk) {
        const x0 = A[a0 + ka],
          x1 = A[a1 + ka],
          x2 = A[a2 + ka],
          x3 = A[a3 + ka];
        const y0 = B[b0 + kb],
          y1 = B[b1 + kb],
          y2 = B[b2 + kb],
          y3 = B[b3 + kb];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      const r0 = offC + m * ldc + n,
        r1 = r0 + ldc,
        r2 = r1 + ldc,
        r3 = r2 + ldc;
      if (beta === 0) {
        C[r0] = alpha * c00;
        C[r0 + 1] = alpha * c01;
        C[r0 + 2] = alpha * c02;
        C[r0 + 3] = alpha * c03;
        C[r1] = alpha * c10;
        C[r1 + 1] = alpha * c11;
        C[r1 + 2] = alpha * c12;
        C[r1 + 3] = alpha * c13;
        C[r2] = alpha * c20;
        C[r2 + 1] = alpha * c21;
        C[r2 + 2] = alpha * c22;
        C[r2 + 3] = alpha * c23;
        C[r3] = alpha * c30;
        C[r3 + 1] = alpha * c31;
        C[r3 + 2] = alpha * c32;
        C[r3 + 3] = alpha * c33;
      } else {
        C[r0] = alpha * c00 + beta * C[r0];
        C[r0 + 1] = alpha * c01 + beta * C[r0 + 1];
        C[r0 + 2] = alpha * c02 + beta * C[r0 + 2];
        C[r0 + 3] = alpha * c03 + beta * C[r0 + 3];
        C[r1] = alpha * c10 + beta * C[r1];
        C[r1 + 1] = alpha * c11 + beta * C[r1 + 1];
        C[r1 + 2] = alpha * c12 + beta * C[r1 + 2];
        C[r1 + 3] = alpha * c13 + beta * C[r1 + 3];
        C[r2] = alpha * c20 + beta * C[r2];
        C[r2 + 1] = alpha * c21 + beta * C[r2 + 1];
        C[r2 + 2] = alpha * c22 + beta * C[r2 + 2];
        C[r2 + 3] = alpha * c23 + beta * C[r2 + 3];
        C[r3] = alpha * c30 + beta * C[r3];
        C[r3 + 1] = alpha * c31 + beta * C[r3 + 1];
        C[r3 + 2] = alpha * c32 + beta * C[r3 + 2];
        C[r3 + 3] = alpha * c33 + beta * C[r3 + 3];
      }
    }
  }
  // Edges: columns N4..N-1 of the blocked rows, then every column of rows M4..M-1.
  gemmScalarRegion(0, M4, N4, N, K, alpha, A, offA, sAm, sAk, B, offB, sBk, sBn, beta, C, offC, ldc);
  gemmScalarRegion(M4, M, 0, N, K, alpha, A, offA, sAm, sAk, B, offB, sBk, sBn, beta, C, offC, ldc);
};

function gemmScalarRegion(
  m0: number,
  m1: number,
  n0: number,
  n1: number,
  K: number,
  alpha: number,
  A: FloatArray,
  offA: number,
  sAm: number,
  sAk: number,
  B: FloatArray,
  offB: number,
  sBk: number,
  sBn: number,
  beta: number,
  C: FloatArray,
  offC: number,
  ldc: number,
): void {
  for (let m = m0; m < m1; m++) {
    for (let n = n0; n < n1; n++) {
      let sum = 0;
      const a = offA + m * sAm,
        b = offB + n * sBn;
      for (let k = 0; k < K; k++) sum += A[a + k * sAk] * B[b + k * sBk];
      const ci = offC + m * ldc + n;
      C[ci] = beta === 0 ? alpha * sum : alpha * sum + beta * C[ci];
    }
  }
}

/**
 * Elements an operand spans from its offset: op(X) is rows×cols, stored with leading dimension ld, transposed or
 * not. What a backend that works on copies (WebAssembly staging, gpu.js uploads) must copy.
 */
export function storedExtent(trans: boolean, rows: number, cols: number, ld: number): number {
  return trans ? (cols - 1) * ld + rows : (rows - 1) * ld + cols;
}

/**
 * C[m][n] = α P[m][n] + β C[m][n] (C not read when β = 0) for a product P computed elsewhere (gpu.js): row m of P is
 * `row(m)` from index `rowStart(m)`.
 */
export function storeScaled(
  M: number,
  N: number,
  alpha: number,
  row: (m: number) => ArrayLike<number>,
  rowStart: (m: number) => number,
  beta: number,
  C: FloatArray,
  offC: number,
  ldc: number,
): void {
  for (let m = 0; m < M; m++) {
    const p = row(m),
      p0 = rowStart(m),
      c = offC + m * ldc;
    for (let n = 0; n < N; n++) C[c + n] = beta === 0 ? alpha * p[p0 + n] : alpha * p[p0 + n] + beta * C[c + n];
  }
}
