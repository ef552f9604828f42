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
  type ParamName,
  type RnnModel,
  type RnnOptions,
  setConnectivity,
  setRecMask,
  setTrainMask,
  type TrainConfig,
  validateConfig,
} from '@rnnlab/engine';
import { generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';
import { readTextFile } from '@rnnlab/engine/node';
import { sha256Hex } from '@rnnlab/engine/advanced';

/** What is trained. */
export interface Recipe {
  task: string;
  taskParams: Record<string, number>;
  dataSeed: number;
  nTrials: number;
  /** The model's settings; nIn and nOut come from the task. */
  model: RnnOptions;
  /** The initialisation's settings; those not given take INIT_DEFAULTS. */
  init: Partial<InitConfig>;
  train: Partial<TrainConfig>;
  /** Connectivity and trainable masks (flat, row-major, 0/1), set before the weights are drawn; absent: none. */
  masks?: RecipeMasks;
  /**
   * Start from a trained network instead of drawing one (a curriculum's next stage): its model file, relative to
   * the run directory, and the SHA-256 of the file's text, checked before use. `init` is then not used.
   */
  startFrom?: { file: string; sha256: string };
}

/** The masks of a recipe (rnnlab train --masks <file>: docs/cli.md). */
export interface RecipeMasks {
  in?: number[];
  rec?: number[];
  out?: number[];
  trainable?: Partial<Record<ParamName, number[]>>;
}

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
 * The part of a recipe that decides what is trained (task, data, model, init, training settings): a checkpoint must
 * have been made from the same. Clipping may change on resume, so it is left out.
 */
export function recipeIdentity(r: Recipe): string {
  const { clipNorm: _clip, ...train } = r.train;
  return JSON.stringify({
    task: r.task,
    taskParams: r.taskParams,
    dataSeed: r.dataSeed,
    nTrials: r.nTrials,
    model: r.model,
    init: r.init,
    train,
    masks: r.masks,
    startFrom: r.startFrom,
  });
}

export function buildTrials(r: Recipe): GeneratedTrials {
  return generate(getTask(r.task), { nTrials: r.nTrials, seed: r.dataSeed, params: r.taskParams });
}

/**
 * The network a recipe starts from, on its trial set's input and output sizes: drawn from `init`, or the verified
 * model file of `startFrom` (relative to `dir`, the run directory), which must have the recipe's configuration.
 */
export function initialModel(r: Recipe, trials: GeneratedTrials, dir = '.'): { model: RnnModel; init: InitConfig } {
  if (r.startFrom) return startingModel(r, trials, dir);
  const model = createModel({ ...r.model, nIn: trials.nIn, nOut: trials.nOut });
  const m = r.masks;
  if (m) {
    if (m.rec) setRecMask(model, m.rec);
    setConnectivity(model, { in: m.in, out: m.out });
    if (m.trainable) setTrainMask(model, m.trainable);
  }
  return { model, init: initialize(model, r.init) };
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
