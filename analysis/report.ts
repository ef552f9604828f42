/**
 * The report on one trained network: a self-contained HTML page (figures inlined as SVG) plus each figure as SVG and
 * PNG, and a JSON summary. Figures: loss curve, sample trials (inputs, target, output), hidden-unit traces, W_rec
 * spectrum before and after training with the unit circle, weight histograms with Gaussian fits, 3-D PCA trajectories
 * with the fixed points found in the same basis, and the Jacobian's eigenvalues at those fixed points.
 */
import { fillTemplate, htmlRow, joinHtml, SafeHtml } from './html';
import * as fs from 'fs';
import * as path from 'path';
import { type Backend, effectiveWeights, excitatoryCount, type RnnModel, simulate } from '@rnnlab/engine';
import { constraintRows } from './constraints';
import { prepareSubdirs, removeDeadWritersTempFiles, writeFileAtomic } from '@rnnlab/engine/node';
import { accuracy, conditionNames, generate, trialDistances, type AnyTask, type GeneratedTrials } from '@rnnlab/tasks';
import { pca } from './linalg';
import { findFixedPoints, type FixedPoint } from './dynamics';
import { recurrentSpectrum, type SpectrumSummary } from './spectrum';
import { weightStats, type WeightStats } from './weights';
import {
  connectivitySpec,
  hiddenTracesSpec,
  lossCurveSpec,
  pcaTrajectorySpec,
  spectrumSpec,
  trialsSpec,
  weightHistogramSpec,
} from './figures';
import { renderSvg, svgToPng, type VegaLiteSpec } from './plot';

export interface ReportInput {
  title: string;
  model: RnnModel;
  initial: RnnModel | null;
  history: { stepLosses: number[]; epochs: Array<{ epoch: number; loss: number; steps: number }> } | null;
  task: AnyTask;
  taskParams: Record<string, unknown>;
  backend: Backend;
  /** Seed of the evaluation trials (fresh, not the training set). */
  seed: number;
  evalTrials: number;
}

export interface ReportSummary {
  title: string;
  task: string;
  accuracy: number;
  perCondition: Record<string, { correct: number; total: number }>;
  meanDistance: number;
  spectrum: { trained: Omit<SpectrumSummary, 'eigenvalues'>; initial: Omit<SpectrumSummary, 'eigenvalues'> | null };
  weights: { trained: WeightStats; initial: WeightStats | null };
  figures: string[];
}

const strip = ({ eigenvalues: _e, ...rest }: SpectrumSummary) => rest;

export async function writeReport(input: ReportInput, outDir: string): Promise<ReportSummary> {
  const { model, task } = input;
  prepareSubdirs(outDir, ['figures'], 'report folder');
  // Leftovers of a killed earlier report (no lock here: only those whose writer is gone).
  removeDeadWritersTempFiles([outDir, path.join(outDir, 'figures')]);

  const evalSet = generate(task, { nTrials: input.evalTrials, seed: input.seed, params: input.taskParams });
  const evalOut = simulate(model, evalSet, input.backend).outputs;
  const acc = accuracy(task, evalSet, evalOut);
  const dist = trialDistances(evalSet, evalOut);

  const names = conditionNames(task, input.taskParams);
  const nCond = names.length;
  const sample = generate(task, {
    nTrials: Math.min(Math.max(nCond, 2), 6),
    seed: input.seed + 1,
    grid: true,
    params: input.taskParams,
  });
  const { outputs, hidden } = simulate(model, sample, input.backend, { hidden: true });
  const label = (b: number) => `trial ${b} (${names[sample.trialTypes![b]]})`;

  const trained = recurrentSpectrum(model);
  const initialSpectrum = input.initial ? recurrentSpectrum(input.initial) : null;
  // Fixed and slow points of the zero-input dynamics, sought from the sample trials' states (Sussillo & Barak 2013).
  const fixedPoints = findFixedPoints(model, hidden!, { starts: 32 });
  const specs = reportFigures(
    input,
    { sample, outputs, hidden: hidden!, label, fixedPoints },
    trained,
    initialSpectrum,
  );
  const figures: string[] = [];
  const blocks: SafeHtml[] = [];
  for (const [name, spec] of specs) {
    const svg = await renderSvg(spec);
    writeFileAtomic(path.join(outDir, 'figures', `${name}.svg`), svg);
    writeFileAtomic(path.join(outDir, 'figures', `${name}.png`), svgToPng(svg));
    figures.push(`figures/${name}.svg`, `figures/${name}.png`);
    // The plotting grammar's SVG escapes the texts it draws.
    blocks.push(new SafeHtml(fillTemplate(template('figure.html'), { name, svg: new SafeHtml(svg) }).trimEnd()));
  }
  const summary: ReportSummary = {
    title: input.title,
    task: task.name,
    accuracy: acc.overall,
    perCondition: acc.perCondition,
    meanDistance: dist.reduce((a, b) => a + b, 0) / dist.length,
    spectrum: { trained: strip(trained), initial: initialSpectrum ? strip(initialSpectrum) : null },
    weights: {
      trained: weightStats(effectiveWeights(model).W_rec),
      initial: input.initial ? weightStats(effectiveWeights(input.initial).W_rec) : null,
    },
    figures,
  };
  writeFileAtomic(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileAtomic(path.join(outDir, 'index.html'), html(summary, blocks, model));
  return summary;
}

const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(3));
const fmtC = (c: { re: number; im: number }) => `${fmt(c.re)}${c.im >= 0 ? '+' : '−'}${fmt(Math.abs(c.im))}i`;
const TEMPLATES = path.join(__dirname, 'templates');
const template = (name: string) => fs.readFileSync(path.join(TEMPLATES, name), 'utf8');

