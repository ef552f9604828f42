/**
 * One experiment job: train a network on a task, evaluate it on fresh trials, and read its dynamics. Pure function
 * of the job description (every seed is in it), run in a worker thread by pool.ts.
 */
import { createModel, createWasmBackend, initialize, modelToJson, simulate, Trainer, type ModelFile, type TrainConfig, type RecInit } from '@rnnlab/engine';
import { accuracy, conditionNames, generate, getTask, meanByCondition, noiseFreeParams, trialDistances } from '@rnnlab/tasks';
import { recurrentSpectrum } from '../spectrum';
import { freeRun, type LateBehaviour } from '../dynamics';

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
  train: Partial<TrainConfig>;
  evalTrials: number;
  evalSeed: number;
  /** Task parameters for the evaluation trials, on top of taskParams (e.g. input noise for damage tests). */
  evalParams?: Record<string, number>;
  /** Classify late-time behaviour per condition by free runs. */
  dynamics: boolean;
}

export interface JobResult {
  id: string;
  job: TrainJob;
  seconds: number;
  epochs: number;
  steps: number;
  finalLoss: number;
  accuracy: number;
  meanDistance: number;
  distanceByCondition: Record<string, number>;
  spectrum: { radius: number; dominant: { re: number; im: number }; kind: 'real' | 'complex'; period: number | null; outside: number };
  initialSpectrum: { radius: number; outside: number };
  lateBehaviour: Record<string, { behaviour: LateBehaviour; period: number | null; output: number }> | null;
  model: ModelFile;
}

export function runJob(job: TrainJob): JobResult {
  const t0 = Date.now();
  const task = getTask(job.task);
  const trials = generate(task, { nTrials: job.nTrials, seed: job.dataSeed, params: job.taskParams });
  const model = createModel({ nIn: trials.nIn, nRec: job.size, nOut: trials.nOut, recurrentBias: job.recurrentBias });
  const init = initialize(model, { rec: job.init, seed: job.seed });
  const initialSpectrum = recurrentSpectrum(model);
  const backend = createWasmBackend();
  const trainer = new Trainer(model, trials, job.train, backend, init);
  trainer.run();
  const evalParams = { ...job.taskParams, ...(job.evalParams ?? {}) };
  const test = generate(task, { nTrials: job.evalTrials, seed: job.evalSeed, params: evalParams });
  const out = simulate(model, test, backend).outputs;
  const d = trialDistances(test, out);
  const names = conditionNames(task, evalParams);
  const sp = recurrentSpectrum(model);
  let late: JobResult['lateBehaviour'] = null;
  if (job.dynamics) {
    const grid = generate(task, { nTrials: names.length, grid: true, seed: job.evalSeed + 1, params: { ...evalParams, ...noiseFreeParams(task) } });
    const fr = freeRun(model, grid);
    late = Object.fromEntries(fr.map((r, b) => [names[grid.trialTypes![b]], { behaviour: r.behaviour, period: r.period, output: r.meanOutput }]));
  }
  return {
    id: job.id, job, seconds: (Date.now() - t0) / 1000, epochs: trainer.epoch, steps: trainer.step,
    finalLoss: trainer.history.at(-1)?.loss ?? NaN,
    accuracy: accuracy(task, test, out).overall,
    meanDistance: d.reduce((a, b) => a + b, 0) / d.length,
    distanceByCondition: meanByCondition(test, d, names),
    spectrum: { radius: sp.spectralRadius, dominant: sp.dominant, kind: sp.dominantKind, period: sp.dominantPeriod, outside: sp.outsideUnitCircle },
    initialSpectrum: { radius: initialSpectrum.spectralRadius, outside: initialSpectrum.outsideUnitCircle },
    lateBehaviour: late,
    model: modelToJson(model, init, { task: job.task, taskParams: job.taskParams, job: job.id }),
  };
}
