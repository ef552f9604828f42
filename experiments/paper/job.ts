/**
 * One experiment job: train a network on a task, evaluate it on fresh trials, and read its spectrum and dynamics.
 * A pure function of the job description (every seed is in it), run in a worker thread by pool.ts.
 *
 * Training checkpoints every `checkpointEvery` updates (and whenever asked to stop) into `checkpointDir`, and a job
 * that finds a valid checkpoint of itself there continues from it: a killed, preempted or requeued job ends with
 * the same bits as an uninterrupted one (the Trainer's checkpoint is its complete state).
 */
import * as fs from 'fs';
import * as path from 'path';
import { sealProblem, sealText } from '@rnnlab/engine/advanced';
import {
  type Backend,
  buildMismatch,
  checkedKernelBuild,
  createWasmBackend,
  type KernelBuild,
  kernelBuildOf,
  terminalSafe,
  type InitConfig,
  type EpochRecord,
  type ModelFile,
  modelToJson,
  parseJson,
  type RecInit,
  type StopReason,
  type TrainConfig,
  Trainer,
  type Trials,
} from '@rnnlab/engine';
import { readTextFile, writeFileAtomic } from '@rnnlab/engine/node';
import { recurrentSpectrum } from '@rnnlab/analysis';
import { drive, type DriveEnd } from '../run/driver';
import { buildTrials, initialModel, type Recipe } from '../run/recipe';
import { evaluateNetwork, type LateBehaviours } from './evaluate';

export interface TrainJob {
  id: string;
  task: string;
  taskParams: Record<string, number>;
  size: number;
  init: RecInit;
  seed: number;
  dataSeed: number;
  nTrials: number;
  recurrentBias: boolean;
  /** The complete training configuration (protocol, optimiser and its convention, seed). */
  train: TrainConfig;
  evalTrials: number;
  /** Seed of the evaluation trials (accuracy and distances). */
  evalSeed: number;
  /** Seed of the noise-free trials, one per condition, whose free runs give the late behaviour (when `dynamics`). */
  lateSeed: number;
  /** Classify late-time behaviour per condition by free runs. */
  dynamics: boolean;
}

/** Loss rising to this many times its best epoch after learning counts as divergence after learning. */
const DIVERGENCE_FACTOR = 3;

export interface JobResult {
  id: string;
  job: TrainJob;
  /** Wall seconds spent on this job, summed over every process that worked on it (not part of the science). */
  seconds: number;
  epochs: number;
  steps: number;
  /** 'diverged': the loss or gradient stopped being finite; the network is the last finite one. */
  stopReason: StopReason | 'diverged';
  /** Mean training loss of every epoch. */
  history: EpochRecord[];
  finalLoss: number;
  diagnostics: { bestEpoch: number; bestLoss: number; divergedAfterLearning: boolean; resumedFromCheckpoint: boolean };
  accuracy: number;
  meanDistance: number;
  /** Distribution of the per-trial distance over the evaluation trials. */
  distance: { sd: number; min: number; median: number; max: number };
  distanceByCondition: Record<string, number>;
  spectrum: {
    radius: number;
    dominant: { re: number; im: number };
    kind: 'real' | 'complex';
    period: number | null;
    outside: number;
  };
  initialSpectrum: { radius: number; outside: number };
  lateBehaviour: LateBehaviours | null;
  model: ModelFile;
  /**
   * The builds that trained and evaluated it, in order: one, unless a checkpoint made on another build was resumed.
   * Records made before records named their build lack it (docs/limitations.md).
   */
  kernelBuilds?: KernelBuild[];
}

export interface JobContext {
  /** Where this job's training checkpoint lives (created on demand); null: no checkpoints. */
  checkpointDir: string | null;
  checkpointEvery: number;
  /** Polled after every update; true: write a checkpoint and return 'stopped'. */
  shouldStop?: () => boolean;
  /** Fault injection for tests of preemption: sleep this long after every update. */
  stepDelayMs?: number;
  /** Called when a checkpoint has been written (tests). */
  onCheckpoint?: (step: number) => void;
}

const CHECKPOINT_FILE = 'checkpoint.json';

