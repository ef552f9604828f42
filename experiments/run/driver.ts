/**
 * The one training driver: a recipe trained resumably, by `rnnlab train` (a run directory) and by every paper job
 * (paper/job.ts). `drive` is the loop both use; `trainRun` adds what a run directory is:
 *
 *   run.json         the recipe (task, task parameters, data seed, sizes, model, init and training settings)
 *   initial.json     the network before training
 *   checkpoint.json  the full trainer state, written atomically every `checkpointEvery` steps and every epoch
 *   epochs/          each epoch's weights, when the recipe keeps them
 *   model.json       the trained network (at the end)
 *   timing.json      the wall-clock seconds spent training, summed over every call (a resumed run's included),
 *                    brought up to date at every checkpoint
 *
 * A checkpoint is the Trainer's complete state, so a run stopped anywhere and resumed ends with the bits of an
 * uninterrupted one.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  type Backend,
  buildMismatch,
  DivergenceError,
  kernelBuildOf,
  parseJson,
  runtimeDiffers,
  RnnlabError,
  Trainer,
  type TrainProgress,
  validateConfig,
  validateTrainConfig,
} from '@rnnlab/engine';
import {
  loadModel,
  lockDirectory,
  prepareOutputDir,
  prepareSubdirs,
  readTextFile,
  removeStaleTempFiles,
  saveModel,
  writeFileAtomic,
} from '@rnnlab/engine/node';
import { buildTrials, checkRecipeFits, initialModel, recipeIdentity, type RunRecipe } from './recipe';

export interface DriveOptions {
  /** Write a checkpoint every this many updates (0: only at epoch ends) and at the end of every epoch. */
  checkpointEvery: number;
  /** Write the trainer's checkpoint (its format is the caller's). */
  save: (t: Trainer) => void;
  /** Stop after this many more updates. */
  maxSteps?: number;
  /** Polled after every update; true: checkpoint and stop. */
  shouldStop?: () => boolean;
  onStep?: (p: TrainProgress) => void;
  /** Return 'diverged' when the loss stops being finite (the model keeps the last finite weights); else it throws. */
  tolerateDivergence?: boolean;
}

/** How `drive` ended: finished, out of `maxSteps`, asked to stop (checkpointed), or diverged. */
export type DriveEnd = 'done' | 'paused' | 'stopped' | 'diverged';

/**
 * Train until done, stopped or out of steps, through the Trainer's own loop. Checkpoints come after the update that
 * completes a period or an epoch, and on a stop request; the update that finishes training writes none (the caller
 * keeps the result).
 */
export function drive(trainer: Trainer, opts: DriveOptions): DriveEnd {
  try {
    return trainer.run({
      maxSteps: opts.maxSteps,
      checkpointEvery: opts.checkpointEvery,
      onStep: opts.onStep,
      shouldStop: opts.shouldStop,
      onCheckpoint: (t, reason) => {
        if (reason === 'stop' || !t.done) opts.save(t);
      },
    });
  } catch (e) {
    if (opts.tolerateDivergence && e instanceof DivergenceError) return 'diverged';
    throw e;
  }
}

/** What a --resume may change: gradient clipping from the next update on, and the checkpoint period. */
export interface ResumeChanges {
  clipNorm?: number;
  checkpointEvery?: number;
}

export interface RunOptions {
  resume: boolean;
  log: (s: string) => void;
  maxSteps?: number;
  changes?: ResumeChanges;
  /** Progress of every update (the command draws its bar from it). */
  onStep?: (p: TrainProgress, t: Trainer) => void;
  /** Polled after every update; true: checkpoint and stop (a curriculum stage that passed its criterion). */
  shouldStop?: (t: Trainer) => boolean;
}

export interface TrainOutcome {
  trainer: Trainer;
  dir: string;
  seconds: number;
}

