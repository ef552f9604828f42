// The same package through require(): CommonJS consumers train on jsBackend and on two training threads.
const engine = require('@rnnlab/engine');
const { createWasmBackend } = require('@rnnlab/engine/node');
const { logicTrials, fiveSteps } = require('./steps.cjs');

const trials = logicTrials(4, 10, (x, y) => x | y);
console.log(
  JSON.stringify({
    js: fiveSteps(engine, engine.jsBackend, 'float64', trials, 8),
    threads: fiveSteps(engine, createWasmBackend({ threads: 2 }), 'float32', trials, 8),
  }),
);
