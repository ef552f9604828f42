/**
 * gpu.js kernels for the engine's matrix products (float32).
 *
 *   C[m][n] = α Σ_k op(A)[m][k] op(B)[k][n] + β C[m][n]       one gpu.js thread per output element (x = n, y = m)
 *
 * Modes: 'webasm' (WebAssembly SIMD, synchronous calls are single-threaded), 'cpu' (transpiled JavaScript, the
 * debugging reference), 'webgpu' (Dawn through the npm `webgpu` package: a real GPU over Vulkan, or Mesa's llvmpipe
 * over OpenGL ES; gpu.js' WebGPU kernels are asynchronous, so they run in a worker thread behind a blocking bridge,
 * kernels/gpujs-bridge.ts), 'headlessgl' (needs the optional `gl` package built, and an X display), and 'auto'
 * (gpu.js' own choice). gpu.js falls back between modes silently, so the backend runs a probe kernel at creation,
 * reads the kernel class that actually ran, and refuses to start if it is not the mode that was asked for.
 *
 * On webgpu and webasm, training steps and forward passes do not come here product by product: each runs as one
 * recorded gpu.js pipeline (kernels/gpujs-fused.ts, through the backend's createMinibatchGradient and forwardPass);
 * the product kernel serves the rest (BPTT after a pipelined forward pass, audits, { pipeline: false }).
 *
 * The product path allocates per call (gpu.js returns fresh output arrays; offsets become subarray views): it exists
 * to run on a real GPU where one is available, not to be the fast CPU path (that is kernels/wasm.ts).
 */
import * as gpujs from 'gpu.js';
import { GPU, type IKernelFunctionThis, type IKernelRunShortcut } from 'gpu.js';
import { RnnlabError } from '../core/tensor';
import type { Backend } from '../step/backend';
import { storedExtent, storeScaled, type Gemm } from './gemm';
import { createGpuJsThread, threadGemm, type GpuJsThread } from './gpujs-bridge';
import { createFusedGradient, fusedForward, pipelineUnsupported } from './gpujs-fused';

export type GpuJsMode = 'webasm' | 'cpu' | 'headlessgl' | 'webgpu' | 'auto';
export const GPUJS_MODES: readonly GpuJsMode[] = ['webasm', 'cpu', 'headlessgl', 'webgpu', 'auto'];

/** Kernel class gpu.js uses for each mode. */
/**
 * The kernel class gpu.js built, by `instanceof` against the classes gpu.js exports (a bundler or minifier renames
 * classes, so `constructor.name` cannot be trusted). Subclasses first: HeadlessGLKernel and WebGL2Kernel extend
 * WebGLKernel.
 */
export function kernelClassOf(kernel: object): string {
  const classes: Array<[string, unknown]> = [
    ['HeadlessGLKernel', gpujs.HeadlessGLKernel],
    ['WebGL2Kernel', gpujs.WebGL2Kernel],
    ['WebGLKernel', gpujs.WebGLKernel],
    ['WebGPUKernel', (gpujs as Record<string, unknown>).WebGPUKernel],
    ['WebAssemblyKernel', (gpujs as Record<string, unknown>).WebAssemblyKernel],
    ['CPUKernel', gpujs.CPUKernel],
  ];
  for (const [name, cls] of classes) if (typeof cls === 'function' && kernel instanceof cls) return name;
  return 'an unknown kernel class';
}

const KERNEL_CLASS: Record<string, string> = {
  WebAssemblyKernel: 'webasm',
  CPUKernel: 'cpu',
  HeadlessGLKernel: 'headlessgl',
  WebGPUKernel: 'webgpu',
  WebGL2Kernel: 'webgl2',
  WebGLKernel: 'webgl',
};

/**
 * The product kernel body. Operands are flat; op(A)[m][k] = a[m·sAm + k·sAk], op(B)[k][n] = b[k·sBk + n·sBn].
 * Exported so that spec/ can run it in gpu.js' cpu mode, as gpu.js recommends for debugging.
 */
export function gemmKernel(
  this: IKernelFunctionThis,
  a: number[],
  b: number[],
  K: number,
  sAm: number,
  sAk: number,
  sBk: number,
  sBn: number,
): number {
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
  /** Whether training and forward passes run as one pipeline each (createMinibatchGradient and forwardPass set). */
  readonly pipelined: boolean;
  /** gpu.js' executor of the last pipelined forward pass ('fused-encoder', ...), null before one ran. */
  readonly forwardExecutor: string | null;
  destroy(): void;
}

export interface GpuJsOptions {
  /** webgpu only: the Dawn backend to use, instead of trying Vulkan (where a driver is registered) then OpenGL ES. */
  dawnBackend?: 'vulkan' | 'opengles';
  /**
   * webgpu and webasm (also 'auto' where it resolves to webasm): run each training step and each forward pass as
   * one recorded gpu.js pipeline (kernels/gpujs-fused.ts), every intermediate resident on the device, instead of
   * one kernel call per product. Default true.
   */
  pipeline?: boolean;
}

/** The product kernel as gpu.js builds it, with the options every mode uses (sizes change per call; float32). */
export type GemmKernel = IKernelRunShortcut & {
  kernel: object;
  setOutput(o: number[]): void;
};
export function createGemmKernel(gpu: GPU): GemmKernel {
  return gpu.createKernel(
    gemmKernel as never,
    {
      output: [1, 1],
      dynamicOutput: true,
      dynamicArguments: true,
      loopMaxIterations: 1 << 24,
      precision: 'single',
      tactic: 'precision',
    } as never,
  ) as unknown as GemmKernel;
}

