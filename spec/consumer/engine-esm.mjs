// A plain-Node ES-module program against the installed @rnnlab/engine (no TypeScript, no tsx): five training steps
// on jsBackend, the single-threaded WebAssembly backend and the /node entry's two training threads, and the exact
// float64 loss and gradient. Prints one JSON line for spec/consumer/run.mjs to check.
import { createRequire } from 'node:module';
import * as engine from '@rnnlab/engine';
import { createWasmBackend as createThreadedWasmBackend } from '@rnnlab/engine/node';
import steps from './steps.cjs';

const trials = steps.logicTrials(8, 20, (x, y) => x & y);
const out = {
  js: steps.fiveSteps(engine, engine.jsBackend, 'float64', trials),
  wasm: steps.fiveSteps(engine, engine.createWasmBackend(), 'float32', trials),
  threads: steps.fiveSteps(engine, createThreadedWasmBackend({ threads: 2 }), 'float32', trials),
};
const small = engine.createModel({ nIn: 2, nRec: 4, nOut: 1, dtype: 'float64' });
out.gradientNames = Object.keys(engine.lossAndGradient(small, trials).gradients).sort();
// One package instance for both module systems: the ES face re-exports the CommonJS module.
out.sameClass = createRequire(import.meta.url)('@rnnlab/engine').RnnlabError === engine.RnnlabError;
console.log(JSON.stringify(out));
