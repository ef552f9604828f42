/**
 * The report on one trained network: a self-contained HTML page (figures inlined as SVG) plus each figure as SVG and
 * PNG, and a JSON summary. Figures: loss curve, sample trials (inputs, target, output), hidden-unit traces, W_rec
 * spectrum before and after training with the unit circle, weight histograms with Gaussian fits, 3-D PCA trajectory.
 */
import { escapeHtml } from './html';
import * as fs from 'fs';
import * as path from 'path';
import { type Backend, type RnnModel, simulate } from '@rnnlab/engine';
import { writeFileAtomic } from '@rnnlab/engine/node';
import { accuracy, conditionNames, generate, trialDistances, type AnyTask } from '@rnnlab/tasks';
import { pca } from './linalg';
import { recurrentSpectrum, type SpectrumSummary } from './spectrum';
import { weightStats, type WeightStats } from './weights';
import {
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
  const dt = Number(input.taskParams.dt ?? 1);
  fs.mkdirSync(path.join(outDir, 'figures'), { recursive: true });

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
  const { nSteps: T, nIn: I, nOut: O } = sample;
  const N = model.config.nRec;
  const label = (b: number) => `trial ${b} (${names[sample.trialTypes![b]]})`;

  const specs: Array<[string, VegaLiteSpec]> = [];
  if (input.history && input.history.stepLosses.length > 0)
    specs.push(['loss', lossCurveSpec(input.history.stepLosses, input.history.epochs)]);
  specs.push([
    'trials',
    trialsSpec({
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
    }),
  ]);
  const lastTrial = sample.nTrials - 1;
  specs.push([
    'hidden',
    hiddenTracesSpec(
      `Hidden units, ${label(lastTrial)}`,
      hidden!.subarray(lastTrial * T * N, (lastTrial + 1) * T * N),
      T,
      N,
      dt,
    ),
  ]);
  const trained = recurrentSpectrum(model);
  const initialSpectrum = input.initial ? recurrentSpectrum(input.initial) : null;
  specs.push([
    'spectrum',
    spectrumSpec([
      ...(input.initial ? [{ label: 'initial', eigenvalues: initialSpectrum!.eigenvalues }] : []),
      { label: 'trained', eigenvalues: trained.eigenvalues },
    ]),
  ]);
  specs.push([
    'weights',
    weightHistogramSpec([
      ...(input.initial ? [{ label: 'initial', weights: input.initial.params.W_rec }] : []),
      { label: 'trained', weights: model.params.W_rec },
    ]),
  ]);
  const trajectories: Array<{ label: string; scores: Float64Array; T: number }> = [];
  for (let b = 0; b < sample.nTrials; b++) {
    const h = hidden!.subarray(b * T * N, (b + 1) * T * N);
    const p = pca(h, T, N, 3);
    if (p.totalVariance > 1e-12) trajectories.push({ label: label(b), scores: p.scores, T });
  }
  if (trajectories.length > 0)
    specs.push([
      'pca',
      pcaTrajectorySpec('Hidden-state trajectories, top-3 principal components (per trial)', trajectories),
    ]);

  const figures: string[] = [];
  const blocks: string[] = [];
  for (const [name, spec] of specs) {
    const svg = await renderSvg(spec);
    writeFileAtomic(path.join(outDir, 'figures', `${name}.svg`), svg);
    writeFileAtomic(path.join(outDir, 'figures', `${name}.png`), svgToPng(svg));
    figures.push(`figures/${name}.svg`, `figures/${name}.png`);
    blocks.push(
      `<figure id="fig-${name}">${svg}<figcaption>${name} (<a href="figures/${name}.svg">svg</a>, <a href="figures/${name}.png">png</a>)</figcaption></figure>`,
    );
  }
  const summary: ReportSummary = {
    title: input.title,
    task: task.name,
    accuracy: acc.overall,
    perCondition: acc.perCondition,
    meanDistance: dist.reduce((a, b) => a + b, 0) / dist.length,
    spectrum: { trained: strip(trained), initial: initialSpectrum ? strip(initialSpectrum) : null },
    weights: {
      trained: weightStats(model.params.W_rec),
      initial: input.initial ? weightStats(input.initial.params.W_rec) : null,
    },
    figures,
  };
  writeFileAtomic(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 2));
  writeFileAtomic(path.join(outDir, 'index.html'), html(summary, blocks, model));
  return summary;
}

const esc = escapeHtml;
const fmt = (x: number) => (Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(3));
const fmtC = (c: { re: number; im: number }) => `${fmt(c.re)}${c.im >= 0 ? '+' : '−'}${fmt(Math.abs(c.im))}i`;

function html(s: ReportSummary, figures: string[], model: RnnModel): string {
  const cond = Object.entries(s.perCondition)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v.correct}/${v.total}</td></tr>`)
    .join('');
  const spec = (label: string, x: ReportSummary['spectrum']['trained'] | null) =>
    x
      ? `<tr><td>${label}</td><td>${fmt(x.spectralRadius)}</td><td>${fmtC(x.dominant)} (${x.dominantKind}${x.dominantPeriod ? `, period ${x.dominantPeriod.toFixed(1)} steps` : ''})</td><td>${x.outsideUnitCircle}</td></tr>`
      : '';
  const w = (label: string, x: WeightStats | null) =>
    x
      ? `<tr><td>${label}</td><td>${fmt(x.mean)}</td><td>${fmt(x.std)}</td><td>${x.kurtosis.toFixed(2)}</td><td>${x.positive} / ${x.negative}</td></tr>`
      : '';
  const c = model.config;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(s.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}figure{margin:1.5em 0}figcaption{color:#666;font-size:0.9em}</style>
</head><body>
<h1>${esc(s.title)}</h1>
<p>Task <b>${esc(s.task)}</b>; network N=${c.nRec}, ${c.nIn} input(s), ${c.nOut} output(s), α=${c.alpha}, ${c.activation}, recurrent bias ${c.recurrentBias ? 'on' : 'off'}.</p>
<h2>Performance on fresh trials</h2>
<p>Accuracy <b>${(100 * s.accuracy).toFixed(1)}%</b>; mean distance ‖y − target‖₂ per trial <b>${s.meanDistance.toFixed(3)}</b>.</p>
<table><tr><th>condition</th><th>correct</th></tr>${cond}</table>
<h2>Recurrent matrix</h2>
<table><tr><th></th><th>spectral radius</th><th>λ* (max Re λ)</th><th>|λ| &gt; 1</th></tr>${spec('initial', s.spectrum.initial)}${spec('trained', s.spectrum.trained)}</table>
<table><tr><th>W_rec</th><th>μ</th><th>σ</th><th>kurtosis</th><th>w &gt; 0.001 / w &lt; −0.001</th></tr>${w('initial', s.weights.initial)}${w('trained', s.weights.trained)}</table>
<h2>Figures</h2>
${figures.join('\n')}
</body></html>
`;
}
