/**
 * How a trained network is scored, the same for rnnlab's networks (job.ts) and the authors' (anchors.ts): fresh
 * trials of its task, the paper's distance per trial and per trial type, accuracy, and optionally the late
 * behaviour after each trial type in a free run from noise-free trials.
 */
import { type Backend, type RnnModel, simulate } from '@rnnlab/engine';
import {
  accuracy,
  conditionNames,
  generate,
  getTask,
  meanByCondition,
  noiseFreeParams,
  trialDistances,
} from '@rnnlab/tasks';
import { freeRun, type LateBehaviour } from '@rnnlab/analysis';

export type LateBehaviours = Record<string, { behaviour: LateBehaviour; period: number | null; output: number }>;

export interface NetworkEvaluation {
  accuracy: number;
  /** The paper's distance of every evaluation trial, in trial order. */
  distances: number[];
  meanDistance: number;
  distanceByCondition: Record<string, number>;
  lateBehaviour: LateBehaviours | null;
  /** The task's trial types in its own order (an object with keys like "10" lists them in another). */
  conditions: string[];
}

export function evaluateNetwork(
  model: RnnModel,
  taskName: string,
  params: Record<string, number>,
  opts: { evalTrials: number; evalSeed: number; lateSeed: number; backend: Backend; dynamics: boolean },
): NetworkEvaluation {
  const task = getTask(taskName);
  const test = generate(task, { nTrials: opts.evalTrials, seed: opts.evalSeed, params });
  const out = simulate(model, test, opts.backend).outputs;
  const d = Array.from(trialDistances(test, out));
  const names = conditionNames(task, params);
  let late: LateBehaviours | null = null;
  if (opts.dynamics) {
    const grid = generate(task, {
      nTrials: names.length,
      grid: true,
      seed: opts.lateSeed,
      params: { ...params, ...noiseFreeParams(task) },
    });
    late = Object.fromEntries(
      freeRun(model, grid).map((r, b) => [
        names[grid.trialTypes![b]],
        { behaviour: r.behaviour, period: r.period, output: r.meanOutput },
      ]),
    );
  }
  return {
    accuracy: accuracy(task, test, out).overall,
    distances: d,
    meanDistance: d.reduce((a, b) => a + b, 0) / d.length,
    distanceByCondition: meanByCondition(test, d, names),
    lateBehaviour: late,
    conditions: names,
  };
}

/**
 * The late behaviour as one pattern, "00:FP 10:OSC …" (FP fixed point, OSC oscillation, CHAOS), in `order` when given,
 * else in the object's own key order.
 */
export function latePattern(late: LateBehaviours, order?: readonly string[]): string {
  const entries = order ? order.filter((c) => c in late).map((c) => [c, late[c]] as const) : Object.entries(late);
  return entries
    .map(([c, b]) => `${c}:${b.behaviour === 'fixed-point' ? 'FP' : b.behaviour === 'oscillation' ? 'OSC' : 'CHAOS'}`)
    .join(' ');
}