/**
 * Train (or resume) the run in `dir`. One writer per run directory: the directory's lock is held until this returns,
 * and temporary files left by a killed writer are removed once it is held. On resume the checkpoint is verified
 * (checksum, schema, the run's recipe, the data) before use, and `changes` are applied and recorded.
 */
export function trainRun(dir: string, recipe: RunRecipe, backend: Backend, opts: RunOptions): TrainOutcome {
  if (opts.resume && !fs.existsSync(dir)) throw new RnnlabError(`cannot resume: ${dir} does not exist`);
  checkRecipeFits(recipe, backend);
  prepareOutputDir(dir, 'run directory');
  if ((recipe.keepEpochs ?? 'off') !== 'off') prepareSubdirs(dir, ['epochs'], 'run directory');
  const lock = lockDirectory(dir, opts.log);
  try {
    const stale = removeStaleTempFiles(dir);
    if (stale.length)
      opts.log(`removed ${stale.length} temporary file(s) left by an interrupted writer: ${stale.join(', ')}`);
    return trainLocked(dir, recipe, backend, opts);
  } finally {
    lock.release();
  }
}

function trainLocked(dir: string, recipe: RunRecipe, backend: Backend, opts: RunOptions): TrainOutcome {
  const ckFile = path.join(dir, 'checkpoint.json');
  const trainer = opts.resume
    ? resumeRun(dir, recipe, backend, opts.log, opts.changes ?? {})
    : startRun(dir, recipe, backend);
  const t0 = Date.now();
  const keep = recipe.keepEpochs ?? 'off';
  let epochSaved = trainer.epoch;
  // timing.json gains the time since the last checkpoint at every checkpoint: a killed run loses at most the time
  // of the updates it will redo.
  let timed = t0,
    newCall = true;
  const tick = () => {
    const now = Date.now();
    addTiming(dir, (now - timed) / 1000, newCall);
    timed = now;
    newCall = false;
  };
  const save = (t: Trainer) => {
    // Each finished epoch's weights first, then the checkpoint that records the epoch as done: a crash in between
    // leaves an epoch file that the resumed run simply writes again.
    if (keep !== 'off' && t.epoch > epochSaved) {
      saveModel(epochFile(dir, t.epoch), t.model, t.init, {
        task: recipe.task,
        epoch: t.epoch,
        loss: t.history.at(-1)?.loss ?? null,
      });
      epochSaved = t.epoch;
    }
    writeFileAtomic(ckFile, t.checkpointText({ recipe }));
    tick();
  };
  try {
    drive(trainer, {
      checkpointEvery: recipe.checkpointEvery,
      save,
      maxSteps: opts.maxSteps,
      onStep: (p) => opts.onStep?.(p, trainer),
      shouldStop: opts.shouldStop && (() => opts.shouldStop!(trainer)),
    });
    save(trainer);
    if (trainer.done) saveTrained(dir, recipe, trainer, opts.log);
  } finally {
    trainer.dispose();
  }
  return { trainer, dir, seconds: (Date.now() - t0) / 1000 };
}

/** The run's training time so far: the seconds of every call that trained it, summed (timing.json). */
export function runSeconds(dir: string): { seconds: number; calls: number } | null {
  const file = path.join(dir, 'timing.json');
  if (!fs.existsSync(file)) return null;
  const t = parseJson(readTextFile(file, 'timing'), file) as { seconds?: unknown; calls?: unknown };
  if (typeof t.seconds !== 'number' || !(t.seconds >= 0) || typeof t.calls !== 'number')
    throw new RnnlabError(`${file} is not a timing record ({"seconds": s, "calls": n})`);
  return { seconds: t.seconds, calls: t.calls };
}

function addTiming(dir: string, seconds: number, newCall: boolean): void {
  const before = runSeconds(dir) ?? { seconds: 0, calls: 0 };
  const after = { seconds: before.seconds + seconds, calls: before.calls + (newCall ? 1 : 0) };
  writeFileAtomic(path.join(dir, 'timing.json'), JSON.stringify(after) + '\n');
}

