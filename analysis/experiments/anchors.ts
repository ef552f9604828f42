/**
 * The authors' own networks as anchors: four of their trained N = 50 networks (analysis/paper-data/networks) run
 * through the same evaluation as rnnlab's networks of the same task — the same generator and parameters, the same
 * fresh trials, the paper's distance metric, the spectrum and the late behaviour — so that a difference between
 * the authors' numbers and rnnlab's can be told apart from a difference in how they are measured.
 */
import { importKerasFile, simulate, type Backend } from '@rnnlab/engine';
import {
  accuracy,
  conditionNames,
  generate,
  getTask,
  meanByCondition,
  noiseFreeParams,
  trialDistances,
} from '@rnnlab/tasks';
import { paperDataFile } from '../paperdata';
import { recurrentSpectrum } from '../spectrum';
import { freeRun } from '../dynamics';

export interface AnchorRow {
  /** The authors' name for it. */
  network: string;
  task: string;
  taskParams: Record<string, number>;
  accuracy: number;
  meanDistance: number;
  distanceByCondition: Record<string, number>;
  spectrum: { radius: number; kind: 'real' | 'complex'; outside: number; period: number | null };
  /** Late behaviour per trial type, as on the diversity table (FP, OSC, CHAOS). */
  lateBehaviour: string;
  /** rnnlab's networks of the same task and parameters (the diversity experiment): count and mean distance. */
  rnnlab: { networks: number; solved: number; meanDistance: number } | null;
}

/** The anchors: file, the authors' name, the task generator they match (paper-spec §2.3). */
export const ANCHOR_NETWORKS: ReadonlyArray<{ file: string; network: string; task: string }> = [
  { file: 'and_trained.hdf5', network: 'AND orthogonal #04 (con ruido)', task: 'and' },
  { file: 'xor_trained.hdf5', network: 'XOR orthogonal #00 (con ruido)', task: 'xor' },
  { file: 'ff_trained.hdf5', network: 'flip-flop orthogonal #06', task: 'ff' },
  { file: 'time_trained.hdf5', network: 'pulse orthogonal #03', task: 'pulse' },
];

export function anchorRows(
  opts: { evalTrials: number; evalSeed: number; backend: Backend },
  taskParamsOf: (task: string) => Record<string, number>,
  rnnlabOf: (task: string) => AnchorRow['rnnlab'],
): AnchorRow[] {
  return ANCHOR_NETWORKS.map(({ file, network, task: taskName }) => {
    const { model } = importKerasFile(paperDataFile(`networks/${file}`), 'float64');
    const task = getTask(taskName);
    const taskParams = taskParamsOf(taskName);
    const test = generate(task, { nTrials: opts.evalTrials, seed: opts.evalSeed, params: taskParams });
    const out = simulate(model, test, opts.backend).outputs;
    const d = Array.from(trialDistances(test, out));
    const names = conditionNames(task, taskParams);
    const sp = recurrentSpectrum(model);
    const grid = generate(task, {
      nTrials: names.length,
      grid: true,
      seed: opts.evalSeed + 1,
      params: { ...taskParams, ...noiseFreeParams(task) },
    });
    const late = freeRun(model, grid)
      .map(
        (r, b) =>
          `${names[grid.trialTypes![b]]}:${r.behaviour === 'fixed-point' ? 'FP' : r.behaviour === 'oscillation' ? 'OSC' : 'CHAOS'}`,
      )
      .join(' ');
    return {
      network,
      task: taskName,
      taskParams,
      accuracy: accuracy(task, test, out).overall,
      meanDistance: d.reduce((a, b) => a + b, 0) / d.length,
      distanceByCondition: meanByCondition(test, d, names),
      spectrum: {
        radius: sp.spectralRadius,
        kind: sp.dominantKind,
        outside: sp.outsideUnitCircle,
        period: sp.dominantPeriod,
      },
      lateBehaviour: late,
      rnnlab: rnnlabOf(taskName),
    };
  });
}
