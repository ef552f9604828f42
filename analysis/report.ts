/**
 * The report on one trained network: a self-contained HTML page (figures inlined as SVG) plus each figure as SVG and
 * PNG, and a JSON summary. Figures: loss curve, sample trials (inputs, target, output), hidden-unit traces, W_rec
 * spectrum before and after training with the unit circle, weight histograms with Gaussian fits, 3-D PCA trajectories
 * with the fixed points found in the same basis, and the Jacobian's eigenvalues at those fixed points; for a
 * two-option task, its psychometric curve, and its chronometric curve where the task reads its choice over time.
 */
import { fillTemplate, htmlRow, joinHtml, SafeHtml } from './html';
import * as fs from 'fs';
import * as path from 'path';
import { type Backend, effectiveWeights, excitatoryCount, type RnnModel, simulate } from '@rnnlab/engine';
import { constraintRows } from './constraints';
import { prepareSubdirs, removeDeadWritersTempFiles, writeFileAtomic } from '@rnnlab/engine/node';
import {
  accuracy,
  choicesByEvidence,
  commitmentTimes,
  conditionNames,
  generate,
  trialDistances,
  type AnyTask,
  type GeneratedTrials,
} from '@rnnlab/tasks';
import { chronometric, type ChronometricLevel, psychometric, type Psychometric } from './psychometric';
import { findFixedPoints, type FixedPoint } from './dynamics';
import { recurrentSpectrum, type SpectrumSummary } from './spectrum';
import { weightStats, type WeightStats } from './weights';
import {
  chronometricSpec,
  connectivitySpec,
  hiddenTracesSpec,
  lossCurveSpec,
  psychometricSpec,
  weightHistogramSpec,
} from './figures';
import { renderSvg, svgToPng, type VegaLiteSpec } from './plot';
import { afterTrials, fixedPointSpectraFigure, pcaFigure, spectrumFigure, trialsFigure } from './views';

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
  /** Choices against evidence on a grid of fresh trials, where the task has a two-option choice. */
  psychometric: Psychometric | null;
  /** Decision times against the evidence's strength, where the task reads its choice over time. */
  chronometric: ChronometricLevel[] | null;
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
  const free = afterTrials(model, sample, input.backend);
  const specs = reportFigures(
    input,
    { sample, outputs, hidden: hidden!, label, fixedPoints, free },
    trained,
    initialSpectrum,
  );
  const choices = choiceCurves(input);
  specs.push(...choices.specs);
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
    psychometric: choices.psychometric,
    chronometric: choices.chronometric,
    figures,
  };
  writeFileAtomic(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileAtomic(path.join(outDir, 'index.html'), html(summary, blocks, model));
  return summary;
}

/**
 * The psychometric and chronometric curves of a two-option task on `evalTrials` fresh trials, every condition in
 * turn (the evaluation seed + 2), as `rnnlab psychometric` draws them; nothing for other tasks.
 */
function choiceCurves(input: ReportInput): {
  specs: Array<[string, VegaLiteSpec]>;
  psychometric: Psychometric | null;
  chronometric: ChronometricLevel[] | null;
} {
  const { task } = input;
  if (!task.choice) return { specs: [], psychometric: null, chronometric: null };
  const set = generate(task, { nTrials: input.evalTrials, seed: input.seed + 2, grid: true, params: input.taskParams });
  const out = simulate(input.model, set, input.backend).outputs;
  const c = choicesByEvidence(task, set, out);
  const psy = psychometric(c.evidence, c.choices);
  const groups = [{ name: task.name, psychometric: psy }];
  const specs: Array<[string, VegaLiteSpec]> = [
    ['psychometric', psychometricSpec({ title: 'Psychometric curve', evidenceLabel: 'signed evidence', groups })],
  ];
  if (!task.commitment) return { specs, psychometric: psy, chronometric: null };
  const chrono = chronometric(c.evidence, c.choices, commitmentTimes(task, set, out));
  const title = 'Chronometric curve: decision time from evidence onset';
  const strengthLabel = 'evidence strength |x|';
  specs.push([
    'chronometric',
    chronometricSpec({ title, strengthLabel, groups: [{ name: task.name, chronometric: chrono }] }),
  ]);
  return { specs, psychometric: psy, chronometric: chrono };
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
    free: { states: Float64Array; F: number };
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
  const p = pcaFigure(hidden, sample.nTrials, T, N, label, run.fixedPoints, run.free);
  if (p) specs.push(['pca', p]);
  const j = fixedPointSpectraFigure(run.fixedPoints);
  if (j) specs.push(['fixed-points', j]);
  return specs;
}