const epochFile = (dir: string, epoch: number) =>
  path.join(dir, 'epochs', `epoch-${String(epoch).padStart(3, '0')}.json`);

function startRun(dir: string, recipe: RunRecipe, backend: Backend): Trainer {
  if (fs.existsSync(path.join(dir, 'checkpoint.json')) || fs.existsSync(path.join(dir, 'run.json')))
    throw new RnnlabError(`${dir} already holds a run; use --resume to continue it or choose another --out`);
  return createRun(dir, recipe, backend);
}

/** run.json, initial.json and a fresh Trainer: the start of a run, a pure function of its recipe. */
function createRun(dir: string, recipe: RunRecipe, backend: Backend): Trainer {
  const trials = buildTrials(recipe);
  writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(recipe, null, 2));
  const { model, init } = initialModel(recipe, trials, dir);
  saveModel(path.join(dir, 'initial.json'), model, init, { task: recipe.task, stage: 'initial' });
  return new Trainer(model, trials, recipe.train, backend, init);
}

function resumeRun(
  dir: string,
  recipe: RunRecipe,
  backend: Backend,
  log: (s: string) => void,
  changes: ResumeChanges,
): Trainer {
  const ckFile = path.join(dir, 'checkpoint.json');
  let trainer: Trainer;
  if (!fs.existsSync(ckFile)) {
    // Stopped before its first checkpoint: nothing was trained that the recipe cannot make again, bit for bit.
    log(`${dir} has no checkpoint yet (the run stopped before its first one): starting it again from run.json`);
    trainer = createRun(dir, recipe, backend);
  } else {
    trainer = resumeFrom(ckFile, dir, recipe, backend);
    const where = `${trainer.stepInEpoch}/${trainer.stepsPerEpoch} of the epoch`;
    log(`resuming ${dir} at epoch ${trainer.epoch + 1}, step ${trainer.step} (${where})`);
    if (trainer.done) log('this run had already finished');
  }
  const otherBuild = noteBuild(recipe, backend, log);
  if (applyChanges(trainer, recipe, changes, log) || otherBuild) {
    // Checkpoint first: a crash between the two writes leaves a checkpoint whose recipe still matches run.json's
    // identity (clipping and the period are not part of it), and the checkpoint's settings are the ones used.
    writeFileAtomic(ckFile, trainer.checkpointText({ recipe }));
    writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(recipe, null, 2));
  }
  return trainer;
}

/**
 * Resuming on another build than the last that trained the run: say so, and add this build to the recipe's list
 * (true: run.json must be written again). The run continues, but its bits are not one uninterrupted run's.
 */
function noteBuild(recipe: RunRecipe, backend: Backend, log: (s: string) => void): boolean {
  const here = kernelBuildOf(backend);
  const last = recipe.kernelBuilds?.at(-1);
  const why = last
    ? buildMismatch(last, here)
    : recipe.backend !== backend.name
      ? `backend ${JSON.stringify(recipe.backend)} there, ${JSON.stringify(backend.name)} here`
      : null;
  if (last && !why && runtimeDiffers(last, here))
    log(`note: this run was trained on ${last.runtime} and resumes on ${here.runtime} (same build)`);
  if (!why) return false;
  log(
    `warning: this run resumes on another build (${why}); it continues, but not bit-exactly as one uninterrupted ` +
      'run; run.json lists both builds',
  );
  recipe.kernelBuilds = [...(recipe.kernelBuilds ?? []), here];
  return true;
}

