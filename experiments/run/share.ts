/**
 * A shared run: a recipe and the kernel that trains it, written into a URL (the lab's "share" link) and read back
 * by the lab and by `rnnlab train --from-url`. Both draw the network with drawnModel and train it with the engine's
 * Trainer on the same WebAssembly kernel, so the same link gives the same bits in a browser and in Node.
 *
 * The link is untrusted input: parseShareUrl accepts only the keys a recipe has, with the types they have, and
 * leaves every value's range to the validators that check a recipe anywhere else (getTask, validateConfig,
 * validateTrainConfig), so a link cannot ask for what `rnnlab train` would refuse.
 */
import {
  ADAM_DEFAULTS,
  INIT_DEFAULTS,
  type KernelBuild,
  parseJson,
  RNN_DEFAULTS,
  RnnlabError,
  TRAIN_DEFAULTS,
  validateConfig,
  validateTrainConfig,
} from '@rnnlab/engine';
import { getTask } from '@rnnlab/tasks';
import type { Recipe } from './recipe-core';

export { buildTrials, drawnModel, hintedModel, type Recipe } from './recipe-core';

/** The WebAssembly kernels a shared run may name: plain SIMD (the same bits in every engine) or with FMA. */
export const SHARED_KERNELS = ['wasm-simd', 'wasm-simd+fma'] as const;
export type SharedKernel = (typeof SHARED_KERNELS)[number];

export interface SharedRun {
  recipe: Recipe;
  kernel: SharedKernel;
  /** The first 16 hex digits of the kernel module's SHA-256 that trained it (kernels/provenance.ts), if known. */
  build?: string;
}

/** The module digest a kernel build names ("wasm-simd module sha256:83383a055a7f676c" → "83383a055a7f676c"). */
export function kernelDigest(build: KernelBuild): string | undefined {
  return /sha256:([0-9a-f]+)/.exec(build.kernel)?.[1];
}

/** Links longer than this are refused before they are parsed (a recipe with masks of 256 units fits). */
export const MAX_SHARE_URL = 1 << 20;
const VERSION = 1;

/**
 * `rnnlab train --quick` as a lab preset: the paper's AND task, 50 units, orthogonal, 640 trials, batch 16, Adam
 * (PyTorch convention) lr 1e-3, clip 1, until the epoch loss is below 5e-4 or 40 epochs. spec/web/share.spec.ts
 * checks that it is the recipe the CLI's --quick writes into run.json.
 */
export const QUICK_AND: Readonly<Recipe> = Object.freeze({
  task: 'and',
  taskParams: {},
  dataSeed: 2,
  nTrials: 640,
  model: {
    nRec: 50,
    alpha: 1,
    activation: 'tanh',
    recurrentBias: false,
    trainH0: false,
    noiseStd: 0,
    dtype: 'float32',
  },
  init: { rec: 'orthogonal', gain: 1, seed: 1 },
  train: {
    epochs: 40,
    batchSize: 16,
    loss: 'mask-nonzero',
    clipNorm: 1,
    seed: 1,
    earlyStopLoss: 5e-4,
    shuffle: true,
    adam: { ...ADAM_DEFAULTS, lr: 1e-3, decay: 0, convention: 'pytorch' },
  },
} as Recipe);

/** The link that reproduces `run`: `base` with the fragment `run=<the run as JSON>` (never sent to a server). */
export function shareUrl(base: string, run: SharedRun): string {
  const url = new URL(base);
  const body = { v: VERSION, kernel: run.kernel, ...(run.build ? { build: run.build } : {}), recipe: run.recipe };
  url.hash = `run=${encodeURIComponent(JSON.stringify(body))}`;
  return url.href;
}

/** The run a link (or its fragment alone) names, checked; one RnnlabError line when it is not a run. */
export function parseShareUrl(link: string): SharedRun {
  if (typeof link !== 'string' || link.length > MAX_SHARE_URL)
    throw new RnnlabError(`the link is not a shared run (longer than ${MAX_SHARE_URL} characters)`);
  const at = link.indexOf('#run=');
  const fragment = at >= 0 ? link.slice(at + 5) : link.startsWith('run=') ? link.slice(4) : null;
  if (fragment === null) throw new RnnlabError('the link is not a shared run (it has no "#run=" part)');
  let text: string;
  try {
    text = decodeURIComponent(fragment);
  } catch {
    throw new RnnlabError('the link is not a shared run (its "#run=" part is not URL-encoded text)');
  }
  const o = objectOf(parseJson(text, 'the shared run'), 'the shared run');
  onlyKeys(o, ['v', 'kernel', 'build', 'recipe'], 'the shared run');
  if (o.v !== VERSION)
    throw new RnnlabError(`the shared run has version ${JSON.stringify(o.v)}; this rnnlab reads version ${VERSION}`);
  if (!(SHARED_KERNELS as readonly unknown[]).includes(o.kernel))
    throw new RnnlabError(`the shared run's kernel must be one of ${SHARED_KERNELS.join(', ')}`);
  if (o.build !== undefined && (typeof o.build !== 'string' || !/^[0-9a-f]{1,64}$/.test(o.build)))
    throw new RnnlabError("the shared run's build must be hexadecimal digits");
  return {
    recipe: checkRecipe(o.recipe),
    kernel: o.kernel as SharedKernel,
    ...(o.build ? { build: o.build as string } : {}),
  };
}

/** A recipe from untrusted JSON: known keys of the right types, and what the engine's validators accept. */
function checkRecipe(raw: unknown): Recipe {
  const r = objectOf(raw, 'recipe');
  onlyKeys(r, ['task', 'taskParams', 'dataSeed', 'nTrials', 'model', 'init', 'train'], 'recipe');
  if (typeof r.task !== 'string') throw new RnnlabError('recipe.task must be a task name');
  const task = getTask(r.task);
  const taskParams = objectOf(r.taskParams ?? {}, 'recipe.taskParams');
  for (const [k, v] of Object.entries(taskParams))
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RnnlabError(`recipe.taskParams.${k.slice(0, 40)} must be a finite number`);
  for (const k of ['dataSeed', 'nTrials'] as const)
    if (!Number.isSafeInteger(r[k])) throw new RnnlabError(`recipe.${k} must be an integer`);
  if ((r.nTrials as number) < 1) throw new RnnlabError('recipe.nTrials must be at least 1');
  const model = objectOf(r.model, 'recipe.model');
  onlyKeys(
    model,
    Object.keys(RNN_DEFAULTS).filter((k) => k !== 'nIn' && k !== 'nOut'),
    'recipe.model',
  );
  validateConfig({ ...model, nIn: task.inputs.length, nOut: task.outputs.length });
  const init = objectOf(r.init, 'recipe.init');
  onlyKeys(init, [...Object.keys(INIT_DEFAULTS), 'daleBalance'], 'recipe.init');
  const train = objectOf(r.train, 'recipe.train');
  onlyKeys(train, Object.keys(TRAIN_DEFAULTS), 'recipe.train');
  onlyKeys(objectOf(train.adam ?? {}, 'recipe.train.adam'), Object.keys(ADAM_DEFAULTS), 'recipe.train.adam');
  validateTrainConfig(train);
  return {
    task: r.task,
    taskParams: taskParams as Record<string, number>,
    dataSeed: r.dataSeed as number,
    nTrials: r.nTrials as number,
    model: model as Recipe['model'],
    init: init as Recipe['init'],
    train: train as Recipe['train'],
  };
}

function objectOf(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RnnlabError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      throw new RnnlabError(
        `${what} has an unknown key ${JSON.stringify(k.slice(0, 40))} (known: ${allowed.join(', ')})`,
      );
}
