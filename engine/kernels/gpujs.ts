/**
 * gpu.js kernels for the engine's matrix products (float32).
 *
 *   C[m][n] = α Σ_k op(A)[m][k] op(B)[k][n] + β C[m][n]       one gpu.js thread per output element (x = n, y = m)
 *
 * Modes: 'webasm' (WebAssembly SIMD, synchronous calls are single-threaded), 'cpu' (transpiled JavaScript, the
 * debugging reference), 'webgpu' (Dawn through the npm `webgpu` package: a real GPU over Vulkan, or Mesa's llvmpipe
 * over OpenGL ES; gpu.js' WebGPU kernels are asynchronous, so they run in a worker thread behind a blocking bridge,
 * kernels/gpujs-webgpu.ts), 'headlessgl' (needs the optional `gl` package built, and an X display), and 'auto'
 * (gpu.js' own choice). gpu.js falls back between modes silently, so the backend runs a probe kernel at creation,
 * reads the kernel class that actually ran, and refuses to start if it is not the mode that was asked for.
 *
 * This path allocates per call (gpu.js returns fresh output arrays; offsets become subarray views): it exists to run
 * the products on a real GPU where one is available, not to be the fast CPU path (that is kernels/wasm.ts).
 */
import { GPU, type IKernelFunctionThis, type IKernelRunShortcut } from 'gpu.js';
import { RnnlabError } from '../tensor';
import type { Backend } from '../backend';
import { storedExtent, storeScaled, type Gemm } from './gemm';
import { createWebGpuBridge } from './gpujs-webgpu';

export type GpuJsMode = 'webasm' | 'cpu' | 'headlessgl' | 'webgpu' | 'auto';
export const GPUJS_MODES: readonly GpuJsMode[] = ['webasm', 'cpu', 'headlessgl', 'webgpu', 'auto'];

/** Kernel class gpu.js uses for each mode. */
const KERNEL_CLASS: Record<string, string> = {
  WebAssemblyKernel: 'webasm', CPUKernel: 'cpu', HeadlessGLKernel: 'headlessgl', WebGPUKernel: 'webgpu', WebGL2Kernel: 'webgl2', WebGLKernel: 'webgl',
};

/**
 * The product kernel body. Operands are flat; op(A)[m][k] = a[m·sAm + k·sAk], op(B)[k][n] = b[k·sBk + n·sBn].
 * Exported so that spec/ can run it in gpu.js' cpu mode, as gpu.js recommends for debugging.
 */
export function gemmKernel(this: IKernelFunctionThis, a: number[], b: number[], K: number, sAm: number, sAk: number, sBk: number, sBn: number): number {
  let sum = 0;
  for (let k = 0; k < K; k++) {
    sum += a[this.thread.y * sAm + k * sAk] * b[k * sBk + this.thread.x * sBn];
  }
  return sum;
}

export interface GpuJsBackend extends Backend {
  /** The mode gpu.js actually runs, read from the kernel class ('webasm', 'cpu', ...). */
  readonly actualMode: string;
  readonly kernelClass: string;
  destroy(): void;
}

export interface GpuJsOptions {
  /** webgpu only: the Dawn backend to use, instead of trying Vulkan (where a driver is registered) then OpenGL ES. */
  dawnBackend?: 'vulkan' | 'opengles';
}

export function createGpuJsBackend(mode: GpuJsMode = 'auto', opts: GpuJsOptions = {}): GpuJsBackend {
  if (!GPUJS_MODES.includes(mode)) throw new RnnlabError(`gpu.js mode must be one of ${GPUJS_MODES.join(', ')}, got "${mode}"`);
  if (mode === 'webgpu') {
    const bridge = createWebGpuBridge(opts.dawnBackend);
    const actual = KERNEL_CLASS[bridge.kernelClass] ?? bridge.kernelClass;
    if (actual !== 'webgpu') {
      bridge.destroy();
      throw new RnnlabError(`gpu.js was asked for mode "webgpu" but built a ${bridge.kernelClass} (it falls back silently); refusing to run on the wrong backend`);
    }
    return {
      name: 'gpujs:webgpu', precision: 'float32', gemm: bridge.gemm, actualMode: actual, kernelClass: bridge.kernelClass,
      device: `${bridge.adapter.description} via Dawn ${bridge.adapter.backend}${bridge.adapter.compatibility ? ' (compatibility mode)' : ''}`,
      destroy: bridge.destroy,
    };
  }
  if (mode === 'headlessgl' && !GPU.isHeadlessGLSupported) {
    throw new RnnlabError('gpu.js mode "headlessgl" is not available here: the optional `gl` package is not built or there is no X display (run under xvfb-run with libxi-dev installed)');
  }
  const gpu = new GPU({ mode: mode === 'auto' ? 'gpu' : mode } as never);
  const kernel = gpu.createKernel(gemmKernel as never, {
    output: [1, 1], dynamicOutput: true, dynamicArguments: true, loopMaxIterations: 1 << 24, precision: 'single', tactic: 'precision',
  } as never) as unknown as IKernelRunShortcut & { kernel: { constructor: { name: string } }; setOutput(o: number[]): void };
  // Probe: one tiny product, to learn which kernel class gpu.js really built.
  kernel.setOutput([1, 1]);
  const probe = kernel(new Float32Array([2]) as never, new Float32Array([3]) as never, 1, 1, 1, 1, 1) as unknown as Float32Array[];
  const kernelClass = kernel.kernel.constructor.name;
  const actualMode = KERNEL_CLASS[kernelClass] ?? kernelClass;
  if (mode !== 'auto' && actualMode !== mode) {
    gpu.destroy();
    throw new RnnlabError(`gpu.js was asked for mode "${mode}" but built a ${kernelClass} (it falls back silently); refusing to run on the wrong backend`);
  }
  if (probe[0][0] !== 6) throw new RnnlabError(`gpu.js ${kernelClass} probe computed 2·3 = ${probe[0][0]}`);

  const gemm: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
    if (M === 0 || N === 0) return;
    const extA = storedExtent(transA, M, K, lda), extB = storedExtent(transB, K, N, ldb);
    const a = A instanceof Float32Array ? A.subarray(offA, offA + extA) : Float32Array.from(A.subarray(offA, offA + extA));
    const b = B instanceof Float32Array ? B.subarray(offB, offB + extB) : Float32Array.from(B.subarray(offB, offB + extB));
    kernel.setOutput([N, M]);
    const rows = kernel(a as never, b as never, K, transA ? 1 : lda, transA ? lda : 1, transB ? 1 : ldb, transB ? ldb : 1) as unknown as Float32Array[];
    storeScaled(M, N, alpha, (m) => rows[m], () => 0, beta, C, offC, ldc);
  };
  return {
    name: `gpujs:${actualMode}`, precision: 'float32', gemm, actualMode, kernelClass,
    destroy: () => gpu.destroy(),
  };
}
