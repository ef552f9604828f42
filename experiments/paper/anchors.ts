/**
 * The authors' own networks as anchors: four of their trained N = 50 networks (experiments/paper/authors-data/networks)
 * run through the same evaluation as rnnlab's networks of the same task — the same generator and parameters, the same
 * fresh trials, the paper's distance metric, the spectrum and the late behaviour — so that a difference between
 * the authors' numbers and rnnlab's can be told apart from a difference in how they are measured.
 */
import { type Backend } from '@rnnlab/engine';
import { importKerasFile } from '@rnnlab/engine/node';
import { paperDataFile } from './authors';
import { recurrentSpectrum } from '@rnnlab/analysis';
import { evaluateNetwork, latePattern } from './evaluate';

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
  opts: { evalTrials: number; evalSeed: number; lateSeed: number; backend: Backend },
  taskParamsOf: (task: string) => Record<string, number>,
  rnnlabOf: (task: string) => AnchorRow['rnnlab'],
): AnchorRow[] {
  return ANCHOR_NETWORKS.map(({ file, network, task }) => {
    const { model } = importKerasFile(paperDataFile(`networks/${file}`), 'float64');
    const taskParams = taskParamsOf(task);
    const ev = evaluateNetwork(model, task, taskParams, { ...opts, dynamics: true });
    const sp = recurrentSpectrum(model);
    return {
      network,
      task,
      taskParams,
      accuracy: ev.accuracy,
      meanDistance: ev.meanDistance,
      distanceByCondition: ev.distanceByCondition,
      spectrum: {
        radius: sp.spectralRadius,
        kind: sp.dominantKind,
        outside: sp.outsideUnitCircle,
        period: sp.dominantPeriod,
      },
      lateBehaviour: latePattern(ev.lateBehaviour!, ev.conditions),
      rnnlab: rnnlabOf(task),
    };
  });
}
