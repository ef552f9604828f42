/**
 * How a trained network is scored, the same for rnnlab's networks (job.ts) and the authors' (anchors.ts): fresh
 * trials of its task, the paper's distance per trial and per trial type, accuracy, and optionally the late
 * behaviour after each trial type in a free run from noise-free trials.
 */
import { type Backend, type RnnModel, selectTrials, simulate, type Trials } from '@rnnlab/engine';
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
  const late = opts.dynamics ? lateBehaviours(model, taskName, params, opts.lateSeed) : null;
  return {
    accuracy: accuracy(task, test, out).overall,
    distances: d,
    meanDistance: d.reduce((a, b) => a + b, 0) / d.length,
    distanceByCondition: meanByCondition(test, d, names),
    lateBehaviour: late,
    conditions: names,
  };
}

/** Noise-free draws searched for a trial ending in each state, where a task has one trial type (flip-flop). */
const LATE_DRAWS = 64;

/**
 * The noise-free trials whose free runs give the late behaviour, and their names. A task with several trial types
 * gets one trial per type (its grid). A task with one (the flip-flop's "sequence": every trial a random sequence of
 * pulses) is split by the state a trial leaves the network in, its target at the last step: the first of
 * LATE_DRAWS seeded draws that ends in each state, named "ends 1", "ends 0" (outputs joined by commas).
 */
export function lateTrials(
  taskName: string,
  params: Record<string, number>,
  seed: number,
): { trials: Trials; names: string[] } {
  const task = getTask(taskName);
  const types = conditionNames(task, params);
  const noiseFree = { ...params, ...noiseFreeParams(task) };
  if (types.length > 1) {
    const grid = generate(task, { nTrials: types.length, grid: true, seed, params: noiseFree });
    return { trials: grid, names: Array.from(grid.trialTypes!, (c) => types[c]) };
  }
  const draws = generate(task, { nTrials: LATE_DRAWS, seed, params: noiseFree });
  const { nSteps: T, nOut: O, targets } = draws;
  const first = new Map<string, number>();
  for (let b = 0; b < draws.nTrials; b++) {
    const end = Array.from(targets.subarray((b * T + T - 1) * O, (b * T + T) * O), (v) => String(+v.toFixed(3)));
    const name = `ends ${end.join(',')}`;
    if (!first.has(name)) first.set(name, b);
  }
  const order = [...first.entries()].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  return {
    trials: selectTrials(
      draws,
      order.map(([, b]) => b),
    ),
    names: order.map(([n]) => n),
  };
}

/** Free runs after each of lateTrials' trials: fixed point, oscillation or chaos, its period and mean output. */
export function lateBehaviours(
  model: RnnModel,
  taskName: string,
  params: Record<string, number>,
  seed: number,
): LateBehaviours {
  const { trials, names } = lateTrials(taskName, params, seed);
  return Object.fromEntries(
    freeRun(model, trials).map((r, b) => [
      names[b],
      { behaviour: r.behaviour, period: r.period, output: r.meanOutput },
    ]),
  );
}

/**
 * The late behaviour as one pattern, "00:FP 10:OSC …" (FP fixed point, OSC oscillation, CHAOS), in `order` when given
 * (then the types it does not name), else in the object's own key order.
 */
export function latePattern(late: LateBehaviours, order?: readonly string[]): string {
  // Types outside `order` (a one-type task's final states) follow it in the object's order.
  const own = Object.keys(late);
  const keys = order ? [...order.filter((c) => c in late), ...own.filter((c) => !order.includes(c))] : own;
  const entries = keys.map((c) => [c, late[c]] as const);
  return entries
    .map(([c, b]) => `${c}:${b.behaviour === 'fixed-point' ? 'FP' : b.behaviour === 'oscillation' ? 'OSC' : 'CHAOS'}`)
    .join(' ');
}
