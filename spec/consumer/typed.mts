// A TypeScript consumer, type-checked by tsc --strict with noUncheckedIndexedAccess and without skipLibCheck (so the
// packages' own .d.ts files are checked too), as an ES module (module node16, and again with moduleResolution bundler).
import {
  createModel,
  forward,
  initialize,
  jsBackend,
  lossAndGradient,
  modelToJson,
  RnnlabError,
  Trainer,
  type LossAndGradient,
  type RnnModel,
  type TrainOptions,
  type Trials,
} from '@rnnlab/engine';
import { createWorkspace, rnnForward, loadTrials } from '@rnnlab/engine/advanced';
import { createWasmBackend, saveModel } from '@rnnlab/engine/node';
import { importKerasBuffer, type KerasImport } from '@rnnlab/engine/keras';
import { generate, getTask, accuracy } from '@rnnlab/tasks';
import { recurrentSpectrum } from '@rnnlab/analysis';
import { planJobs, type PaperPlan } from '@rnnlab/experiments';

const task = getTask('and');
const trials: Trials = generate(task, { nTrials: 16, seed: 1 });
const model: RnnModel = createModel({ nIn: trials.nIn, nRec: 8, nOut: trials.nOut, dtype: 'float64' });
initialize(model, { rec: 'orthogonal', seed: 3 });
const options: TrainOptions = { epochs: 1, batchSize: 8, adam: { lr: 1e-3 } };
new Trainer(model, trials, options, createWasmBackend({ threads: 1 })).trainStep();
const exact: LossAndGradient = lossAndGradient(model, trials);
const firstGradient: number | undefined = exact.gradients.W_rec[0];
const { outputs } = forward(model, trials);
const ws = createWorkspace(model.config, trials.nTrials, trials.nSteps);
loadTrials(ws, trials);
rnnForward(model, ws, jsBackend);
const file: string = JSON.stringify(modelToJson(model));
const importer: (b: ArrayBuffer) => KerasImport = (b) => importKerasBuffer(b);
const err: Error = new RnnlabError('x');
const tiny: PaperPlan = planJobs('tiny');
void [firstGradient, outputs, file, importer, err, saveModel, accuracy, recurrentSpectrum, tiny];
