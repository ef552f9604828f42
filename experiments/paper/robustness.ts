/**
 * Robustness to the task's parameterisation (paper-spec §9.3, §9.4), measured on the trained networks without
 * retraining:
 *   - input noise: each decision-task network of the diversity experiment (trained at σ = 0.1), and each AND network
 *     of the noise-free control (trained at σ = 0), evaluated on fresh trials with input noise σ ∈ {0, 0.1, 0.2};
 *   - transfer across delays: each pulse network of the delay sweep evaluated at every delay of the sweep.
 */
import { type Backend, type RnnModel, simulate } from '@rnnlab/engine';
import { generate, getTask, trialDistances } from '@rnnlab/tasks';

const NOISE_LEVELS = [0, 0.1, 0.2] as const;

export interface NoiseRow {
  task: string;
  init: string;
  /** Network size, where the cell is not the N = 50 diversity experiment (the large AND networks). */
  size?: number;
  networks: number;
  /** The input noise σ the networks were trained with (0: the noise-free control). */
  trainedNoise: number;
  /** Mean distance over networks at each input-noise σ (keys "0", "0.1", "0.2"). */
  distance: Record<string, number>;
  /** Each network's mean distance at each σ, in the cell's order (for the claims' intervals). */
  perNetwork: Record<string, number[]>;
}

export interface TransferRow {
  /** The delay the networks were trained at. */
  trainedAt: number;
  networks: number;
  /** Mean distance at each test delay (keys are delays in ms). */
  distance: Record<string, number>;
  /** Each network's mean distance at each test delay, in the order of the networks (absent in older merges). */
  perNetwork?: Record<string, number[]>;
}

const meanDistance = (
  model: RnnModel,
  task: string,
  params: Record<string, number>,
  n: number,
  seed: number,
  backend: Backend,
) => {
  const trials = generate(getTask(task), { nTrials: n, seed, params });
  const d = trialDistances(trials, simulate(model, trials, backend).outputs);
  return d.reduce((a, b) => a + b, 0) / d.length;
};

export function noiseRobustness(
  cells: Array<{
    task: string;
    init: string;
    size?: number;
    params: Record<string, number>;
    models: RnnModel[];
  }>,
  evalTrials: number,
  seed: number,
  backend: Backend,
): NoiseRow[] {
  return cells
    .filter((c) => c.models.length > 0)
    .map((c) => {
      const distance: Record<string, number> = {},
        perNetwork: Record<string, number[]> = {};
      for (const sigma of NOISE_LEVELS) {
        const ds = c.models.map((m) =>
          meanDistance(m, c.task, { ...c.params, inputNoise: sigma }, evalTrials, seed, backend),
        );
        distance[String(sigma)] = ds.reduce((a, b) => a + b, 0) / ds.length;
        perNetwork[String(sigma)] = ds;
      }
      return {
        task: c.task,
        init: c.init,
        ...(c.size ? { size: c.size } : {}),
        networks: c.models.length,
        trainedNoise: c.params.inputNoise ?? 0,
        distance,
        perNetwork,
      };
    });
}

export function delayTransfer(
  byDelay: Map<number, { params: Record<string, number>; models: RnnModel[] }>,
  evalTrials: number,
  seed: number,
  backend: Backend,
): TransferRow[] {
  const delays = [...byDelay.keys()].sort((a, b) => a - b);
  return delays.map((trainedAt) => {
    const { params, models } = byDelay.get(trainedAt)!;
    const distance: Record<string, number> = {},
      perNetwork: Record<string, number[]> = {};
    for (const at of delays) {
      const ds = models.map((m) => meanDistance(m, 'pulse', { ...params, memGap: at }, evalTrials, seed, backend));
      distance[String(at)] = ds.reduce((a, b) => a + b, 0) / ds.length;
      perNetwork[String(at)] = ds;
    }
    return { trainedAt, networks: models.length, distance, perNetwork };
  });
}
