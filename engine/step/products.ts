/**
 * The RNN's matrix products by name, destination first, over the backend's BLAS-style kernel (kernels/gemm.ts). Each
 * is one `gemm` call with exactly the arguments rnn.ts used to spell out (the bits do not change); the name and the
 * shapes in the parameter names say what is multiplied, so a reader checks the algebra here once instead of 16
 * positional arguments at every call. A matrix inside a larger flat array is passed as the array and the offset of
 * its first element (no view object: these run inside the time loop, which allocates nothing). Row-major storage;
 * "stored [N][I]" is the parameter's own layout.
 *
 * Forward                                                  Backward
 *   inputProjection  z[TB×N]  = x[TB×I] · W_inᵀ             readoutBack       δ[TB×N]   = dy[TB×O] · W_out
 *   recurrentStep    z_t[B×N] += h_{t-1}[B×N] · W_recᵀ      recurrentBack     carry[B×N] += δ_t[B×N] · W_rec
 *   readout          y[TB×O]  = h[TB×N] · W_outᵀ            weightGrad        dW[M×N]  += a[TB×M]ᵀ · b[TB×N]
 */
import type { FloatArray } from '../core/tensor';
import type { Gemm } from '../kernels/gemm';

type F = FloatArray;

/** z_TBxN = x_TBxI · W_inᵀ (overwrites z). W_in is stored [N][I]. */
export function inputProjection(g: Gemm, z_TBxN: F, zAt: number, x_TBxI: F, W_in: F, TB: number, N: number, I: number) {
  g(false, true, TB, N, I, 1, x_TBxI, 0, I, W_in, 0, I, 0, z_TBxN, zAt, N);
}

/** z_BxN += h_BxN · W_recᵀ, with W_recᵀ stored N×N (the forward pass's copy, so the step reads rows). */
export function recurrentStep(g: Gemm, z_BxN: F, zAt: number, h_BxN: F, hAt: number, wRecT: F, B: number, N: number) {
  g(false, false, B, N, N, 1, h_BxN, hAt, N, wRecT, 0, N, 1, z_BxN, zAt, N);
}

/** y_TBxO = h_TBxN · W_outᵀ (overwrites y). W_out is stored [O][N]. */
export function readout(g: Gemm, y_TBxO: F, h_TBxN: F, hAt: number, W_out: F, TB: number, O: number, N: number) {
  g(false, true, TB, O, N, 1, h_TBxN, hAt, N, W_out, 0, N, 0, y_TBxO, 0, O);
}

/** δ_TBxN = dy_TBxO · W_out (overwrites δ): the readout's part of dL/dh for every step at once. */
export function readoutBack(g: Gemm, delta_TBxN: F, dy_TBxO: F, W_out: F, TB: number, N: number, O: number) {
  g(false, false, TB, N, O, 1, dy_TBxO, 0, O, W_out, 0, N, 0, delta_TBxN, 0, N);
}

/** carry_BxN += δ_BxN · W_rec: the recurrent part of dL/dh_{t-1}, with W_rec stored N×N (row = destination). */
export function recurrentBack(g: Gemm, carry_BxN: F, delta_BxN: F, dAt: number, wRec: F, B: number, N: number) {
  g(false, false, B, N, N, 1, delta_BxN, dAt, N, wRec, 0, N, 1, carry_BxN, 0, N);
}

/**
 * dW_MxN (+)= a_TBxMᵀ · b_TBxN: a weight gradient as one product over all T·B rows, b read from offset bAt.
 * `accumulate` false overwrites dW (a scratch transpose), true adds to it (the gradient buffers, zeroed by callers).
 */
export function weightGrad(
  g: Gemm,
  dW_MxN: F,
  a_TBxM: F,
  b_TBxN: F,
  bAt: number,
  M: number,
  N: number,
  TB: number,
  accumulate = true,
) {
  g(true, false, M, N, TB, 1, a_TBxM, 0, M, b_TBxN, bAt, N, accumulate ? 1 : 0, dW_MxN, 0, N);
}