/** A job checkpoint: the Trainer's state, the job it belongs to, the seconds spent so far, and a checksum. */
interface JobCheckpoint {
  job: TrainJob;
  seconds: number;
  /** The builds that trained it so far (absent in checkpoints written before builds were recorded). */
  kernelBuilds?: KernelBuild[];
  trainer: unknown;
  sha256: string;
}

function readCheckpoint(file: string, job: TrainJob): { ck: JobCheckpoint | null; problem: string | null } {
  if (!fs.existsSync(file)) return { ck: null, problem: null };
  try {
    const raw = parseJson(readTextFile(file, 'job checkpoint'), file) as JobCheckpoint;
    const unsealed = sealProblem(raw as unknown as Record<string, unknown>);
    if (unsealed) return { ck: null, problem: unsealed };
    if (JSON.stringify(raw.job) !== JSON.stringify(job))
      return { ck: null, problem: 'it belongs to a different job recipe' };
    return { ck: raw, problem: null };
  } catch (e) {
    return { ck: null, problem: (e as Error).message };
  }
}

/** The recipe of a paper job: what it trains, for the driver (run/driver.ts) that `rnnlab train` uses too. */
/**
 * The trainer of a valid checkpoint of this job, with the seconds spent before; null: start from the beginning. A
 * damaged checkpoint, or one of another job, is set aside (never silently reused, never deleted).
 */
