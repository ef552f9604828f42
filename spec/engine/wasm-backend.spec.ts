/**
 * The WebAssembly SIMD backend: its committed binary is the assembly of its WAT source, its products equal the
 * naive reference in every case the engine uses (operands inside and outside the module memory, leftover rows and
 * columns, long reductions), its tanh is within a few float32 ulp, and training on it follows the JS backend.
 */
import { assembleWasmSimd, assembleWat, WAT_FILES, WAT_HEADER } from '../../engine/kernels/build-wasm';
import {
  axpyWat,
  gemmNtDotWat,
  gemmScalarWat,
  tanhBackwardWat,
  sumSquaresWat,
  tanhForwardWat,
  transposeWat,
  wasmSimdWat,
} from '../../engine/kernels/wasm-simd.wat';
import * as fs from 'fs';
import { WASM_SIMD_BASE64, WASM_SIMD_FMA_BASE64 } from '../../engine/kernels/wasm-simd.bytes';
import {
  createModel,
  createWasmBackend,
  initialize,
  jsBackend,
  relaxedSimdSupported,
  Rng,
  simulate,
  Trainer,
} from '@rnnlab/engine';
import { gemmNaive } from '@rnnlab/engine/advanced';
import { generate, getTask } from '@rnnlab/tasks';
import { WASM_BUILDS } from '../helpers/backends';

const wasm = createWasmBackend();

test(
  "the committed .wat files are the generators' output, and the committed bytes are their assembly (run npm run " +
    'build:wasm after edits)',
  async () => {
    const plain = fs.readFileSync(WAT_FILES.plain, 'utf8'),
      fma = fs.readFileSync(WAT_FILES.fma, 'utf8');
    expect(plain).toBe(WAT_HEADER + wasmSimdWat() + '\n');
    expect(fma).toBe(WAT_HEADER + wasmSimdWat({ fma: true }) + '\n');
    expect(Buffer.from(await assembleWat(plain, false)).toString('base64')).toBe(WASM_SIMD_BASE64);
    expect(Buffer.from(await assembleWat(fma, true)).toString('base64')).toBe(WASM_SIMD_FMA_BASE64);
    expect(Buffer.from(await assembleWasmSimd()).toString('base64')).toBe(WASM_SIMD_BASE64);
  },
);

test('the module is the generators of its functions, in order; each exported function has its own', () => {
  const wat = wasmSimdWat();
  const parts = [gemmScalarWat(), gemmNtDotWat(), transposeWat(), tanhForwardWat(), tanhBackwardWat(), axpyWat()];
  for (const part of [...parts, sumSquaresWat()]) expect(wat).toContain(part);
  const names = ['gemm_nn', 'gemm_nt_dot', 'transpose', 'tanh', 'tanh_forward', 'tanh_backward', 'axpy'];
  for (const name of [...names, 'sum_squares']) {
    expect(wat.split(`(func (export "${name}")`)).toHaveLength(2);
  }
});

test('the default build is the fused one exactly where relaxed SIMD is available, and the name says which ran', () => {
  expect(wasm.fma).toBe(relaxedSimdSupported());
  expect(wasm.name).toBe(relaxedSimdSupported() ? 'wasm-simd+fma' : 'wasm-simd');
  expect(createWasmBackend({ fma: false }).name).toBe('wasm-simd');
  // Node 20 needs V8's flag for relaxed SIMD; the engine sets it itself, so on this Node the fused build must load.
  if (Number(process.versions.node.split('.')[0]) >= 20) expect(relaxedSimdSupported()).toBe(true);
});

// relaxed_madd may be fused or not, at V8's choice per CPU: on a CPU with FMA3 it is fused (one rounding), so the
// two builds must then give different bits somewhere; this is what shows the fused kernel is the one that ran.
const cpuHasFma =
  fs.existsSync('/proc/cpuinfo') && /^flags\s*:.*\bfma\b/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