/** The Trainer of a verified checkpoint made from this run's recipe. */
function resumeFrom(ckFile: string, dir: string, recipe: RunRecipe, backend: Backend): Trainer {
  const raw = parseJson(readTextFile(ckFile, 'checkpoint'), `checkpoint ${ckFile}`);
  const trainer = Trainer.fromCheckpoint(raw, buildTrials(recipe), backend, `checkpoint ${ckFile}`);
  const ckRecipe = (raw as { extra?: { recipe?: RunRecipe } }).extra?.recipe;
  const differs =
    !ckRecipe || recipeIdentity(ckRecipe) !== recipeIdentity(recipe) ? 'its recipe' : trainedOtherwise(trainer, recipe);
  if (differs) {
    trainer.dispose();
    throw new RnnlabError(
      `checkpoint ${ckFile} does not belong to this run: ${differs} (task, data, size, seeds, training settings) ` +
        `differs from ${path.join(dir, 'run.json')}`,
    );
  }
  return trainer;
}

/**
 * What the checkpoint's trainer itself holds must be the recipe's too, not only the recipe copied into it: its
 * training configuration (clipping aside, which --clip amends) and its model's configuration. Null when they agree.
 */
function trainedOtherwise(trainer: Trainer, recipe: RunRecipe): string | null {
  const { clipNorm: _a, ...mine } = trainer.config;
  const { clipNorm: _b, ...wanted } = validateTrainConfig({ ...recipe.train, clipNorm: trainer.config.clipNorm });
  if (JSON.stringify(mine) !== JSON.stringify(wanted)) return 'its training configuration';
  const { nIn, nOut } = trainer.model.config;
  if (JSON.stringify(trainer.model.config) !== JSON.stringify(validateConfig({ ...recipe.model, nIn, nOut })))
    return "its model's configuration";
  return null;
}

/** Apply --clip and --checkpoint-every on resume; the recipe records them. True when anything changed. */
function applyChanges(trainer: Trainer, recipe: RunRecipe, changes: ResumeChanges, log: (s: string) => void) {
  let changed = false;
  if (changes.clipNorm !== undefined && changes.clipNorm !== trainer.config.clipNorm) {
    const previous = trainer.config.clipNorm;
    trainer.amendClipNorm(changes.clipNorm);
    recipe.train.clipNorm = changes.clipNorm;
    recipe.amendments = [...trainer.amendments];
    const now = changes.clipNorm === 0 ? 'off' : `at norm ${changes.clipNorm}`;
    log(
      `gradient clipping ${now} from update ${trainer.step + 1} on (was ${previous === 0 ? 'off' : previous}); ` +
        'recorded in run.json "amendments"',
    );
    changed = true;
  }
  if (changes.checkpointEvery !== undefined && changes.checkpointEvery !== recipe.checkpointEvery) {
    log(`checkpoints every ${changes.checkpointEvery} updates from now on (was ${recipe.checkpointEvery})`);
    recipe.checkpointEvery = changes.checkpointEvery;
    changed = true;
  }
  return changed;
}

/** model.json: the final weights, or with keepEpochs 'best' the epoch with the lowest mean training loss. */
function saveTrained(dir: string, recipe: RunRecipe, trainer: Trainer, log: (s: string) => void): void {
  const meta = {
    task: recipe.task,
    taskParams: recipe.taskParams,
    epochs: trainer.epoch,
    steps: trainer.step,
    finalLoss: trainer.history.at(-1)?.loss ?? null,
    stopReason: trainer.stopReason,
  };
  const best = trainer.history.reduce((b, h) => (h.loss < b.loss ? h : b), trainer.history[0]);
  if (recipe.keepEpochs === 'best' && best && best.epoch !== trainer.epoch) {
    const { model: bestModel, init } = loadModel(epochFile(dir, best.epoch));
    saveModel(path.join(dir, 'model.json'), bestModel, init, {
      ...meta,
      restoredBestEpoch: best.epoch,
      bestLoss: best.loss,
    });
    log(
      `model.json holds epoch ${best.epoch} (mean training loss ${best.loss.toExponential(4)}), the best; ` +
        `the final epoch ${trainer.epoch} had ${meta.finalLoss?.toExponential(4)}`,
    );
  } else saveModel(path.join(dir, 'model.json'), trainer.model, trainer.init, meta);
}
