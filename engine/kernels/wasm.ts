/**
 * The WebAssembly SIMD backend (float32). The RNN workspace is allocated inside the module's shared memory, so the
 * kernels read and write it in place; operands that live elsewhere (the model's parameters, the gradient buffers)
 * are copied into a scratch area for the call and, for outputs, copied back. float64 operands run on the blocked JS
 * kernel (the WASM kernels are single precision).
 *
 * Shared memory is used because growing it never detaches the views already handed out (a SharedArrayBuffer keeps
 * its memory; `memory.buffer` just returns a larger one), so the allocator can grow without invalidating anything.
 *
 * Two builds of the same WAT: SIMD128 only, and with relaxed-SIMD fused multiply-adds in the GEMM (the default where
 * the process supports relaxed SIMD; the backend's name says which: `wasm-simd+fma` or `wasm-simd`).
 */
import { gemmBlocked, storedExtent, type Gemm } from './gemm';
import { WASM_SIMD_BASE64, WASM_SIMD_FMA_BASE64 } from './wasm-simd.bytes';
import type { Backend, FusedKernels, MinibatchGradient } from '../step/backend';
import type { RnnConfig } from '../core/config';
import { rOffset } from '../step/workspace';
import { RnnlabError, type DType, type FloatArray } from '../core/tensor';
import { sha256Hex } from '../io/sha256';
import { type KernelBuild, kernelBuildOf } from './provenance';

interface Exports {
  gemm_nn(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: number,
    sAm: number,
    sAk: number,
    B: number,
    ldb: number,
    beta: number,
    C: number,
    ldc: number,
  ): void;
  transpose(src: number, rows: number, cols: number, ld: number, dst: number): void;
  tanh(z: number): number;
  gemm_nt_dot(
    M: number,
    N: number,
    K: number,
    alpha: number,
    A: number,
    lda: number,
    B: number,
    ldb: number,
    beta: number,
    C: number,
    ldc: number,
  ): void;
  tanh_forward(
    R: number,
    Hp: number,
    Hn: number,
    bias: number,
    noise: number,
    B: number,
    N: number,
    alpha: number,
    alias: number,
  ): void;
  tanh_backward(D: number, carry: number, R: number, n: number, alpha: number): void;
  axpy(D: number, X: number, n: number, c: number): void;
  sum_squares(X: number, n: number): number;
}

/**
 * Rows of the reduction per kernel call. The weight-gradient products stream A and B with a row stride of N floats;
 * 32 rows of two 100-wide operands (25 kB) stay in the 32 kB L1 across all output blocks. Measured with
 * bench/kernels.ts at N=100: 34 GFLOP/s with 32 rows, 26-32 with 64-256 (the C tile reload per chunk is cheap).
 */
const K_CHUNK = 32;

const compiled = new Map<boolean, WebAssembly.Module>();
let relaxedSimd: boolean | null = null;

/**
 * Whether this process can run the relaxed-SIMD (fused multiply-add) kernels now. Only asks V8 (validates the
 * module, once; enableRelaxedSimd asks again after setting the flag); it changes nothing. Node 20's V8 (11.3) has
 * relaxed SIMD behind a flag: see enableRelaxedSimd.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxedSimd === null) relaxedSimd = WebAssembly.validate(base64Bytes(WASM_SIMD_FMA_BASE64));
  return relaxedSimd;
}

/** Ask V8 again on the next relaxedSimdSupported() (after enableRelaxedSimd, in kernels/wasm-node.ts, set its flag). */
export function forgetRelaxedSimdAnswer(): void {
  relaxedSimd = null;
}

const builds = new Map<boolean, string>();
/** The build id of a kernel: its name and the first 16 hex digits of its module's SHA-256 (of the base64 text). */
function wasmBuildId(fma: boolean): string {
  let id = builds.get(fma);
  if (!id) {
    const hash = sha256Hex(fma ? WASM_SIMD_FMA_BASE64 : WASM_SIMD_BASE64).slice(0, 16);
    id = `wasm-simd${fma ? '+fma' : ''} module sha256:${hash}`;
    builds.set(fma, id);
  }
  return id;
}

/** What a WebAssembly backend is called: its kernel build and, with more than one, its thread count. */
function wasmBackendName(fma: boolean, threads: number): string {
  return `wasm-simd${fma ? '+fma' : ''}${threads > 1 ? ` x${threads} threads` : ''}`;
}

/**
 * The build a default createWasmBackend() (one thread) has in this process, without creating one (which would
 * allocate its memory): what the paper's jobs train on, for the checks that compare records with it.
 */
