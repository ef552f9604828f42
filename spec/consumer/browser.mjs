// The core entry in a browser (bundled by esbuild for platform=browser, run in headless Chromium by run.mjs): a few
// training steps on jsBackend and on the WebAssembly SIMD backend, results written into the page for --dump-dom.
import { createModel, createWasmBackend, initialize, jsBackend, lossAndGradient, Trainer } from '@rnnlab/engine';

const B = 8,
  T = 20;
const tr = {
  nTrials: B,
  nSteps: T,
  nIn: 2,
  nOut: 1,
  inputs: new Float64Array(B * T * 2),
  targets: new Float64Array(B * T),
  mask: new Float64Array(B * T).fill(1),
};
for (let b = 0; b < B; b++)
  for (let t = 0; t < T; t++) {
    const x = (b >> 1) & 1,
      y = b & 1;
    tr.inputs[(b * T + t) * 2] = x;
    tr.inputs[(b * T + t) * 2 + 1] = y;
    tr.targets[b * T + t] = x ^ y;
  }
const result = { crossOriginIsolated: globalThis.crossOriginIsolated };
for (const [name, make, dtype] of [
  ['js', () => jsBackend, 'float64'],
  ['wasm', () => createWasmBackend(), 'float32'],
]) {
  try {
    const backend = make();
    const model = createModel({ nIn: 2, nRec: 16, nOut: 1, dtype });
    initialize(model, { rec: 'orthogonal', seed: 1 });
    const before = lossAndGradient(model, tr).loss;
    const trainer = new Trainer(model, tr, { epochs: 10, batchSize: 8, adam: { lr: 1e-2 } }, backend);
    for (let i = 0; i < 5; i++) trainer.trainStep();
    result[name] = { backend: backend.name, before, after: lossAndGradient(model, tr).loss };
  } catch (e) {
    result[name] = { error: String((e && e.stack) || e) };
  }
}
globalThis.document.getElementById('out').textContent = JSON.stringify(result);