function resumeJob(
  ckFile: string | null,
  job: TrainJob,
  trials: Trials,
  backend: Backend,
): { trainer: Trainer; seconds: number; kernelBuilds: KernelBuild[] } | null {
  if (!ckFile) return null;
  const read = readCheckpoint(ckFile, job);
  let problem = read.problem;
  if (read.ck) {
    try {
      const trainer = Trainer.fromCheckpoint(read.ck.trainer, trials, backend, ckFile);
      return { trainer, seconds: read.ck.seconds, kernelBuilds: resumedBuilds(read.ck, job, backend) };
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  if (problem) {
    const aside = `${ckFile}.bad-${Date.now()}`;
    fs.renameSync(ckFile, aside);
    process.stderr.write(
      `rnnlab: warning: job ${job.id}: checkpoint ${ckFile} refused (${problem}); ` +
        `moved to ${path.basename(aside)}, training from the start\n`,
    );
  }
  return null;
}

/**
 * The builds of a resumed job: the checkpoint's, and this one after them where it differs (with a warning: the
 * network will not be the bits an uninterrupted run on either build gives).
 */
function resumedBuilds(ck: JobCheckpoint, job: TrainJob, backend: Backend): KernelBuild[] {
  const here = kernelBuildOf(backend);
  const before = (ck.kernelBuilds ?? []).map((b, i) => checkedKernelBuild(b, `checkpoint build ${i}`));
  const last = before.at(-1);
  const why = last ? buildMismatch(last, here) : 'the checkpoint does not name its build';
  if (!why) return before;
  process.stderr.write(
    `rnnlab: warning: job ${job.id}: resuming a checkpoint on another build (${terminalSafe(why)}); its record will ` +
      'name both, and its bits are those of neither build alone\n',
  );
  return [...before, here];
}

export function jobRecipe(job: TrainJob): Recipe {
  return {
    task: job.task,
    taskParams: job.taskParams,
    dataSeed: job.dataSeed,
    nTrials: job.nTrials,
    model: { nRec: job.size, recurrentBias: job.recurrentBias },
    init: { rec: job.init, seed: job.seed },
    train: job.train,
  };
}

export function runJob(
  job: TrainJob,
  ctx: JobContext = { checkpointDir: null, checkpointEvery: 0 },
): JobResult | 'stopped' {
  const t0 = Date.now();
  const recipe = jobRecipe(job);
  const trials = buildTrials(recipe);
  const { model, init } = initialModel(recipe, trials);
  const initialSpectrum = recurrentSpectrum(model);
  const backend = createWasmBackend();

  const ckFile = ctx.checkpointDir ? path.join(ctx.checkpointDir, CHECKPOINT_FILE) : null;
  const start = resumeJob(ckFile, job, trials, backend);
  const trainer = start?.trainer ?? new Trainer(model, trials, job.train, backend, init);
  const secondsBefore = start?.seconds ?? 0;
  const kernelBuilds = start?.kernelBuilds ?? [kernelBuildOf(backend)];
  const save = (t: Trainer) => {
    if (!ckFile) return;
    // The text of { job, seconds, trainer }, built without stringifying the large trainer state twice; it is exactly
    // what JSON.stringify would give, so readCheckpoint's re-stringified checksum matches.
    const head = JSON.stringify({ job, seconds: secondsBefore + (Date.now() - t0) / 1000, kernelBuilds });
    const payload = `${head.slice(0, -1)},"trainer":${t.checkpointText()}}`;
    writeFileAtomic(ckFile, sealText(payload));
    ctx.onCheckpoint?.(t.step);
  };
  const sleeper = ctx.stepDelayMs ? new Int32Array(new SharedArrayBuffer(4)) : null;
  let end: DriveEnd;
  try {
    end = drive(trainer, {
      checkpointEvery: ctx.checkpointEvery,
      save,
      shouldStop: ctx.shouldStop,
      onStep: sleeper ? () => void Atomics.wait(sleeper, 0, 0, ctx.stepDelayMs) : undefined,
      tolerateDivergence: true, // the model keeps the last finite weights, and the record says it diverged
    });
  } finally {
    trainer.dispose();
  }
  if (end === 'stopped') return 'stopped';
  const trained = {
    trainer,
    init,
    backend,
    initialSpectrum,
    diverged: end === 'diverged',
    resumed: start !== null,
    kernelBuilds,
  };
  // The job's seconds include its evaluation: read the clock when the record is made.
  return jobResult(job, trained, () => secondsBefore + (Date.now() - t0) / 1000);
}

/** The record of a trained network: its training history and diagnostics, its evaluation, spectrum and weights. */
function jobResult(
  job: TrainJob,
  t: {
    trainer: Trainer;
    init: InitConfig;
    backend: Backend;
    initialSpectrum: ReturnType<typeof recurrentSpectrum>;
    diverged: boolean;
    resumed: boolean;
    kernelBuilds: KernelBuild[];
  },
  seconds: () => number,
): JobResult {
  const { trainer, init, backend, initialSpectrum, diverged, resumed } = t;
  const trained = trainer.model; // a resumed trainer holds the checkpoint's model, not the one made above
  const ev = evaluateNetwork(trained, job.task, job.taskParams, {
    evalTrials: job.evalTrials,
    evalSeed: job.evalSeed,
    lateSeed: job.lateSeed,
    backend,
    dynamics: job.dynamics,
  });
  const d = ev.distances;
  const sp = recurrentSpectrum(trained);
  const history = [...trainer.history];
  let best = 0;
  for (let i = 1; i < history.length; i++) if (history[i].loss < history[best].loss) best = i;
  const bestLoss = history[best]?.loss ?? NaN,
    finalLoss = history.at(-1)?.loss ?? NaN;
  const mean = ev.meanDistance;
  const sorted = [...d].sort((a, b) => a - b);
  const result: JobResult = {
    id: job.id,
    job,
    seconds: seconds(),
    epochs: trainer.epoch,
    steps: trainer.step,
    stopReason: diverged ? 'diverged' : trainer.stopReason,
    history,
    finalLoss,
    diagnostics: {
      bestEpoch: history[best]?.epoch ?? 0,
      bestLoss,
      divergedAfterLearning: diverged || finalLoss > DIVERGENCE_FACTOR * bestLoss,
      resumedFromCheckpoint: resumed,
    },
    accuracy: ev.accuracy,
    meanDistance: mean,
    distance: {
      sd: d.length > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1)) : 0,
      min: sorted[0],
      median:
        sorted.length % 2
          ? sorted[(sorted.length - 1) / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
      max: sorted[sorted.length - 1],
    },
    distanceByCondition: ev.distanceByCondition,
    spectrum: {
      radius: sp.spectralRadius,
      dominant: sp.dominant,
      kind: sp.dominantKind,
      period: sp.dominantPeriod,
      outside: sp.outsideUnitCircle,
    },
    initialSpectrum: { radius: initialSpectrum.spectralRadius, outside: initialSpectrum.outsideUnitCircle },
    lateBehaviour: ev.lateBehaviour,
    model: modelToJson(trained, init, { task: job.task, taskParams: job.taskParams, job: job.id }),
    kernelBuilds: t.kernelBuilds,
  };
  return result;
}
