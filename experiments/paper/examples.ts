/**
 * The paper's pictures of its networks (Jarne & Laje 2023, the output, eigenvalue and PCA figures of each task, with
 * the fixed points found and their Jacobians' eigenvalues beyond the paper): one
 * network per task of the diversity experiment, drawn with the report's figure code (analysis/report.ts), so the
 * page, the report and the lab show a network the same way. The network drawn is the first of its task that solves
 * it, orthogonal initialisation first (the authors' stored N = 50 networks are orthogonal).
 */
import { type Backend, simulate } from '@rnnlab/engine';
import { conditionNames, generate, getTask, noiseFreeParams } from '@rnnlab/tasks';
import {
  findFixedPoints,
  fixedPointSpectraFigure,
  pcaFigure,
  afterTrials,
  recurrentSpectrum,
  spectrumFigure,
  trialsFigure,
  type VegaLiteSpec,
} from '@rnnlab/analysis';
import type { PaperCells } from './cells';
import { SOLVED_ACCURACY } from './plan';
import type { StoredRecord } from './record';
import { initialModelOf, modelOf } from './trained-weights';

export interface ExampleNetwork {
  id: string;
  task: string;
  /** λ* of the trained W_rec, in words (e.g. "complex, period 35.3 steps"). */
  lambda: string;
  figures: Array<[string, VegaLiteSpec]>;
}

function pick(cells: PaperCells, task: string): StoredRecord | undefined {
  const ofInit = (init: string) =>
    cells.diversity
      .filter((c) => c.task === task && c.init === init)
      .flatMap((c) => c.records)
      .find((r) => r.accuracy >= SOLVED_ACCURACY);
  return ofInit('orthogonal') ?? ofInit('normal');
}

/** One example per task: outputs against targets per condition, spectrum before and after, PCA trajectories. */
export function exampleNetworks(cells: PaperCells, seed: number, backend: Backend): ExampleNetwork[] {
  const tasks = [...new Set(cells.diversity.map((c) => c.task))];
  return tasks.flatMap((name) => {
    const r = pick(cells, name);
    if (!r) return [];
    const task = getTask(name);
    const params = { ...r.job.taskParams, ...noiseFreeParams(task) };
    const names = conditionNames(task, params);
    const sample = generate(task, { nTrials: Math.min(Math.max(names.length, 2), 4), seed, grid: true, params });
    const { model } = modelOf(r);
    const { outputs, hidden } = simulate(model, sample, backend, { hidden: true });
    const label = (b: number) => names[sample.trialTypes![b]];
    const trained = recurrentSpectrum(model);
    const figures: Array<[string, VegaLiteSpec]> = [
      ['trials', trialsFigure(task, sample, outputs, label, Number(params.dt ?? 1))],
      ['spectrum', spectrumFigure(trained, recurrentSpectrum(initialModelOf(r)))],
    ];
    const fixedPoints = findFixedPoints(model, hidden!, { starts: 32 });
    const free = afterTrials(model, sample, backend);
    const p = pcaFigure(hidden!, sample.nTrials, sample.nSteps, model.config.nRec, label, fixedPoints, free);
    if (p) figures.push(['pca', p]);
    const j = fixedPointSpectraFigure(fixedPoints);
    if (j) figures.push(['fixed-points', j]);
    const period = trained.dominantPeriod ? `, period ${trained.dominantPeriod.toFixed(1)} steps` : '';
    return [{ id: r.id, task: name, lambda: `${trained.dominantKind}${period}`, figures }];
  });
}
