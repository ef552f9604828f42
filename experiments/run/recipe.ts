/**
 * A recipe: everything that decides what network training produces (the task and its trial set, the model, its
 * initialisation and the training settings). `rnnlab train` keeps one in run.json; every paper job is one
 * (paper/job.ts: jobRecipe). Both are trained by the same driver (driver.ts).
 */
import * as os from 'os';
import * as path from 'path';
import {
  type AdamConfig,
  type Amendment,
  assertFits,
  type Backend,
  createModel,
  estimateTrainingMemory,
  type InitConfig,
  type KernelBuild,
  kernelBuildOf,
  initialize,
  modelFromJson,
  parseJson,
  RnnlabError,
  type RnnModel,
  type TrainConfig,
  validateConfig,
} from '@rnnlab/engine';
import { generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';
import { readTextFile } from '@rnnlab/engine/node';
import { sha256Hex } from '@rnnlab/engine/advanced';
import { drawnModel, type Recipe } from './recipe-core';

export { buildTrials, type Recipe, type RecipeMasks, recipeIdentity } from './recipe-core';

/** A run directory's recipe (run.json): the recipe, and how this run is carried out and kept. */
export interface RunRecipe extends Recipe {
  format: 'rnnlab-run';
  version: 1;
  train: Partial<TrainConfig> & { adam: AdamConfig };
  /** What ran (e.g. "wasm-simd x2 threads"), and the --backend / --threads that select it again on resume. */
  backend: string;
  backendName?: string;
  threads?: number;
  /**
   * The builds that trained it (kernels/provenance.ts), in order: one, plus one per resume on another build.
   * Runs made before runs named their build lack it (then `backend` is all there is).
   */
  kernelBuilds?: KernelBuild[];
  checkpointEvery: number;
  /** Settings changed on resume (--clip), in order; the checkpoint's trainer holds the same list. */
  amendments?: Amendment[];
  /**
   * The authors' practice (Keras ModelCheckpoint every epoch): keep each epoch's weights in epochs/epoch-<k>.json;
   * 'best' also makes model.json the epoch with the lowest mean training loss. Default 'off': model.json holds the
   * final weights, as Keras' fit leaves them and as the authors' stored networks are (epoch-19 checkpoints).
   */
  keepEpochs?: 'off' | 'all' | 'best';
}

/**
 * How a run is carried out and kept when a program makes its recipe (the zoo, a curriculum's stages): the default
 * WebAssembly backend on one thread, checkpoints every 50 updates, no epoch files.
 */
export function singleThreadRun(
  backend: Backend,
): Pick<RunRecipe, 'backend' | 'backendName' | 'threads' | 'kernelBuilds' | 'checkpointEvery' | 'keepEpochs'> {
  return {
    backend: backend.name,
    backendName: 'wasm-simd',
    threads: 1,
    kernelBuilds: [kernelBuildOf(backend)],
    checkpointEvery: 50,
    keepEpochs: 'off',
  };
}

/**
 * The network a recipe starts from, on its trial set's input and output sizes: drawn from `init`, or the verified
 * model file of `startFrom` (relative to `dir`, the run directory), which must have the recipe's configuration.
 */
export function initialModel(r: Recipe, trials: GeneratedTrials, dir = '.'): { model: RnnModel; init: InitConfig } {
  return r.startFrom ? startingModel(r, trials, dir) : drawnModel(r, trials);
}

function startingModel(r: Recipe, trials: GeneratedTrials, dir: string): { model: RnnModel; init: InitConfig } {
  const file = path.resolve(dir, r.startFrom!.file);
  const text = readTextFile(file, 'starting model');
  if (sha256Hex(text) !== r.startFrom!.sha256)
    throw new RnnlabError(`${file} is not the model this run starts from (its SHA-256 differs from the recipe's)`);
  const { model, init } = modelFromJson(parseJson(text, file), file);
  const wanted = validateConfig({ ...r.model, nIn: trials.nIn, nOut: trials.nOut });
  if (JSON.stringify(model.config) !== JSON.stringify(wanted))
    throw new RnnlabError(`${file} has another configuration than the run's model (sizes, activation, options)`);
  return { model, init: init ?? initialize(createModel(wanted), r.init) };
}

/**
 * Refuse a recipe whose training cannot fit before anything is allocated: the model (validateConfig), then the trial
 * set and workspace from one probe trial's length, against WebAssembly's 4 GiB and this machine's memory.
 */
export function checkRecipeFits(r: Recipe, backend: Backend): void {
  const probe = generate(getTask(r.task), { nTrials: 1, seed: r.dataSeed, params: r.taskParams });
  const config = validateConfig({ ...r.model, nIn: probe.nIn, nOut: probe.nOut });
  const est = estimateTrainingMemory(config, r.nTrials, probe.nSteps, r.train.batchSize ?? 64);
  assertFits(est, `training ${r.nTrials} trials of ${probe.nSteps} steps at N = ${config.nRec}`, {
    available: os.totalmem(),
    wasm: backend.name.startsWith('wasm'),
    largestArray: r.nTrials * probe.nSteps * Math.max(probe.nIn, probe.nOut),
  });
}
