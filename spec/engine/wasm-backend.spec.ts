/**
 * The WebAssembly SIMD backend: its committed binary is the assembly of its WAT source, its products equal the
 * naive reference in every case the engine uses (operands inside and outside the module memory, leftover rows and
 * columns, long reductions), its tanh is within a few float32 ulp, and training on it follows the JS backend.
 */
import { assembleWasmSimd } from '../../engine/kernels/build-wasm';
import { WASM_SIMD_BASE64 } from '../../engine/kernels/wasm-simd.bytes';
import { createModel, createWasmBackend, gemmNaive, initialize, jsBackend, Rng, simulate, Trainer } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';

const wasm = createWasmBackend();

test('the committed kernel bytes are exactly the assembly of wasm-simd.wat.ts (run npm run build:wasm after edits)', async () => {
  expect(Buffer.from(await assembleWasmSimd()).toString('base64')).toBe(WASM_SIMD_BASE64);
});

const CASES: Array<[boolean, boolean, number, number, number]> = [
  [false, false, 64, 100, 100], [false, false, 7, 13, 5], [false, false, 3, 9, 1], [false, false, 12800, 100, 1],
  [true, false, 100, 100, 1000], [true, false, 2, 50, 300], [true, false, 1, 37, 600], [true, false, 5, 3, 4],
  [false, true, 64, 1, 100], [false, true, 9, 11, 17],
];

describe.each([['inside the module memory', true], ['outside it (staged)', false]])('gemm with operands %s', (_l, inside) => {
  test.each(CASES)('transA=%s transB=%s M=%i N=%i K=%i matches the naive float64 product to float32 accuracy', (tA, tB, M, N, K) => {
    const rng = new Rng(M * 1000 + N + K);
    const lda = tA ? M + 1 : K + 2, ldb = tB ? K + 3 : N + 1, ldc = N + 2;
    const mk = (len: number) => (inside ? (wasm.allocate('float32', len) as Float32Array) : new Float32Array(len));
    const A = mk(2 + lda * (tA ? K : M)), B = mk(1 + ldb * (tB ? N : K)), C = mk(3 + ldc * M);
    rng.fillNormal(A); rng.fillNormal(B); rng.fillNormal(C);
    for (const beta of [0, 1, 0.5]) {
      const ref = Float64Array.from(C);
      gemmNaive(tA, tB, M, N, K, 0.75, Float64Array.from(A), 2, lda, Float64Array.from(B), 1, ldb, beta, ref, 3, ldc);
      const got = C.slice();
      const target = inside ? (() => { const c = mk(got.length); c.set(got); return c; })() : got;
      wasm.gemm(tA, tB, M, N, K, 0.75, A, 2, lda, B, 1, ldb, beta, target, 3, ldc);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(target[i] - ref[i]) / (1 + Math.abs(ref[i])));
      expect(worst).toBeLessThan(2e-6 * Math.sqrt(K));
    }
  });
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

test('50 training steps of the AND task on wasm-simd follow the JS backend\'s loss curve to float32 tolerance', () => {
  const run = (backend: typeof jsBackend) => {
    const model = createModel({ nIn: 2, nRec: 30, nOut: 1 });
    initialize(model, { rec: 'orthogonal', seed: 5 });
    const trials = generate(getTask('and'), { nTrials: 160, seed: 2, params: { inputNoise: 0.1 } });
    const t = new Trainer(model, trials, { epochs: 5, batchSize: 16, adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' } }, backend);
    t.run({ maxSteps: 50 });
    return t.stepLosses;
  };
  const a = run(jsBackend), b = run(wasm);
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
