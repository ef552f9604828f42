// The CommonJS side of typed.mts: require-style imports type-check against the same declarations.
import engine = require('@rnnlab/engine');
import tasks = require('@rnnlab/tasks');

const trials: engine.Trials = tasks.generate(tasks.getTask('xor'), { nTrials: 4, seed: 1 });
const model = engine.createModel({ nIn: trials.nIn, nRec: 4, nOut: trials.nOut });
const loss: number = engine.lossAndGradient(model, trials).loss;
void loss;