export function wasmKernelBuild(): KernelBuild {
  const fma = relaxedSimdSupported();
  return kernelBuildOf({ name: wasmBackendName(fma, 1), build: wasmBuildId(fma) });
}

/** Bytes of a base64 string, with atob (Node ≥ 16 and every browser have it; Buffer is Node's alone). */
function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The kernels, assembled from wasm-simd.wat.ts by build-wasm.ts; each build compiled once per process. @internal */
function wasmSimdModule(fma = false): WebAssembly.Module {
  let m = compiled.get(fma);
  if (!m) {
    if (fma && !relaxedSimdSupported())
      throw new RnnlabError(
        'the fused multiply-add kernels need WebAssembly relaxed SIMD, which this Node/V8 does not provide; use fma: ' +
          'false',
      );
    m = new WebAssembly.Module(base64Bytes(fma ? WASM_SIMD_FMA_BASE64 : WASM_SIMD_BASE64));
    compiled.set(fma, m);
  }
  return m;
}

/**
 * A WebAssembly.Memory as the backend uses it: declared structurally so that the engine's types need neither the DOM
 * library nor a WebAssembly declaration in the consumer's TypeScript setup.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(delta: number): number;
}

export interface WasmBackend extends Backend {
  /** Float32 arrays inside the module's memory (float64 requests get ordinary arrays). */
  allocate(dtype: DType, length: number): FloatArray;
  /** Bytes of module memory in use. */
  readonly bytesAllocated: number;
  /** The kernel's own tanh, exposed for tests. */
  tanh(z: number): number;
  readonly memory: WasmMemory;
  /** The allocator's position; release(mark) frees everything allocated after it (stack order). */
  mark(): number;
  release(mark: number): void;
  /** Reserve `bytes` (16-byte aligned) of module memory; returns the byte address. */
  reserve(bytes: number): number;
  readonly threads: number;
  /** Whether the GEMM runs fused multiply-adds (relaxed SIMD). */
  readonly fma: boolean;
}

export interface WasmBackendOptions {
  /**
   * Training threads: 2 or more splits each minibatch across worker threads (engine/kernels/parallel.ts). Default 1.
   * Threads need Node's worker_threads, so only the /node entry's createWasmBackend accepts more than 1.
   */
  threads?: number;
  /** Run on this memory instead of a new one (a worker thread joining the main thread's memory). */
  memory?: WasmMemory;
  /** Allocate only inside [start, end) of the memory, never growing it (a worker's private scratch). */
  arena?: [number, number];
  /**
   * GEMM with fused multiply-adds (relaxed SIMD): about 1.3× faster, and rounds once per multiply-add instead of
   * twice, so its results differ in the last bits from the plain SIMD kernel. Default: on where the process
   * supports relaxed SIMD (relaxedSimdSupported()); `true` where it does not is an error.
   */
  fma?: boolean;
}

/**
 * The bump allocator over the module's shared memory: `reserve` hands out 16-byte-aligned byte ranges, growing the
 * memory as needed (each growth makes a new ArrayBuffer; `own` remembers them all, so views made before a growth
 * still count as inside), and `mark`/`release` free in stack order.
 */
function createArena(memory: WasmMemory, bounds?: [number, number]) {
  const own = new Set<ArrayBufferLike>([memory.buffer]);
  let top = bounds ? bounds[0] : 16; // keep address 0 free: 0 means "no array" (e.g. no noise) to the kernels
  function reserve(bytes: number): number {
    const at = Math.ceil(top / 16) * 16; // arithmetic, not `& ~15`: addresses pass 2^31
    const end = at + bytes;
    if (end > 65536 * 65536) throw new Error(`WebAssembly memory is limited to 4 GiB; ${end} bytes were asked for`);
    if (bounds && end > bounds[1])
      throw new Error(`wasm arena exhausted (${end - bounds[0]} of ${bounds[1] - bounds[0]} bytes)`);
    const have = memory.buffer.byteLength;
    if (end > have) {
      memory.grow(Math.ceil((end - have) / 65536));
      own.add(memory.buffer);
    }
    top = end;
    return at;
  }
  return {
    reserve,
    f32At: (ptr: number, length: number) => new Float32Array(memory.buffer, ptr, length),
    inMemory: (a: FloatArray): boolean => a instanceof Float32Array && own.has(a.buffer),
    get top() {
      return top;
    },
    release(mark: number) {
      if (!(mark <= top)) throw new Error('wasm allocator: release of a mark above the current top (not stack order)');
      top = mark;
    },
  };
}
type Arena = ReturnType<typeof createArena>;

/**
 * Operand staging: operands outside the module memory are copied into scratch slots (A, B, C, and one for
 * transposes), grown on demand and reused per call; operands already inside are used in place.
 */