/** Arguments of the probe product 2·3 (1×1·1×1), which tells which kernel class gpu.js really built. */
export function probeArguments(): unknown[] {
  return [new Float32Array([2]), new Float32Array([3]), 1, 1, 1, 1, 1];
}

/**
 * The mode a kernel class stands for, after the probe. gpu.js falls back silently, so a class other than the one
 * asked for (or a wrong 2·3) stops the backend: `release` frees what was built, then this throws.
 */
function verifiedMode(asked: GpuJsMode, kernelClass: string, probe: number, release: () => void): string {
  const actual = KERNEL_CLASS[kernelClass] ?? kernelClass;
  let problem = '';
  if (asked !== 'auto' && actual !== asked)
    problem =
      `gpu.js was asked for mode "${asked}" but built a ${kernelClass} (it falls back silently); refusing to ` +
      `run on the wrong backend`;
  else if (probe !== 6) problem = `gpu.js ${kernelClass} probe computed 2·3 = ${probe}`;
  if (problem) {
    release();
    throw new RnnlabError(problem);
  }
  return actual;
}

export function createGpuJsBackend(mode: GpuJsMode = 'auto', opts: GpuJsOptions = {}): GpuJsBackend {
  if (!GPUJS_MODES.includes(mode))
    throw new RnnlabError(`gpu.js mode must be one of ${GPUJS_MODES.join(', ')}, got "${mode}"`);
  if (mode === 'webgpu') {
    const pipelined = opts.pipeline !== false;
    const thread = createGpuJsThread('webgpu', opts.dawnBackend);
    const actual = verifiedMode(mode, thread.kernelClass, thread.probe, thread.destroy);
    const adapter = thread.adapter!;
    return withPipelines(
      {
        name: 'gpujs:webgpu',
        precision: 'float32',
        gemm: threadGemm(thread),
        actualMode: actual,
        kernelClass: thread.kernelClass,
        pipelined,
        forwardExecutor: null,
        device:
          `${adapter.description} via Dawn ` +
          `${adapter.backend}${adapter.compatibility ? ' (compatibility mode)' : ''}`,
        destroy: thread.destroy,
      },
      () => thread,
    );
  }
  if (mode === 'headlessgl' && !GPU.isHeadlessGLSupported) {
    throw new RnnlabError(
      'gpu.js mode "headlessgl" is not available here: the optional `gl` package is not built or there is no X ' +
        'display (run under xvfb-run with libxi-dev installed)',
    );
  }
  const gpu = new GPU({ mode: mode === 'auto' ? 'gpu' : mode } as never);
  const kernel = createGemmKernel(gpu);
  kernel.setOutput([1, 1]);
  const probe = (kernel as unknown as (...a: unknown[]) => Float32Array[])(...probeArguments());
  const kernelClass = kernelClassOf(kernel.kernel);
  const actualMode = verifiedMode(mode, kernelClass, probe[0][0], () => gpu.destroy());

  const gemm: Gemm = (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
    if (M === 0 || N === 0) return;
    const extA = storedExtent(transA, M, K, lda),
      extB = storedExtent(transB, K, N, ldb);
    const a =
      A instanceof Float32Array ? A.subarray(offA, offA + extA) : Float32Array.from(A.subarray(offA, offA + extA));
    const b =
      B instanceof Float32Array ? B.subarray(offB, offB + extB) : Float32Array.from(B.subarray(offB, offB + extB));
    kernel.setOutput([N, M]);
    const rows = kernel(
      a as never,
      b as never,
      K,
      transA ? 1 : lda,
      transA ? lda : 1,
      transB ? 1 : ldb,
      transB ? ldb : 1,
    ) as unknown as Float32Array[];
    storeScaled(
      M,
      N,
      alpha,
      (m) => rows[m],
      () => 0,
      beta,
      C,
      offC,
      ldc,
    );
  };
  // webasm pipelines are asynchronous too (their worker pool answers a Promise): they run in a thread of their own,
  // started when the first pipeline is needed.
  let thread: GpuJsThread | null = null;
  // 'auto' pipelines too where it resolved to webasm (gpu.js' own choice here).
  const pipelinedHere = actualMode === 'webasm' && opts.pipeline !== false;
  const backend: GpuJsBackend = {
    name: `gpujs:${actualMode}`,
    precision: 'float32',
    gemm,
    actualMode,
    kernelClass,
    pipelined: pipelinedHere,
    forwardExecutor: null,
    destroy: () => {
      gpu.destroy();
      thread?.destroy();
    },
  };
  return withPipelines(backend, () => {
    if (!thread) {
      thread = createGpuJsThread('webasm');
      verifiedMode('webasm', thread.kernelClass, thread.probe, () => thread?.destroy());
    }
    return thread;
  });
}

/** A pipelined backend gets its whole-minibatch gradient and whole forward pass, both run by `thread()`. */
function withPipelines(backend: GpuJsBackend, thread: () => GpuJsThread): GpuJsBackend {
  if (!backend.pipelined) return backend;
  const b = backend as { -readonly [K in keyof GpuJsBackend]: GpuJsBackend[K] };
  b.createMinibatchGradient = (config, maxBatch, maxSteps) => createFusedGradient(thread(), config, maxBatch, maxSteps);
  b.forwardPass = (model, ws) => {
    if (ws.dtype !== 'float32') return false; // the pipeline computes in float32; float64 workspaces take the loop
    // What the pipeline does not compute runs in the engine's own loop, its products still on gpu.js
    if (pipelineUnsupported(model.config)) return false;
    b.forwardExecutor = fusedForward(thread(), model, ws);
    return true;
  };
  return b;
}
