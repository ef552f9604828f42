// The same check as engine-esm.mjs through require(): CommonJS consumers get the same package.
const { createModel, initialize, jsBackend, lossAndGradient, Trainer } = require('@rnnlab/engine');
const { createWasmBackend } = require('@rnnlab/engine/node');

const B = 4,
  T = 10;
const tr = {
  nTrials: B,
  nSteps: T,
  nIn: 1,
  nOut: 1,
  inputs: new Float64Array(B * T),
  targets: new Float64Array(B * T),
  mask: new Float64Array(B * T).fill(1),
};
for (let i = 0; i < B * T; i++) {
  tr.inputs[i] = Math.sin(i);
  tr.targets[i] = Math.cos(i) * 0.5;
}
const out = {};
for (const [name, backend, dtype] of [
  ['js', jsBackend, 'float64'],
  ['threads', createWasmBackend({ threads: 2 }), 'float32'],
]) {
  const model = createModel({ nIn: 1, nRec: 8, nOut: 1, dtype });
  initialize(model, { rec: 'normal', seed: 2 });
  const before = lossAndGradient(model, tr).loss;
  const trainer = new Trainer(model, tr, { epochs: 10, batchSize: 4, adam: { lr: 1e-2 } }, backend);
  for (let i = 0; i < 5; i++) trainer.trainStep();
  out[name] = { backend: backend.name, before, after: lossAndGradient(model, tr).loss };
}
console.log(JSON.stringify(out));