(relaxedSimdSupported() && cpuHasFma ? test : test.skip)(
  'on this FMA CPU the fused build rounds differently from the plain one (it really runs fused multiply-adds)',
  () => {
    const plain = createWasmBackend({ fma: false }),
      fused = createWasmBackend({ fma: true });
    const rng = new Rng(9);
    const A = new Float32Array(64 * 100),
      B = new Float32Array(100 * 100);
    rng.fillNormal(A);
    rng.fillNormal(B);
    const c1 = new Float32Array(64 * 100),
      c2 = new Float32Array(64 * 100);
    plain.gemm(false, false, 64, 100, 100, 1, A, 0, 100, B, 0, 100, 0, c1, 0, 100);
    fused.gemm(false, false, 64, 100, 100, 1, A, 0, 100, B, 0, 100, 0, c2, 0, 100);
    let differ = 0;
    for (let i = 0; i < c1.length; i++) if (c1[i] !== c2[i]) differ++;
    expect(differ).toBeGreaterThan(c1.length / 10);
  },
);

const CASES: Array<[boolean, boolean, number, number, number]> = [
  [false, false, 64, 100, 100],
  [false, false, 7, 13, 5],
  [false, false, 3, 9, 1],
  [false, false, 12800, 100, 1],
  [true, false, 100, 100, 1000],
  [true, false, 2, 50, 300],
  [true, false, 1, 37, 600],
  [true, false, 5, 3, 4],
  [false, true, 64, 1, 100],
  [false, true, 9, 11, 17],
  // register-block tails: 4-wide column blocks (N = 100, 50, 13), 1×8 / 1×4 row blocks (M = 6, 3)
  [false, false, 6, 100, 100],
  [false, false, 3, 50, 7],
  [false, false, 5, 13, 2],
  [true, false, 1, 12, 40],
  // dot-product path for A·Bᵀ with few columns: row panels of 4 with leftovers, K not a multiple of 4
  [false, true, 12800, 1, 100],
  [false, true, 6, 3, 5],
  [false, true, 3, 7, 3],
  [false, true, 7, 2, 9],
];

describe.each(
  WASM_BUILDS.flatMap(
    ([build, fma]) =>
      [
        [build, 'inside the module memory', fma, true],
        [build, 'outside it (staged)', fma, false],
      ] as Array<[string, string, boolean, boolean]>,
  ),
)('%s gemm with operands %s', (_b, _l, fma, inside) => {
  const wasm = createWasmBackend({ fma });
  test.each(CASES)(
    'transA=%s transB=%s M=%i N=%i K=%i matches the naive float64 product to float32 accuracy',
    (tA, tB, M, N, K) => {
      const rng = new Rng(M * 1000 + N + K);
      const lda = tA ? M + 1 : K + 2,
        ldb = tB ? K + 3 : N + 1,
        ldc = N + 2;
      const mk = (len: number) => (inside ? (wasm.allocate('float32', len) as Float32Array) : new Float32Array(len));
      const A = mk(2 + lda * (tA ? K : M)),
        B = mk(1 + ldb * (tB ? N : K)),
        C = mk(3 + ldc * M);
      rng.fillNormal(A);
      rng.fillNormal(B);
      rng.fillNormal(C);
      for (const beta of [0, 1, 0.5]) {
        const ref = Float64Array.from(C);
        gemmNaive(tA, tB, M, N, K, 0.75, Float64Array.from(A), 2, lda, Float64Array.from(B), 1, ldb, beta, ref, 3, ldc);
        const got = C.slice();
        const target = inside
          ? (() => {
              const c = mk(got.length);
              c.set(got);
              return c;
            })()
          : got;
        wasm.gemm(tA, tB, M, N, K, 0.75, A, 2, lda, B, 1, ldb, beta, target, 3, ldc);
        let worst = 0;
        for (let i = 0; i < ref.length; i++)
          worst = Math.max(worst, Math.abs(target[i] - ref[i]) / (1 + Math.abs(ref[i])));
        expect(worst).toBeLessThan(2e-6 * Math.sqrt(K));
      }
    },
  );
});

test('tanh is within 2 float32 ulp-scale error of Math.tanh over [-12, 12] and exact at 0', () => {
  let worst = 0;
  for (let z = -12; z <= 12; z += 0.0009765625) {
    const t = Math.tanh(z);
    worst = Math.max(worst, Math.abs(wasm.tanh(z) - t) / Math.max(Math.abs(t), 1e-30));
  }
  expect(worst).toBeLessThan(5e-7);
  expect(wasm.tanh(0)).toBe(0);
  expect(wasm.tanh(1e-8)).toBeCloseTo(1e-8, 14);
});

test('arrays handed out before the memory grows stay valid after it grows', () => {
  const b = createWasmBackend();
  const first = b.allocate('float32', 1000) as Float32Array;
  first.fill(3);
  const big = b.allocate('float32', 20_000_000); // forces several grows
  big[big.length - 1] = 1;
  expect(first[999]).toBe(3);
  expect(first.length).toBe(1000);
  expect(b.bytesAllocated).toBeGreaterThan(80_000_000);
});

