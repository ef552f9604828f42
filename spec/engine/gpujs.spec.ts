/**
 * The gpu.js backend, in every mode that works on a CPU-only machine: webasm, cpu, and webgpu (Dawn over OpenGL ES
 * on Mesa's llvmpipe; .ci/system-deps.sh installs the EGL/GLES libraries); 'auto' resolves to webasm here.
 * The backend that ran is the one asked for, the kernel body is right on literals, forward and BPTT match the
 * PyTorch float64 fixtures to float32 tolerance, and 50 training steps follow the float64 path's loss curve, one
 * kernel call per product (the training pipeline of webgpu and webasm is spec'd in gpujs-pipeline.spec.ts).
 * Modes that cannot run here say why instead of falling back silently.
 */
import * as fs from 'fs';
import * as gpujs from 'gpu.js';
import { GPU } from 'gpu.js';
import { createGemmKernel, kernelClassOf, probeArguments } from '../../engine/kernels/gpujs';
import { cloneModel, createModel, initialize, jsBackend, Trainer } from '@rnnlab/engine';
import {
  allocParamSet,
  createWorkspace,
  gemmNaive,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  rnnBackward,
  rnnForward,
} from '@rnnlab/engine/advanced';
import { createGpuJsBackend, gemmKernel } from '@rnnlab/engine/gpujs';
import { generate, getTask } from '@rnnlab/tasks';
import { flat, relErr } from '../helpers/fixtures';
import { gradCase, PLAIN_PARAMS } from '../helpers/gradcase';

const KERNEL_CLASSES = { webasm: 'WebAssemblyKernel', cpu: 'CPUKernel', webgpu: 'WebGPUKernel' } as const;

describe.each(['webasm', 'cpu', 'webgpu'] as const)('gpu.js mode %s, per product', (mode) => {
  // The per-product path: every product one kernel call (the Trainer too; its pipeline is spec'd in gpujs-pipeline).
  const backend = createGpuJsBackend(mode, { pipeline: false });
  afterAll(() => backend.destroy());

  test('reports the kernel class that actually ran', () => {
    expect(backend.actualMode).toBe(mode);
    expect(backend.kernelClass).toBe(KERNEL_CLASSES[mode]);
    expect(backend.name).toBe(`gpujs:${mode}`);
    // WebGPU names its adapter: here Dawn's OpenGL ES path on llvmpipe (or a real GPU's Vulkan driver).
    if (mode === 'webgpu') expect(backend.device).toMatch(/via Dawn (vulkan|opengles)/);
  });

  test('products with transposes, offsets, leading dimensions and β match the naive float64 product', () => {
    const cases: Array<[boolean, boolean, number, number, number]> = [
      [false, false, 7, 13, 5],
      [true, false, 6, 9, 40],
      [false, true, 11, 1, 17],
      [false, false, 64, 30, 30],
    ];
    for (const [tA, tB, M, N, K] of cases) {
      const lda = tA ? M + 1 : K + 2,
        ldb = tB ? K + 3 : N + 1,
        ldc = N + 2;
      const rnd = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + s));
      const A = rnd(2 + lda * (tA ? K : M), 1),
        B = rnd(1 + ldb * (tB ? N : K), 2),
        C = rnd(3 + ldc * M, 3);
      for (const beta of [0, 0.5]) {
        const ref = Float64Array.from(C);
        gemmNaive(tA, tB, M, N, K, 0.75, Float64Array.from(A), 2, lda, Float64Array.from(B), 1, ldb, beta, ref, 3, ldc);
        const got = C.slice();
        backend.gemm(tA, tB, M, N, K, 0.75, A, 2, lda, B, 1, ldb, beta, got, 3, ldc);
        for (let i = 0; i < ref.length; i++)
          expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-5 * (1 + Math.abs(ref[i])) * Math.sqrt(K));
      }
    }
  });

  test.each(['case1_N8_I2_O1_T12_B3_a1.json', 'case2_N20_I3_O2_T50_B4_a0.2.json'])(
    'forward, loss and every gradient of %s match PyTorch to float32 tolerance',
    (file) => {
      const { fx, model, trials } = gradCase(file, 'float32');
      const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps, backend);
      loadTrials(ws, trials);
      rnnForward(model, ws, backend);
      const loss = maskedMseForward(ws, model.config.nOut, 'mask-sum');
      expect(Math.abs(loss - fx.loss) / fx.loss).toBeLessThan(1e-5);
      const grads = allocParamSet(model.config);
      maskedMseBackward(ws, model.config.nOut, 'mask-sum');
      rnnBackward(model, ws, grads, backend);
      for (const name of PLAIN_PARAMS) {
        const err = relErr(grads[name], flat(fx.grads[name]));
        if (!(err < 1e-4)) throw new Error(`${name}: ${err}`);
      }
    },
  );

  test("50 training steps of the AND task follow the float64 path's loss curve to float32 tolerance", () => {
    const model = createModel({ nIn: 2, nRec: 20, nOut: 1, dtype: 'float32' });
    initialize(model, { rec: 'orthogonal', seed: 3 });
    const m64 = cloneModel(model, 'float64');
    const trials = generate(getTask('and'), { nTrials: 80, seed: 2, params: { inputNoise: 0.1 } });
    const cfg = {
      epochs: 10,
      batchSize: 8,
      adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' as const },
    };
    const a = new Trainer(m64, trials, cfg, jsBackend);
    const b = new Trainer(model, trials, cfg, backend);
    a.run({ maxSteps: 50 });
    b.run({ maxSteps: 50 });
    expect(b.gradientPath).toBe('per-product');
    // Step 1 sees identical weights: only the float32 products differ. Later steps add Adam's amplification of
    // last-bit differences; 1e-3 is tfjs' TEST_EPSILON_FLOAT32 (observed here: up to 3.6e-4).
    expect(Math.abs(a.stepLosses[0] - b.stepLosses[0]) / a.stepLosses[0]).toBeLessThan(1e-6);
    for (let i = 0; i < 50; i++)
      expect(Math.abs(a.stepLosses[i] - b.stepLosses[i]) / a.stepLosses[i]).toBeLessThan(1e-3);
    expect(b.stepLosses[49]).toBeLessThan(b.stepLosses[0]);
  });
});

