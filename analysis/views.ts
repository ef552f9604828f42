/**
 * The figures of one trained network as Vega-Lite specifications, built from its trials, outputs, states and fixed
 * points: one code for the report (report.ts), the paper page's example networks (experiments/paper/examples.ts) and
 * the lab in the browser (web/), so the three draw the same thing. No file access here: it runs in a browser.
 */
import type { AnyTask, GeneratedTrials } from '@rnnlab/tasks';
import { type Pca, pca } from './linalg';
import { type Backend, type RnnModel, simulate, type Trials } from '@rnnlab/engine';
import type { FixedPoint } from './dynamics';
import type { recurrentSpectrum } from './spectrum';
import { pcaTrajectorySpec, spectrumSpec, trialsSpec } from './figures';
import type { VegaLiteSpec } from './plot';

/** Inputs, target (dashed) and output of each sample trial. */
export function trialsFigure(
  task: AnyTask,
  sample: GeneratedTrials,
  outputs: Float64Array,
  label: (b: number) => string,
  dt: number,
): VegaLiteSpec {
  const { nSteps: T, nIn: I, nOut: O } = sample;
  return trialsSpec({
    title: `${task.title}: input, target (dashed) and output`,
    nSteps: T,
    dt,
    inputNames: task.inputs,
    outputNames: task.outputs,
    trials: Array.from({ length: sample.nTrials }, (_, b) => ({
      label: label(b),
      inputs: sample.inputs.subarray(b * T * I, (b + 1) * T * I),
      targets: sample.targets.subarray(b * T * O, (b + 1) * T * O),
      outputs: outputs.subarray(b * T * O, (b + 1) * T * O),
    })),
  });
}

/** W_rec's eigenvalues before (when known) and after training. */
export function spectrumFigure(
  trained: ReturnType<typeof recurrentSpectrum>,
  initial: ReturnType<typeof recurrentSpectrum> | null,
): VegaLiteSpec {
  return spectrumSpec([
    ...(initial ? [{ label: 'initial', eigenvalues: initial.eigenvalues }] : []),
    { label: 'trained', eigenvalues: trained.eigenvalues },
  ]);
}

/**
 * Hidden-state trajectories of B trials in one PCA basis (the PCA of all trials' states together), so that they can
 * be compared: a basis per trial, as before issue 26, drew each trial in its own axes and dropped the ones that barely
 * move. null when the states do not move at all.
 */
export function pcaFigure(
  hidden: Float64Array,
  B: number,
  T: number,
  N: number,
  label: (b: number) => string,
  fixedPoints: readonly FixedPoint[] = [],
  free: { states: Float64Array; F: number } | null = null,
): VegaLiteSpec | null {
  const p = pca(hidden, B * T, N, 3);
  if (p.totalVariance <= 1e-12) return null;
  const k = p.scores.length / (B * T);
  // Fixed points and the steps after each trial in the trajectories' basis.
  const fps = fixedPoints.map((f) => ({ scores: project3(p, f.h, 1, N), stable: f.stable }));
  const trajectories = Array.from({ length: B }, (_, b) => ({
    label: label(b),
    scores: padTo3(p.scores.subarray(b * T * k, (b + 1) * T * k), T, k),
    T,
    ...(free
      ? { free: project3(p, free.states.subarray(b * free.F * N, (b + 1) * free.F * N), free.F, N), F: free.F }
      : {}),
  }));
  const share = Array.from(p.explainedVariance, (v) => `${((100 * v) / p.totalVariance).toFixed(1)} %`);
  const fpText = fixedPoints.length
    ? `; ${fixedPoints.length} fixed point(s), ${fixedPoints.filter((f) => f.stable).length} stable`
    : '';
  const after = free ? `; dashed: ${free.F} steps after the trial with no input` : '';
  const variance = `PC1-3: ${share.join(', ')} of variance`;
  const title = `Trajectories in one PCA basis for all trials (${variance}${fpText}${after})`;
  return pcaTrajectorySpec(title, trajectories, 10, 70, fps);
}

/** The eigenvalues of the Jacobian at each fixed point (at most 6), the unit circle dashed: stable inside. */
export function fixedPointSpectraFigure(fixedPoints: readonly FixedPoint[]): VegaLiteSpec | null {
  if (!fixedPoints.length) return null;
  return spectrumSpec(
    fixedPoints.slice(0, 6).map((f, i) => ({
      label: `fixed point ${i + 1} (${f.stable ? 'stable' : 'unstable'})`,
      eigenvalues: f.eigenvalues,
    })),
    'Eigenvalues of the Jacobian at the fixed points (inside the unit circle: stable)',
  );
}

/** Scores with k < 3 components (N < 3) padded with zero columns, for the 3-D projection. */
function padTo3(scores: Float64Array, T: number, k: number): Float64Array {
  if (k === 3) return scores;
  const out = new Float64Array(T * 3);
  for (let t = 0; t < T; t++) for (let c = 0; c < k; c++) out[t * 3 + c] = scores[t * k + c];
  return out;
}

/** States [S][N] in the basis of `p` (its first three axes; zero columns when it has fewer): (h − mean) · axis. */
function project3(p: Pca, states: Float64Array, S: number, N: number): Float64Array {
  const k = p.components.length / N;
  const out = new Float64Array(S * 3);
  for (let s = 0; s < S; s++)
    for (let c = 0; c < Math.min(k, 3); c++) {
      let v = 0;
      for (let j = 0; j < N; j++) v += (states[s * N + j] - p.mean[j]) * p.components[c * N + j];
      out[s * 3 + c] = v;
    }
  return out;
}

/**
 * The trials followed by `extra` steps of zero input (targets 0, mask 0), to see where the network goes by itself
 * after each one; freeStates picks those steps' states out of its hidden states.
 */
function withFreeRun(trials: Trials, extra: number): Trials {
  const { nTrials: B, nSteps: T, nIn: I, nOut: O } = trials;
  const S = T + extra;
  const inputs = new Float64Array(B * S * I);
  for (let b = 0; b < B; b++) inputs.set(trials.inputs.subarray(b * T * I, (b + 1) * T * I), b * S * I);
  return {
    nTrials: B,
    nSteps: S,
    nIn: I,
    nOut: O,
    inputs,
    targets: new Float64Array(B * S * O),
    mask: new Float64Array(B * S),
  };
}

/** The states [B][extra][N] after each trial, from the hidden states [B][T + extra][N] of withFreeRun's trials. */
function freeStates(hidden: Float64Array, B: number, T: number, extra: number, N: number): Float64Array {
  const out = new Float64Array(B * extra * N);
  const S = T + extra;
  for (let b = 0; b < B; b++) out.set(hidden.subarray((b * S + T) * N, (b + 1) * S * N), b * extra * N);
  return out;
}

/** Where the network goes after each trial without input: the states of 2T steps (at most 1000), for pcaFigure. */
export function afterTrials(model: RnnModel, trials: Trials, backend: Backend): { states: Float64Array; F: number } {
  const F = Math.min(2 * trials.nSteps, 1000);
  const { hidden } = simulate(model, withFreeRun(trials, F), backend, { hidden: true });
  return { states: freeStates(hidden!, trials.nTrials, trials.nSteps, F, model.config.nRec), F };
}
