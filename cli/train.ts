/**
 * `rnnlab train`: build the task's trial set, initialise a network, train it with the paper's protocol, and keep a
 * run directory that can be resumed bit-exactly:
 *
 *   run.json         the recipe (task, task parameters, data seed, sizes, model, init and training settings)
 *   initial.json     the network before training
 *   checkpoint.json  the full trainer state, written atomically every --checkpoint-every steps and every epoch
 *   model.json       the trained network (at the end)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cliProgress from 'cli-progress';
import * as os from 'os';
import {
  type AdamConfig,
  type Amendment,
  assertFits,
  type Backend,
  createModel,
  estimateTrainingMemory,
  type InitConfig,
  initialize,
  parseJson,
  type RnnConfig,
  RnnlabError,
  type TrainConfig,
  Trainer,
  validateConfig,
} from '@rnnlab/engine';
import {
  loadModel,
  lockDirectory,
  prepareOutputDir,
  readTextFile,
  removeStaleTempFiles,
  saveModel,
  writeFileAtomic,
} from '@rnnlab/engine/node';
import { generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';

export interface RunRecipe {
  format: 'rnnlab-run';
  version: 1;
  task: string;
  taskParams: Record<string, number>;
  dataSeed: number;
  nTrials: number;
  model: Partial<RnnConfig>;
  init: InitConfig;
  train: Partial<TrainConfig> & { adam: AdamConfig };
  /** What ran (e.g. "wasm-simd x2 threads"), and the --backend / --threads that select it again on resume. */
  backend: string;
  backendName?: string;
  threads?: number;
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

/** What a --resume may change: gradient clipping from the next update on, and the checkpoint period. */
export interface ResumeChanges {
  clipNorm?: number;
  checkpointEvery?: number;
}

/**
 * The part of a recipe that decides what is trained (task, data, model, init, training settings): a checkpoint must
 * have been made from the same. Clipping and the checkpoint period may change on resume, so they are left out.
 */
function recipeIdentity(r: RunRecipe): string {
  const { clipNorm: _clip, ...train } = r.train;
  return JSON.stringify({
    task: r.task,
    taskParams: r.taskParams,
    dataSeed: r.dataSeed,
    nTrials: r.nTrials,
    model: r.model,
    init: r.init,
    train,
  });
}

/**
 * Refuse a recipe whose training cannot fit before anything is allocated: the model (validateConfig), then the trial
 * set and workspace from one probe trial's length, against WebAssembly's 4 GiB and this machine's memory.
 */