/** The report page (templates/report.html): the summary's numbers as table rows, and the figures. */
function html(s: ReportSummary, figures: SafeHtml[], model: RnnModel): string {
  const conditionRows = Object.entries(s.perCondition).map(([k, v]) => htmlRow([k, `${v.correct}/${v.total}`]));
  const spectrum = (label: string, x: ReportSummary['spectrum']['trained'] | null) => {
    if (!x) return [];
    const period = x.dominantPeriod ? `, period ${x.dominantPeriod.toFixed(1)} steps` : '';
    const dominant = `${fmtC(x.dominant)} (${x.dominantKind}${period})`;
    return [htmlRow([label, fmt(x.spectralRadius), dominant, x.outsideUnitCircle])];
  };
  const weights = (label: string, x: WeightStats | null) =>
    x ? [htmlRow([label, fmt(x.mean), fmt(x.std), x.kurtosis.toFixed(2), `${x.positive} / ${x.negative}`])] : [];
  const c = model.config;
  return fillTemplate(template('report.html'), {
    title: s.title,
    task: s.task,
    nRec: c.nRec,
    nIn: c.nIn,
    nOut: c.nOut,
    alpha: c.alpha,
    activation: c.activation,
    bias: c.recurrentBias ? 'on' : 'off',
    accuracy: (100 * s.accuracy).toFixed(1),
    distance: s.meanDistance.toFixed(3),
    conditionRows: joinHtml(conditionRows),
    spectrumRows: joinHtml([...spectrum('initial', s.spectrum.initial), ...spectrum('trained', s.spectrum.trained)]),
    weightRows: joinHtml([...weights('initial', s.weights.initial), ...weights('trained', s.weights.trained)]),
    figures: joinHtml(figures, '\n'),
    constraintRows: joinHtml(constraintRows(model).map((r) => htmlRow(r))),
  });
}

const LOSS_NAME = { linear: 'loss (MSE)', sigmoid: 'loss (BCE)', softmax: 'loss (cross-entropy)' } as const;

/** The report's figures as Vega-Lite specifications: loss, trials, hidden units, spectrum, weights, PCA. */
function reportFigures(
  input: ReportInput,
  run: {
    sample: GeneratedTrials;
    outputs: Float64Array;
    hidden: Float64Array;
    label: (b: number) => string;
    fixedPoints: readonly FixedPoint[];
  },
  trained: ReturnType<typeof recurrentSpectrum>,
  initialSpectrum: ReturnType<typeof recurrentSpectrum> | null,
): Array<[string, VegaLiteSpec]> {
  const { sample, outputs, hidden, label } = run;
  const { model, task } = input;
  // The generated trials' resolved parameters: a task's default dt is not among the run's overrides.
  const dt = Number(sample.params.dt ?? 1);
  const T = sample.nSteps;
  const N = model.config.nRec;
  const specs: Array<[string, VegaLiteSpec]> = [];
  if (input.history && input.history.stepLosses.length > 0)
    specs.push([
      'loss',
      lossCurveSpec(input.history.stepLosses, input.history.epochs, LOSS_NAME[model.config.readout]),
    ]);
  specs.push(['trials', trialsFigure(task, sample, outputs, label, dt)]);
  const lastTrial = sample.nTrials - 1;
  specs.push([
    'hidden',
    hiddenTracesSpec(
      `Hidden units, ${label(lastTrial)}`,
      hidden.subarray(lastTrial * T * N, (lastTrial + 1) * T * N),
      T,
      N,
      dt,
    ),
  ]);
  specs.push(['spectrum', spectrumFigure(trained, initialSpectrum)]);
  specs.push([
    'connectivity',
    connectivitySpec(
      effectiveWeights(model).W_rec,
      N,
      model.config.daleRatio === null ? null : excitatoryCount(model.config),
    ),
  ]);
  specs.push([
    'weights',
    weightHistogramSpec([
      ...(input.initial ? [{ label: 'initial', weights: effectiveWeights(input.initial).W_rec }] : []),
      { label: 'trained', weights: effectiveWeights(model).W_rec },
    ]),
  ]);
  const p = pcaFigure(hidden, sample.nTrials, T, N, label, run.fixedPoints);
  if (p) specs.push(['pca', p]);
  const j = fixedPointSpectraFigure(run.fixedPoints);
  if (j) specs.push(['fixed-points', j]);
  return specs;
}

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
): VegaLiteSpec | null {
  const p = pca(hidden, B * T, N, 3);
  if (p.totalVariance <= 1e-12) return null;
  const k = p.scores.length / (B * T);
  // A fixed point's coordinates in the trajectories' basis: (h − mean) · each axis.
  const fps = fixedPoints.map((f) => {
    const scores = new Float64Array(3);
    for (let c = 0; c < k; c++) for (let j = 0; j < N; j++) scores[c] += (f.h[j] - p.mean[j]) * p.components[c * N + j];
    return { scores, stable: f.stable };
  });
  const trajectories = Array.from({ length: B }, (_, b) => ({
    label: label(b),
    scores: padTo3(p.scores.subarray(b * T * k, (b + 1) * T * k), T, k),
    T,
  }));
  const share = Array.from(p.explainedVariance, (v) => `${((100 * v) / p.totalVariance).toFixed(1)} %`);
  const fpText = fixedPoints.length
    ? `; ${fixedPoints.length} fixed point(s), ${fixedPoints.filter((f) => f.stable).length} stable`
    : '';
  const title = `Trajectories in one PCA basis for all trials (PC1-3: ${share.join(', ')} of variance${fpText})`;
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
