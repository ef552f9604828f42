/**
 * Measures the cost model of the paper's experiments (experiments/cluster/cost.ts): seconds per Adam update of the
 * paper's training step (batch 64, full-sequence BPTT, one wasm-simd thread) at several sizes N and lengths T, then
 * fits  seconds/update = T · (c0 + c1·N + c2·N²)  by least squares and prints the coefficients to paste into cost.ts.
 * A benchmark: it prints figures, it asserts nothing.   npx tsx bench/cost-model.ts
 */
import { createModel, createWasmBackend, initialize, Trainer } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';

const POINTS: Array<[task: string, N: number]> = [
  ['and', 50],
  ['pulse', 50],
  ['pulse', 100],
  ['pulse', 200],
  ['pulse', 300],
  ['ff', 50],
];
const backend = createWasmBackend();
const rows: Array<{ N: number; T: number; s: number }> = [];
for (const [name, N] of POINTS) {
  const task = getTask(name);
  const trials = generate(task, { nTrials: 64 * 6, seed: 1 });
  const model = createModel({ nIn: trials.nIn, nRec: N, nOut: trials.nOut });
  const init = initialize(model, { rec: 'orthogonal', seed: 1 });
  const tr = new Trainer(model, trials, { epochs: 10, batchSize: 64 }, backend, init);
  tr.trainStep(); // warm-up
  const n = N >= 200 ? 4 : 12;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tr.trainStep();
  const s = (performance.now() - t0) / 1000 / n;
  rows.push({ N, T: trials.nSteps, s });
  console.log(`${name.padEnd(6)} N=${String(N).padStart(3)} T=${trials.nSteps}: ${(s * 1000).toFixed(2)} ms/update`);
}
// Least squares for s/T = c0 + c1 N + c2 N² (normal equations, 3×3).
const A = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ],
  b = [0, 0, 0];
for (const r of rows) {
  const f = [1, r.N, r.N * r.N],
    y = r.s / r.T,
    w = 1 / (y * y); // relative error weighting
  for (let i = 0; i < 3; i++) {
    b[i] += w * f[i] * y;
    for (let j = 0; j < 3; j++) A[i][j] += w * f[i] * f[j];
  }
}
for (let i = 0; i < 3; i++)
  for (let k = i + 1; k < 3; k++) {
    const m = A[k][i] / A[i][i];
    for (let j = i; j < 3; j++) A[k][j] -= m * A[i][j];
    b[k] -= m * b[i];
  }
const c = [0, 0, 0];
for (let i = 2; i >= 0; i--) c[i] = (b[i] - A[i].slice(i + 1).reduce((a, v, j) => a + v * c[i + 1 + j], 0)) / A[i][i];
console.log(
  `fit: seconds/update = T · (${c[0].toExponential(3)} + ${c[1].toExponential(3)}·N + ${c[2].toExponential(3)}·N²)`,
);
for (const r of rows)
  console.log(
    `  N=${r.N} T=${r.T}: measured ${(r.s * 1000).toFixed(2)} ms, model ` +
      `${(r.T * (c[0] + c[1] * r.N + c[2] * r.N * r.N) * 1000).toFixed(2)} ms`,
  );