test("50 training steps of the AND task on wasm-simd follow the JS backend's loss curve to float32 tolerance", () => {
  const run = (backend: typeof jsBackend) => {
    const model = createModel({ nIn: 2, nRec: 30, nOut: 1 });
    initialize(model, { rec: 'orthogonal', seed: 5 });
    const trials = generate(getTask('and'), { nTrials: 160, seed: 2, params: { inputNoise: 0.1 } });
    const t = new Trainer(
      model,
      trials,
      {
        epochs: 5,
        batchSize: 16,
        adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' },
      },
      backend,
    );
    t.run({ maxSteps: 50 });
    return t.stepLosses;
  };
  const a = run(jsBackend),
    b = run(wasm);
  expect(b).toHaveLength(50);
  for (let i = 0; i < 50; i++) expect(Math.abs(a[i] - b[i]) / a[i]).toBeLessThan(1e-4);
  expect(b[49]).toBeLessThan(b[0]);
});

test('simulate gives its temporary workspace back, so repeated evaluations do not grow the memory', () => {
  const b = createWasmBackend();
  const model = createModel({ nIn: 2, nRec: 20, nOut: 1 });
  initialize(model, { seed: 1 });
  const trials = generate(getTask('and'), { nTrials: 30, seed: 1 });
  simulate(model, trials, b);
  const after1 = b.bytesAllocated;
  for (let i = 0; i < 20; i++) simulate(model, trials, b);
  expect(b.bytesAllocated).toBe(after1);
  const m = b.mark();
  b.allocate('float32', 10);
  expect(() => b.release(m + 1e9)).toThrow(/stack order/);
});

test(
  'where shared WebAssembly memory is refused (a browser page that is not cross-origin isolated), creation fails ' +
    'with the advice; the core entry refuses threads',
  () => {
    const Memory = WebAssembly.Memory;
    (WebAssembly as unknown as { Memory: unknown }).Memory = function refuse() {
      throw new TypeError('shared memory is not allowed here');
    };
    try {
      expect(() => createWasmBackend()).toThrow(
        new RegExp(
          String.raw`^wasm-simd needs shared WebAssembly memory, which this context refuses \(shared memory is not ` +
            String.raw`allowed here\); in a browser, serve the page cross-origin isolated \(COOP: same-origin, ` +
            String.raw`COEP: require-corp\), or use jsBackend$`,
        ),
      );
    } finally {
      (WebAssembly as unknown as { Memory: unknown }).Memory = Memory;
    }
    expect(() => createWasmBackend({ threads: 2 })).toThrow(
      /training threads need Node's worker_threads: import createWasmBackend from '@rnnlab\/engine\/node'/,
    );
  },
);

describe.each(WASM_BUILDS)('the rate penalty kernels (%s build)', (_name, fma) => {
  test('axpy and sum_squares agree with float64 loops, vector body and scalar tail alike (n = 1 … 37)', () => {
    const b = createWasmBackend({ fma });
    const rng = new Rng('axpy');
    for (let n = 1; n <= 37; n += 4) {
      const d = b.allocate!('float32', n + 3) as Float32Array,
        x = b.allocate!('float32', n + 5) as Float32Array;
      rng.fillNormal(d);
      rng.fillNormal(x);
      const want = Float64Array.from(d, (v, i) => (i >= 1 && i < n + 1 ? v + 0.37 * x[i + 1] : v));
      let ss = 0;
      for (let i = 2; i < n + 2; i++) ss += x[i] * x[i];
      expect(b.fused!.axpy!(d, 1, x, 2, n, 0.37)).toBe(true);
      want.forEach((v, i) => expect(Math.abs(d[i] - v)).toBeLessThan(1e-6 * (1 + Math.abs(v))));
      expect(Math.abs(b.fused!.sumSquares!(x, 2, n)! - ss)).toBeLessThan(1e-12 * (1 + ss));
    }
    // arrays outside the module's memory are not the kernels' business: the engine's loops take them
    expect(b.fused!.axpy!(new Float32Array(4), 0, new Float32Array(4), 0, 4, 1)).toBe(false);
    expect(b.fused!.sumSquares!(new Float32Array(4), 0, 4)).toBeNull();
  });
});
