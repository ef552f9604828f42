// A plain-Node ES-module program against the installed @rnnlab/engine (no TypeScript, no tsx): one training step on
// each of jsBackend, the single-threaded WebAssembly backend and the /node entry's two training threads, and the exact
// float64 loss and gradient. Prints one JSON line for spec/consumer/run.mjs to check.
import { createRequire } from 'node:module';
import {
  createModel,
  initialize,
  jsBackend,
  lossAndGradient,
  RnnlabError,
  Trainer,
  createWasmBackend,
} from '@rnnlab/engine';
import { createWasmBackend as createThreadedWasmBackend } from '@rnnlab/engine/node';

const trials = (B, T) => {
  const inputs = new Float64Array(B * T * 2),
    targets = new Float64Array(B * T),
    mask = new Float64Array(B * T).fill(1);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const x = (b >> 1) & 1,
        y = b & 1;
      inputs[(b * T + t) * 2] = x;
      inputs[(b * T + t) * 2 + 1] = y;
      targets[b * T + t] = x & y;
    }
  return { nTrials: B, nSteps: T, nIn: 2, nOut: 1, inputs, targets, mask };
};
const tr = trials(8, 20);
const out = {};
for (const [name, backend, dtype] of [
  ['js', jsBackend, 'float64'],
  ['wasm', createWasmBackend(), 'float32'],
  ['threads', createThreadedWasmBackend({ threads: 2 }), 'float32'],
]) {
  const model = createModel({ nIn: 2, nRec: 16, nOut: 1, dtype });
  initialize(model, { rec: 'orthogonal', seed: 1 });
  const before = lossAndGradient(model, tr).loss;
  const trainer = new Trainer(model, tr, { epochs: 10, batchSize: 8, adam: { lr: 1e-2 } }, backend);
  for (let i = 0; i < 5; i++) trainer.trainStep();
  out[name] = { backend: backend.name, before, after: lossAndGradient(model, tr).loss };
}
const g = lossAndGradient(createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' }), tr).gradients;
out.gradientNames = Object.keys(g).sort();
// One package instance for both module systems: the ES face re-exports the CommonJS module.
out.sameClass = createRequire(import.meta.url)('@rnnlab/engine').RnnlabError === RnnlabError;
console.log(JSON.stringify(out));
