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
import {
  createModel, initialize, parseJson, readTextFile, RnnlabError, saveModel, Trainer, writeFileAtomic,
  type AdamConfig, type InitConfig, type RnnConfig, type TrainConfig, type Backend,
} from '@rnnlab/engine';
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
}

export function buildTrials(r: RunRecipe): GeneratedTrials {
  return generate(getTask(r.task), { nTrials: r.nTrials, seed: r.dataSeed, params: r.taskParams });
}

export interface TrainOutcome {
  trainer: Trainer;
  dir: string;
  seconds: number;
}

export function runTraining(dir: string, recipe: RunRecipe, backend: Backend, resume: boolean, log: (s: string) => void, maxSteps?: number): TrainOutcome {
  const ckFile = path.join(dir, 'checkpoint.json');
  const trials = buildTrials(recipe);
  let trainer: Trainer;
  if (resume) {
    if (!fs.existsSync(ckFile)) throw new RnnlabError(`cannot resume: no checkpoint at ${ckFile}`);
    trainer = Trainer.fromCheckpoint(parseJson(readTextFile(ckFile, 'checkpoint'), `checkpoint ${ckFile}`), trials, backend, `checkpoint ${ckFile}`);
    log(`resuming ${dir} at epoch ${trainer.epoch + 1}, step ${trainer.step} (${trainer.stepInEpoch}/${trainer.stepsPerEpoch} of the epoch)`);
    if (trainer.done) log('this run had already finished');
  } else {
    if (fs.existsSync(ckFile)) throw new RnnlabError(`${dir} already holds a run; use --resume to continue it or choose another --out`);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, 'run.json'), JSON.stringify(recipe, null, 2));
    const model = createModel({ ...recipe.model, nIn: trials.nIn, nOut: trials.nOut });
    const init = initialize(model, recipe.init);
    saveModel(path.join(dir, 'initial.json'), model, init, { task: recipe.task, stage: 'initial' });
    trainer = new Trainer(model, trials, recipe.train, backend, init);
  }
  const total = trainer.config.epochs * trainer.stepsPerEpoch;
  const tty = process.stderr.isTTY === true;
  const bar = tty ? new cliProgress.SingleBar({ format: 'epoch {epoch}/{epochs} |{bar}| {percentage}% | loss {loss} | {duration_formatted} elapsed, ETA {eta_formatted}', hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic) : null;
  bar?.start(total, trainer.step, { epoch: trainer.epoch + 1, epochs: trainer.config.epochs, loss: '-' });
  const t0 = Date.now();
  let lastEpochLogged = trainer.epoch;
  const saveCheckpoint = (t: Trainer) => writeFileAtomic(ckFile, JSON.stringify(t.toCheckpoint({ recipe })));
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
          log(`epoch ${h.epoch}/${trainer.config.epochs}: loss ${h.loss.toExponential(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        }
      },
    });
  } finally {
    bar?.stop();
  }
  saveCheckpoint(trainer);
  if (trainer.done) saveModel(path.join(dir, 'model.json'), trainer.model, trainer.init, { task: recipe.task, taskParams: recipe.taskParams, epochs: trainer.epoch, steps: trainer.step, finalLoss: trainer.history.at(-1)?.loss ?? null, stopReason: trainer.stopReason });
  trainer.dispose();
  return { trainer, dir, seconds: (Date.now() - t0) / 1000 };
}
