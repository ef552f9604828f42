/**
 * GEMM kernel throughput on the shapes of the paper's training step, for every float32 CPU kernel rnnlab has:
 *   forward   h_{t-1}·W_recᵀ      (B×N)·(N×N), β = 0      200 calls per pass
 *   backward  δ_t·W_rec + carry    (B×N)·(N×N), β = 1      200 calls per pass
 *   dW_rec    δᵀ·h                 (N×TB)·(TB×N), A transposed, one call
 * Prints GFLOP/s (median of 7 runs of ~0.2 s). Run: npx tsx bench/kernels.ts [N ...]
 */
import { createWasmBackend } from '@rnnlab/engine';
import { type Gemm, gemmBlocked } from '@rnnlab/engine/advanced';
import { enableRelaxedSimd } from '@rnnlab/engine/node';

const B = 64,
  T = 200;

function time(f: () => void, flop: number): number {
  const meds: number[] = [];
  for (let rep = 0; rep < 7; rep++) {
    let n = 0;
    const t0 = performance.now();
    let t1 = t0;
    while (t1 - t0 < 200) {
      f();
      n++;
      t1 = performance.now();
    }
    meds.push((flop * n) / ((t1 - t0) * 1e6));
  }
  meds.sort((a, b) => a - b);
  return meds[3];
}

function shapes(N: number, gemm: Gemm, alloc: (n: number) => Float32Array): Record<string, number> {
  const fill = (a: Float32Array) => {
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 12.9898) * 0.5;
    return a;
  };
  const h = fill(alloc(B * N)),
    W = fill(alloc(N * N)),
    C = fill(alloc(B * N));
  const D = fill(alloc(T * B * N)),
    H = fill(alloc(T * B * N)),
    G = fill(alloc(N * N));
  return {
    forward: time(() => gemm(false, false, B, N, N, 1, h, 0, N, W, 0, N, 0, C, 0, N), 2 * B * N * N),
    backward: time(() => gemm(false, false, B, N, N, 1, h, 0, N, W, 0, N, 1, C, 0, N), 2 * B * N * N),
    dWrec: time(() => gemm(true, false, N, N, T * B, 1, D, 0, N, H, 0, N, 1, G, 0, N), 2 * N * N * T * B),
  };
}

const sizes = process.argv.slice(2).map(Number);
const fmt = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v.toFixed(1).padStart(5)}`)
    .join('   ');
for (const N of sizes.length ? sizes : [50, 100, 400]) {
  const kernels: Array<[string, Gemm, (n: number) => Float32Array]> = [
    ['js (4x4 blocked)', gemmBlocked, (n) => new Float32Array(n)],
  ];
  for (const fma of enableRelaxedSimd() ? [false, true] : [false]) {
    const wasm = createWasmBackend({ fma });
    kernels.push([wasm.name, wasm.gemm, (n) => wasm.allocate('float32', n) as Float32Array]);
  }
  for (const [name, gemm, alloc] of kernels)
    console.log(`N=${String(N).padEnd(4)} ${name.padEnd(17)} ${fmt(shapes(N, gemm, alloc))}   GFLOP/s`);
}
