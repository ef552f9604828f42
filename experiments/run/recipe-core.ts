/**
 * The part of a recipe that runs anywhere (Node, a browser's worker): what is trained, its trial set and the network
 * it draws. recipe.ts adds what needs files (a starting model on disk, the machine's memory); the lab (web/) and
 * `rnnlab train --from-url` both start from drawnModel, so a shared run draws the same network in both.
 */
import {
  createModel,
  initialize,
  type InitConfig,
  type ParamName,
  type RnnModel,
  type RnnOptions,
  setConnectivity,
  setRecMask,
  setTrainMask,
  type TrainConfig,
} from '@rnnlab/engine';
import { type AnyTask, costHints, generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';

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

/** The network a recipe draws (its `init`, after its masks), on its trial set's input and output sizes. */
export function drawnModel(r: Recipe, trials: GeneratedTrials): { model: RnnModel; init: InitConfig } {
  const model = createModel({ ...r.model, nIn: trials.nIn, nOut: trials.nOut });
  const m = r.masks;
  if (m) {
    if (m.rec) setRecMask(model, m.rec);
    setConnectivity(model, { in: m.in, out: m.out });
    if (m.trainable) setTrainMask(model, m.trainable);
  }
  return { model, init: initialize(model, r.init) };
}

/**
 * The model a task's source fixes (its hints: Yang's 256 ReLU units, NeuroGym's softmax read-out), else rnnlab's
 * defaults with `size` units, as `rnnlab train` fills it in; the zoo and the lab start from it.
 */
export function hintedModel(task: AnyTask, size: number): RnnOptions {
  const h = task.hints ?? {};
  const weights = costHints(task)?.outputWeights;
  return {
    nRec: h.size ?? size,
    alpha: h.alpha ?? 1,
    activation: h.activation ?? 'tanh',
    recurrentBias: h.recurrentBias ?? false,
    trainH0: false,
    noiseStd: h.recNoise ?? 0,
    dtype: 'float32',
    ...(h.readout && h.readout !== 'linear' ? { readout: h.readout } : {}),
    ...(weights ? { outputWeights: weights } : {}),
  };
}