function createStaging(arena: Arena) {
  const slots: Array<{ ptr: number; cap: number }> = [0, 1, 2, 3].map(() => ({ ptr: 0, cap: 0 }));
  function slot(i: number, length: number): number {
    const s = slots[i];
    if (s.cap < length) {
      s.cap = Math.max(length, 2 * s.cap, 1024);
      s.ptr = arena.reserve(4 * s.cap);
    }
    return s.ptr;
  }
  return {
    slot,
    /** Byte address of element `off` of `a`, copying `[off, off + extent)` into scratch slot `i` if needed. */
    stage(i: number, a: Float32Array, off: number, extent: number): number {
      if (arena.inMemory(a)) return a.byteOffset + 4 * off;
      const ptr = slot(i, extent);
      arena.f32At(ptr, extent).set(a.subarray(off, off + extent));
      return ptr;
    },
    /** Forget slots reserved at or above `mark` (the arena is being released to it). */
    dropAbove(mark: number) {
      for (const s of slots) {
        if (s.ptr >= mark) {
          s.ptr = 0;
          s.cap = 0;
        }
      }
    },
  };
}
type Staging = ReturnType<typeof createStaging>;

/**
 * GEMM dispatch: float32 operands go to the SIMD kernels (gemm_nn, or gemm_nt_dot for A·Bᵀ with few columns),
 * staged as needed; anything else (float64, both operands transposed, empty) takes the blocked JS kernel.
 */
function createGemmDispatch(k: Exports, arena: Arena, staging: Staging): Gemm {
  const { stage, slot } = staging;
  return (transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc) => {
    if (
      !(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array) ||
      (transA && transB) ||
      M === 0 ||
      N === 0
    ) {
      gemmBlocked(transA, transB, M, N, K, alpha, A, offA, lda, B, offB, ldb, beta, C, offC, ldc);
      return;
    }
    const pA = stage(0, A, offA, storedExtent(transA, M, K, lda));
    // A·Bᵀ with few columns (the readout: N = O outputs) runs as dot products along k; transposing B for gemm_nn
    // would leave it only its scalar tail.
    const dot = transB && N < 8;
    let pB: number, ldB: number;
    if (transB) {
      pB = stage(1, B, offB, storedExtent(true, K, N, ldb));
      ldB = ldb;
      if (!dot) {
        // op(B) = Bᵀ with B stored [N][K]: transpose into [K][N] so that the kernel reads unit stride along n.
        const src = pB;
        pB = slot(3, K * N);
        k.transpose(src, N, K, ldb, pB);
        ldB = N;
      }
    } else {
      pB = stage(1, B, offB, storedExtent(false, K, N, ldb));
      ldB = ldb;
    }
    const extentC = storedExtent(false, M, N, ldc);
    const cOwn = arena.inMemory(C);
    const pC = cOwn ? C.byteOffset + 4 * offC : slot(2, extentC);
    // Copy C in even when β = 0: the copy-back covers the whole strided extent, and the columns between rows
    // (ldc > N) must come back unchanged.
    if (!cOwn) arena.f32At(pC, extentC).set(C.subarray(offC, offC + extentC));
    if (dot) {
      k.gemm_nt_dot(M, N, K, alpha, pA, lda, pB, ldB, beta, pC, ldc);
    } else {
      // Long reductions (the weight gradients: K = T·B) are cut into chunks of K_CHUNK rows so that the slices of
      // A and B being streamed stay in cache across all the output blocks; chunk 2 onwards accumulates (β = 1).
      const sAm = transA ? 1 : lda,
        sAk = transA ? lda : 1;
      for (let k0 = 0; k0 < K; k0 += K_CHUNK) {
        const kc = Math.min(K_CHUNK, K - k0);
        k.gemm_nn(M, N, kc, alpha, pA + 4 * k0 * sAk, sAm, sAk, pB + 4 * k0 * ldB, ldB, k0 === 0 ? beta : 1, pC, ldc);
      }
    }
    if (!cOwn) C.set(arena.f32At(pC, extentC), offC);
  };
}

/**
 * The fused tanh time-step kernels (WAT tanh_forward / tanh_backward), taken when the workspace lives in the module
 * memory; they return false otherwise and the engine runs its own element-wise loop (engine/step/rnn.ts).
 */
