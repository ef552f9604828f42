/**
 * The setup form and the recipe it stands for. A task's defaults follow `rnnlab train`'s order (the task's hints,
 * else the paper's defaults), so a task chosen here starts from what the CLI would train; the "quick AND" preset is
 * `rnnlab train --quick` itself (QUICK_AND). Every value is read back through parseShareUrl before training, so the
 * page accepts exactly what a shared link and the CLI accept.
 */
import { ADAM_DEFAULTS, type RnnOptions } from '@rnnlab/engine';
import { costHints, getTask } from '@rnnlab/tasks';
import { hintedModel, type Recipe, type SharedKernel, type SharedRun } from '@rnnlab/experiments/share';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;
const num = (id: string) => Number(field(id).value);

/** What `rnnlab train --task <name>` would train, before any flag. */
export function defaultRecipe(taskName: string): Recipe {
  const task = getTask(taskName);
  const h = task.hints ?? {};
  const model = hintedModel(task, 50);
  return {
    task: taskName,
    taskParams: {},
    dataSeed: h.dataSeed ?? 1,
    nTrials: h.trainTrials ?? 15000,
    model,
    init: { rec: h.init ?? 'normal', gain: h.gain ?? 1, seed: 1 },
    train: {
      epochs: h.epochs ?? 20,
      batchSize: h.batchSize ?? 64,
      loss: 'mask-nonzero',
      clipNorm: 0,
      seed: 1,
      earlyStopLoss: h.earlyStopLoss ?? 0,
      shuffle: true,
      adam: { ...ADAM_DEFAULTS, lr: h.lr ?? ADAM_DEFAULTS.lr },
    },
  };
}

/** The form shows `run`; settings the form has no field for ride along in `hidden` until the task changes. */
let hidden: Recipe | null = null;

export function fillForm(run: SharedRun): void {
  const r = run.recipe;
  hidden = structuredClone(r);
  field('task').value = r.task;
  field('size').value = String(r.model.nRec);
  field('activation').value = String(r.model.activation ?? 'tanh');
  field('alpha').value = String(r.model.alpha ?? 1);
  field('rec-noise').value = String(r.model.noiseStd ?? 0);
  field('dale').value = r.model.daleRatio == null ? '' : String(r.model.daleRatio);
  field('formulation').value = r.model.formulation ?? 'rate';
  field('readout').value = r.model.readout ?? 'linear';
  field('autapses').checked = r.model.autapses ?? true;
  field('learn-tau').checked = r.model.trainAlpha ?? false;
  field('regularizers').value = pairs((r.model.regularizers ?? {}) as Record<string, number>, true);
  field('init').value = String(r.init.rec ?? 'normal');
  field('gain').value = String(r.init.gain ?? 1);
  field('seed').value = String(r.init.seed ?? 1);
  field('data-seed').value = String(r.dataSeed);
  field('train-seed').value = String(r.train.seed ?? 1);
  field('trials').value = String(r.nTrials);
  field('epochs').value = String(r.train.epochs ?? 20);
  field('batch').value = String(r.train.batchSize ?? 64);
  field('lr').value = String(r.train.adam?.lr ?? ADAM_DEFAULTS.lr);
  field('clip').value = String(r.train.clipNorm ?? 0);
  field('early-stop').value = String(r.train.earlyStopLoss ?? 0);
  field('params').value = pairs(r.taskParams);
  field('kernel').value = run.kernel;
}

/** key=value, … (regularisers at 0 are left out: they are off). */
const pairs = (o: Record<string, number>, dropZeros = false) =>
  Object.entries(o)
    .filter(([, v]) => !dropZeros || v !== 0)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** key=value pairs separated by commas or spaces; a value must be a number. */
function parsePairs(text: string, what: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([A-Za-z_][\w]*)=(.+)$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2]))) throw new Error(`${what} "${part.slice(0, 40)}" is not key=number`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/**
 * The constrained-model options the form sets, only where they differ from a plain model (as `rnnlab train` writes
 * them), so that a plain run's link and run.json stay plain.
 */
function constraints(): RnnOptions {
  const regs = parsePairs(field('regularizers').value, 'regulariser');
  const learnTau = field('learn-tau').checked;
  return {
    formulation: field('formulation').value === 'rate' ? undefined : 'current',
    readout: field('readout').value === 'linear' ? undefined : (field('readout').value as RnnOptions['readout']),
    autapses: field('autapses').checked ? undefined : false,
    perUnitAlpha: learnTau ? true : undefined,
    trainAlpha: learnTau ? true : undefined,
    regularizers: Object.keys(regs).length ? regs : undefined,
  };
}

/** A task whose cost depends on its parameters (Yang's `cost`) sets the output weights and normaliser, as the CLI. */
function followCostHints(recipe: Recipe): void {
  const cost = costHints(getTask(recipe.task), recipe.taskParams);
  if (!cost) return;
  if (cost.outputWeights) recipe.model.outputWeights = cost.outputWeights;
  else delete recipe.model.outputWeights;
  recipe.train.loss = cost.lossNorm ?? 'mask-nonzero';
}

export function runFromForm(): SharedRun {
  const base = hidden && hidden.task === field('task').value ? hidden : defaultRecipe(field('task').value);
  const dale = field('dale').value.trim();
  const recipe: Recipe = {
    ...base,
    taskParams: parsePairs(field('params').value, 'task parameter'),
    dataSeed: num('data-seed'),
    nTrials: num('trials'),
    model: {
      ...base.model,
      nRec: num('size'),
      activation: field('activation').value as RnnOptions['activation'],
      alpha: num('alpha'),
      noiseStd: num('rec-noise'),
      ...(dale ? { daleRatio: Number(dale) } : {}),
      ...constraints(),
    },
    init: { ...base.init, rec: field('init').value as Recipe['init']['rec'], gain: num('gain'), seed: num('seed') },
    train: {
      ...base.train,
      seed: num('train-seed'),
      epochs: num('epochs'),
      batchSize: num('batch'),
      clipNorm: num('clip'),
      earlyStopLoss: num('early-stop'),
      adam: { ...ADAM_DEFAULTS, ...base.train.adam, lr: num('lr') },
    },
  };
  if (!dale) delete recipe.model.daleRatio;
  followCostHints(recipe);
  for (const k of ['formulation', 'readout', 'autapses', 'perUnitAlpha', 'trainAlpha', 'regularizers'] as const)
    if (recipe.model[k] === undefined) delete recipe.model[k];
  return { recipe, kernel: field('kernel').value as SharedKernel };
}
