/**
 * The compute backend: where the engine's matrix products run. The RNN code (engine/rnn.ts) owns the time loop and
 * the element-wise work and calls `backend.gemm` for every product, so a backend is one function plus a name.
 *
 * `name` must state what actually ran (gpu.js falls back silently between modes; its backend reports the kernel
 * class it got, see engine/kernels/gpujs.ts).
 */
import { gemmBlocked, gemmNaive, type Gemm } from './kernels/gemm';

export interface Backend {
  /** What actually runs the products, e.g. 'reference', 'js', 'gpujs:webasm'. */
  readonly name: string;
  /** float64 backends compute in double; float32 ones (gpu.js) round every product to single. */
  readonly precision: 'float64' | 'float32';
  readonly gemm: Gemm;
}

/** Plain triple loops: the algorithmic reference and the audit path. Exact in float64. */
export const referenceBackend: Backend = { name: 'reference', precision: 'float64', gemm: gemmNaive };

/** Register-blocked typed-array loops: the default CPU backend. Computes in doubles whatever the storage type. */
export const jsBackend: Backend = { name: 'js', precision: 'float64', gemm: gemmBlocked };