export function checkRecipeFits(r: RunRecipe, backend: Backend): void {
  const probe = generate(getTask(r.task), { nTrials: 1, seed: r.dataSeed, params: r.taskParams });
  const config = validateConfig({ ...r.model, nIn: probe.nIn, nOut: probe.nOut });
  const est = estimateTrainingMemory(config, r.nTrials, probe.nSteps, r.train.batchSize ?? 64);
  assertFits(est, `training ${r.nTrials} trials of ${probe.nSteps} steps at N = ${config.nRec}`, {
    available: os.totalmem(),
    wasm: backend.name.startsWith('wasm'),
    largestArray: r.nTrials * probe.nSteps * Math.max(probe.nIn, probe.nOut),
  });
}
export function buildTrials(r: RunRecipe): GeneratedTrials {
  return generate(getTask(r.task), { nTrials: r.nTrials, seed: r.dataSeed, params: r.taskParams });
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
export function runTraining(
  dir: string,
  recipe: RunRecipe,
  backend: Backend,
  resume: boolean,
  log: (s: string) => void,
  maxSteps?: number,
  changes: ResumeChanges = {},
): TrainOutcome {
  if (resume && !fs.existsSync(dir)) throw new RnnlabError(`cannot resume: ${dir} does not exist`);
  checkRecipeFits(recipe, backend);
  prepareOutputDir(dir, 'run directory');
  const lock = lockDirectory(dir, log);
  try {
    const stale = removeStaleTempFiles(dir);
    if (stale.length)
      log(`removed ${stale.length} temporary file(s) left by an interrupted writer: ${stale.join(', ')}`);
    return trainLocked(dir, recipe, backend, resume, log, maxSteps, changes);
  } finally {
    lock.release();
  }
}

function trainLocked(
  dir: string,
  recipe: RunRecipe,
  backend: Backend,
  resume: boolean,
  log: (s: string) => void,
  maxSteps: number | undefined,
  changes: ResumeChanges,
): TrainOutcome {
  const ckFile = path.join(dir, 'checkpoint.json');
  let trainer: Trainer;
  if (resume) {
    if (!fs.existsSync(ckFile)) throw new RnnlabError(`cannot resume: no checkpoint at ${ckFile}`);
    const trials = buildTrials(recipe);
    const raw = parseJson(readTextFile(ckFile, 'checkpoint'), `checkpoint ${ckFile}`);
    trainer = Trainer.fromCheckpoint(raw, trials, backend, `checkpoint ${ckFile}`);
    const ckRecipe = (raw as { extra?: { recipe?: RunRecipe } }).extra?.recipe;
    if (!ckRecipe || recipeIdentity(ckRecipe) !== recipeIdentity(recipe)) {
      trainer.dispose();
      throw new RnnlabError(
        `checkpoint ${ckFile} does not belong to this run: its recipe (task, data, size, seeds, training settings) differs from ${path.join(dir, 'run.json')}`,
      );
    }
    log(
      `resuming ${dir} at epoch ${trainer.epoch + 1}, step ${trainer.step} (${trainer.stepInEpoch}/${trainer.stepsPerEpoch} of the epoch)`,
    );
    if (trainer.done) log('this run had already finished');
    let changed = false;
    if (changes.clipNorm !== undefined && changes.clipNorm !== trainer.config.clipNorm) {
      const previous = trainer.config.clipNorm;
      trainer.amendClipNorm(changes.clipNorm);
      recipe.train.clipNorm = changes.clipNorm;
      recipe.amendments = [...trainer.amendments];
      log(
        `gradient clipping ${changes.clipNorm === 0 ? 'off' : `at norm ${changes.clipNorm}`} from update ${trainer.step + 1} on (was ${previous === 0 ? 'off' : previous}); recorded in run.json "amendments"`,
      );
      changed = true;
    }
    if (changes.checkpointEvery !== undefined && changes.checkpointEvery !== recipe.checkpointEvery) {
      log(`checkpoints every ${changes.checkpointEvery} updates from now on (was ${recipe.checkpointEvery})`);
      recipe.checkpointEvery = changes.checkpointEvery;
      changed = true;
    }
    if (changed) {
      // Checkpoint first: a crash between the two writes leaves a checkpoint whose recipe still matches run.json's
      // identity (clipping and the period are not part of it), and the checkpoint's settings are the ones used.
      writeFileAtomic(ckFile, trainer.checkpointText({ recipe }));
      writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(recipe, null, 2));
    }
  } else {
    if (fs.existsSync(ckFile) || fs.existsSync(path.join(dir, 'run.json')))
      throw new RnnlabError(`${dir} already holds a run; use --resume to continue it or choose another --out`);
    const trials = buildTrials(recipe);
    writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(recipe, null, 2));
    const model = createModel({ ...recipe.model, nIn: trials.nIn, nOut: trials.nOut });
    const init = initialize(model, recipe.init);
    saveModel(path.join(dir, 'initial.json'), model, init, { task: recipe.task, stage: 'initial' });
    trainer = new Trainer(model, trials, recipe.train, backend, init);
  }
  const total = trainer.config.epochs * trainer.stepsPerEpoch;
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'epoch {epoch}/{epochs} |{bar}| {percentage}% | loss {loss} | {duration_formatted} elapsed, ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, trainer.step, { epoch: trainer.epoch + 1, epochs: trainer.config.epochs, loss: '-' });
  const t0 = Date.now();
  let lastEpochLogged = trainer.epoch;
  const keep = recipe.keepEpochs ?? 'off';
  let epochSaved = trainer.epoch;
  const saveCheckpoint = (t: Trainer) => {
    // Each finished epoch's weights first, then the checkpoint that records the epoch as done: a crash in between
    // leaves an epoch file that the resumed run simply writes again.
    if (keep !== 'off' && t.epoch > epochSaved) {
      saveModel(path.join(dir, 'epochs', `epoch-${String(t.epoch).padStart(3, '0')}.json`), t.model, t.init, {
        task: recipe.task,
        epoch: t.epoch,
        loss: t.history.at(-1)?.loss ?? null,
      });
      epochSaved = t.epoch;
    }
    writeFileAtomic(ckFile, t.checkpointText({ recipe }));
  };
  try {
    trainer.run({
      maxSteps,
      checkpointEvery: recipe.checkpointEvery,
      onCheckpoint: saveCheckpoint,
      onStep: (p) => {
        bar?.update(p.step, { epoch: Math.min(p.epoch + 1, trainer.config.epochs), loss: p.loss.toExponential(3) });
        if (!tty && trainer.epoch !== lastEpochLogged) {
          lastEpochLogged = trainer.epoch;
          const h = trainer.history[trainer.history.length - 1];
          log(
            `epoch ${h.epoch}/${trainer.config.epochs}: loss ${h.loss.toExponential(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
          );
        }
      },
    });
  } finally {
    bar?.stop();
  }
  saveCheckpoint(trainer);
  if (trainer.done) {
    const meta = {
      task: recipe.task,
      taskParams: recipe.taskParams,
      epochs: trainer.epoch,
      steps: trainer.step,
      finalLoss: trainer.history.at(-1)?.loss ?? null,
      stopReason: trainer.stopReason,
    };
    const best = trainer.history.reduce((b, h) => (h.loss < b.loss ? h : b), trainer.history[0]);
    if (keep === 'best' && best && best.epoch !== trainer.epoch) {
      const file = path.join(dir, 'epochs', `epoch-${String(best.epoch).padStart(3, '0')}.json`);
      const { model: bestModel, init } = loadModel(file);
      saveModel(path.join(dir, 'model.json'), bestModel, init, {
        ...meta,
        restoredBestEpoch: best.epoch,
        bestLoss: best.loss,
      });
      log(
        `model.json holds epoch ${best.epoch} (mean training loss ${best.loss.toExponential(4)}), the best; the final epoch ${trainer.epoch} had ${meta.finalLoss?.toExponential(4)}`,
      );
    } else saveModel(path.join(dir, 'model.json'), trainer.model, trainer.init, meta);
  }
  trainer.dispose();
  return { trainer, dir, seconds: (Date.now() - t0) / 1000 };
}