function createFusedKernels(k: Exports, arena: Arena, staging: Staging): FusedKernels {
  const { inMemory } = arena;
  return {
    tanhForward(ws, p, t, alpha) {
      const { B, nRec: N } = ws;
      if (!(inMemory(ws.r_TxBxN) && inMemory(ws.h_T1xBxN) && p.b instanceof Float32Array)) return false;
      const BN = B * N;
      const bias = staging.stage(2, p.b, 0, N);
      const noise = ws.noise_TxBxN && inMemory(ws.noise_TxBxN) ? ws.noise_TxBxN.byteOffset + 4 * t * BN : 0;
      if (ws.noise_TxBxN && !noise) return false;
      const rt = ws.r_TxBxN.byteOffset + 4 * rOffset(ws, t);
      const h = ws.h_T1xBxN.byteOffset;
      k.tanh_forward(rt, h + 4 * t * BN, h + 4 * (t + 1) * BN, bias, noise, B, N, alpha, ws.rAliasesH ? 1 : 0);
      return true;
    },
    tanhBackward(ws, t, alpha) {
      if (!(inMemory(ws.delta_TxBxN) && inMemory(ws.carry_BxN) && inMemory(ws.r_TxBxN))) return false;
      const BN = ws.B * ws.nRec;
      k.tanh_backward(
        ws.delta_TxBxN.byteOffset + 4 * t * BN,
        ws.carry_BxN.byteOffset,
        ws.r_TxBxN.byteOffset + 4 * rOffset(ws, t),
        BN,
        alpha,
      );
      return true;
    },
    axpy(d, dAt, x, xAt, n, c) {
      if (!(inMemory(d) && inMemory(x))) return false;
      k.axpy(d.byteOffset + 4 * dAt, x.byteOffset + 4 * xAt, n, c);
      return true;
    },
    sumSquares(x, at, n) {
      return inMemory(x) ? k.sum_squares(x.byteOffset + 4 * at, n) : null;
    },
  };
}

/**
 * Splits each minibatch across training threads; engine/kernels/parallel.ts' createDataParallel (the /node entry) is
 * one.
 */
export type DataParallelFactory = (
  main: WasmBackend,
  config: RnnConfig,
  maxBatch: number,
  maxSteps: number,
  threads: number,
) => MinibatchGradient;

/**
 * The WebAssembly SIMD backend on one thread. It runs on shared WebAssembly memory, which Node and Chromium create on
 * any page; a browser that creates it only on cross-origin isolated pages (served with Cross-Origin-Opener-Policy:
 * same-origin and Cross-Origin-Embedder-Policy: require-corp) makes this fail with that advice. For training threads
 * use the /node entry's createWasmBackend.
 */
export function createWasmBackend(opts: WasmBackendOptions = {}): WasmBackend {
  return createWasmBackendWith(opts, null);
}

function sharedMemory(): WasmMemory {
  try {
    return new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  } catch (e) {
    throw new RnnlabError(
      `wasm-simd needs shared WebAssembly memory, which this context refuses (${(e as Error).message}); in a ` +
        `browser, serve the page cross-origin isolated (COOP: same-origin, COEP: require-corp), or use jsBackend`,
    );
  }
}

/** createWasmBackend with a way to run training threads (null: one thread only). */
export function createWasmBackendWith(opts: WasmBackendOptions, parallel: DataParallelFactory | null): WasmBackend {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  if (threads > 1 && !parallel)
    throw new RnnlabError(
      "training threads need Node's worker_threads: import createWasmBackend from '@rnnlab/engine/node' for threads " +
        '> 1',
    );
  const memory = opts.memory ?? sharedMemory();
  const fma = opts.fma ?? relaxedSimdSupported();
  const instance = new WebAssembly.Instance(wasmSimdModule(fma), { env: { memory } });
  const k = instance.exports as unknown as Exports;
  const arena = createArena(memory, opts.arena);
  const staging = createStaging(arena);
  const backend: WasmBackend = {
    name: wasmBackendName(fma, threads),
    build: wasmBuildId(fma),
    precision: 'float64', // float32 models run in the SIMD kernels; float64 operands take the blocked JS path
    gemm: createGemmDispatch(k, arena, staging),
    fused: createFusedKernels(k, arena, staging),
    allocate(dtype, length) {
      return dtype === 'float64' ? new Float64Array(length) : arena.f32At(arena.reserve(4 * length), length);
    },
    get bytesAllocated() {
      return arena.top;
    },
    mark: () => arena.top,
    release(mark) {
      arena.release(mark);
      staging.dropAbove(mark); // scratch reserved after the mark is gone too
    },
    tanh: (z) => k.tanh(z),
    memory,
    reserve: arena.reserve,
    threads,
    fma,
  };
  if (threads > 1) {
    backend.createMinibatchGradient = (config, maxBatch, maxSteps) =>
      parallel!(backend, config, maxBatch, maxSteps, threads);
  }
  return backend;
}