test('the kernel body computes a known 2×3 · 3×2 product in gpu.js cpu mode', () => {
  const gpu = new GPU({ mode: 'cpu' });
  const k = gpu.createKernel(gemmKernel as never, { output: [2, 2] } as never) as unknown as (
    ...a: unknown[]
  ) => Float32Array[];
  const rows = k([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], 3, 3, 1, 2, 1);
  expect(rows.map((r) => Array.from(r))).toEqual([
    [58, 64],
    [139, 154],
  ]);
  gpu.destroy();
});

test('auto mode resolves to a real kernel class and names it (and pipelines where that is webasm)', () => {
  const b = createGpuJsBackend('auto');
  expect(['webasm', 'headlessgl', 'webgpu', 'cpu']).toContain(b.actualMode);
  expect(b.name).toBe(`gpujs:${b.actualMode}`);
  expect(b.pipelined).toBe(b.actualMode === 'webasm');
  b.destroy();
});

test(
  GPU.isHeadlessGLSupported
    ? 'headlessgl runs when gl is built'
    : 'headlessgl is refused here with how to enable it (gl not built or no X display)',
  () => {
    if (GPU.isHeadlessGLSupported) expect(createGpuJsBackend('headlessgl').actualMode).toBe('headlessgl');
    else expect(() => createGpuJsBackend('headlessgl')).toThrow(/xvfb-run/);
  },
);

const vulkanDriver = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some(
  (d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith('.json')),
);
test(
  vulkanDriver
    ? "webgpu on Dawn's Vulkan backend runs where a Vulkan driver is registered"
    : "webgpu asked for Dawn's Vulkan backend, without a Vulkan driver, fails with what is missing (no silent " +
        'fallback)',
  () => {
    if (vulkanDriver) {
      const b = createGpuJsBackend('webgpu', { dawnBackend: 'vulkan' });
      expect(b.device).toMatch(/via Dawn vulkan/);
      b.destroy();
    } else {
      expect(() => createGpuJsBackend('webgpu', { dawnBackend: 'vulkan' })).toThrow(
        /no WebGPU adapter from Dawn \(tried vulkan\).*libvulkan1/,
      );
    }
  },
);

test('a destroyed webgpu backend refuses further products with a clear error', () => {
  const b = createGpuJsBackend('webgpu', { dawnBackend: 'opengles' });
  expect(b.device).toMatch(/via Dawn opengles \(compatibility mode\)/);
  b.destroy();
  const x = new Float32Array(4);
  expect(() => b.gemm(false, false, 2, 2, 2, 1, x, 0, 2, x, 0, 2, 0, x, 0, 2)).toThrow(
    /WebGPU thread is gone \(destroyed\)/,
  );
});

test('the kernel class is recognised by instanceof, so a bundler renaming classes cannot fool the mode check', () => {
  const gpu = new GPU({ mode: 'cpu' } as never);
  const k = createGemmKernel(gpu);
  k.setOutput([1, 1]);
  (k as unknown as (...a: unknown[]) => unknown)(...probeArguments());
  expect(kernelClassOf(k.kernel)).toBe('CPUKernel');
  // What a minifier does: the same class under another name.
  const renamed = { x: class extends (gpujs.CPUKernel as unknown as new () => object) {} }.x;
  const fake = Object.create(renamed.prototype) as object;
  expect(fake.constructor.name).not.toBe('CPUKernel');
  expect(kernelClassOf(fake)).toBe('CPUKernel');
  expect(kernelClassOf({})).toBe('an unknown kernel class');
  gpu.destroy();
});
