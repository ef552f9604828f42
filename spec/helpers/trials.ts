/** Reading generated trials in specs: one input or target entry, a layout's period lengths, an action label. */
import type { GeneratedTrials, TrialLayout } from '@rnnlab/tasks';

/** inputs[b][t][k] or cleanTargets[b][t][k]. */
export const at = (tr: GeneratedTrials, arr: 'inputs' | 'cleanTargets', b: number, t: number, k: number) =>
  tr[arr][(b * tr.nSteps + t) * (arr === 'inputs' ? tr.nIn : tr.nOut) + k];
/** Each period's length in steps, by name. */
export const steps = (l: TrialLayout) => Object.fromEntries(l.periods.map((p) => [p.name, p.end - p.start]));
export const period = (l: TrialLayout, name: string) => l.periods.find((p) => p.name === name)!;
/** The action label of step t: the index of the one-hot target's 1 (−1: none). */
export const label = (tr: GeneratedTrials, b: number, t: number) => {
  for (let o = 0; o < tr.nOut; o++) if (at(tr, 'cleanTargets', b, t, o) === 1) return o;
  return -1;
};
/** Outputs that choose action `actionOf(t)` at every step of a one-trial set (one-hot). */
export const choosing = (tr: GeneratedTrials, actionOf: (t: number) => number) => {
  const out = new Float64Array(tr.nSteps * tr.nOut);
  for (let t = 0; t < tr.nSteps; t++) out[t * tr.nOut + actionOf(t)] = 1;
  return out;
};
/** Mean and population standard deviation. */
export const meanSd = (xs: readonly number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
};
/** The mean of an exponential of mean μ truncated to [a, b) (NeuroGym's TruncExp). */
export const truncExpMean = (mu: number, a: number, b: number) =>
  mu + (a * Math.exp(-a / mu) - b * Math.exp(-b / mu)) / (Math.exp(-a / mu) - Math.exp(-b / mu));
