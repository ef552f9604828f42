/**
 * The report's figures as Vega-Lite specifications (paper-spec §4): sample trials, hidden-unit traces, the W_rec
 * spectrum with the unit circle (initial vs trained, λ* marked), weight histograms with their Gaussian fits, the
 * loss curve, and the 3-D PCA trajectory (drawn as an oblique projection, elevation 10°, azimuth 70° as the authors).
 */
import type { Complex } from './linalg';
import { gaussianPdf, histogram, weightStats } from './weights';
import type { VegaLiteSpec } from './plot';
import { type ChronometricLevel, type Psychometric, psychometricCurve, type PsychometricLevel } from './psychometric';

type Row = Record<string, number | string>;

export function lossCurveSpec(
  stepLosses: number[],
  epochs: Array<{ epoch: number; loss: number; steps: number }>,
  lossName = 'loss (MSE)',
): VegaLiteSpec {
  const stride = Math.max(1, Math.floor(stepLosses.length / 2000)); // keep the SVG small
  const rows: Row[] = [];
  for (let i = 0; i < stepLosses.length; i += stride)
    rows.push({ step: i + 1, loss: stepLosses[i], series: 'minibatch' });
  for (const e of epochs) rows.push({ step: e.steps, loss: e.loss, series: 'epoch mean' });
  return {
    title: 'Training loss',
    width: 520,
    height: 260,
    data: { values: rows },
    mark: { type: 'line', point: false, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'update step' },
      y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: lossName },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** Inputs, target and output of a few trials, one panel per trial (the authors' output/target figure). */
export function trialsSpec(opts: {
  title: string;
  nSteps: number;
  dt: number;
  inputNames: readonly string[];
  outputNames: readonly string[];
  trials: Array<{ label: string; inputs: Float64Array; targets: Float64Array; outputs?: Float64Array }>;
}): VegaLiteSpec {
  const rows: Row[] = [];
  const I = opts.inputNames.length,
    O = opts.outputNames.length;
  for (const tr of opts.trials) {
    for (let t = 0; t < opts.nSteps; t++) {
      const time = t * opts.dt;
      // Inputs that coincide (AND's trial 11) would hide each other: each later input is drawn thinner on top.
      opts.inputNames.forEach((n, k) =>
        rows.push({
          trial: tr.label,
          time,
          value: tr.inputs[t * I + k],
          series: `input ${n}`,
          width: Math.max(1, 4 - 1.5 * k),
        }),
      );
      opts.outputNames.forEach((n, o) => {
        const target = O > 1 ? `target ${n}` : 'target',
          output = O > 1 ? `output ${n}` : 'output';
        rows.push({ trial: tr.label, time, value: tr.targets[t * O + o], series: target, width: 1.5 });
        if (tr.outputs) rows.push({ trial: tr.label, time, value: tr.outputs[t * O + o], series: output, width: 1.5 });
      });
    }
  }
  return {
    title: opts.title,
    data: { values: rows },
    facet: { row: { field: 'trial', type: 'nominal', title: null } },
    spec: {
      width: 560,
      height: 110,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'time', type: 'quantitative', title: 'time [ms]' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'series', type: 'nominal', title: null },
        strokeWidth: { field: 'width', type: 'quantitative', scale: null, legend: null },
        strokeDash: { condition: { test: "indexof(datum.series, 'target') === 0", value: [4, 3] }, value: [1, 0] },
      },
    },
  };
}

/** Time courses of the first `maxUnits` hidden units of one trial. */
export function hiddenTracesSpec(
  title: string,
  hidden: Float64Array,
  T: number,
  N: number,
  dt: number,
  maxUnits = 25,
): VegaLiteSpec {
  const rows: Row[] = [];
  const units = Math.min(N, maxUnits);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < units; i++) rows.push({ time: t * dt, unit: i, h: hidden[t * N + i] });
  return {
    title,
    width: 560,
    height: 240,
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1, opacity: 0.8 },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'time [ms]' },
      y: { field: 'h', type: 'quantitative', title: 'h_i(t)', scale: { domain: [-1, 1] } },
      color: { field: 'unit', type: 'nominal', legend: null },
    },
  };
}

/** Eigenvalues in the complex plane, several spectra side by side, unit circle dashed, λ* (max Re) in red. */
export function spectrumSpec(
  spectra: Array<{ label: string; eigenvalues: Complex[] }>,
  title = 'Eigenvalues of W_rec',
): VegaLiteSpec {
  const rows: Row[] = [];
  for (const s of spectra) {
    let dom = s.eigenvalues[0];
    for (const e of s.eigenvalues) if (e.re > dom.re) dom = e;
    for (const e of s.eigenvalues)
      rows.push({ spectrum: s.label, re: e.re, im: e.im, kind: e === dom ? 'λ* (max Re)' : 'eigenvalue' });
    for (let k = 0; k <= 120; k++)
      rows.push({
        spectrum: s.label,
        re: Math.cos((2 * Math.PI * k) / 120),
        im: Math.sin((2 * Math.PI * k) / 120),
        kind: 'unit circle',
        order: k,
      });
  }
  return {
    title,
    data: { values: rows },
    facet: { column: { field: 'spectrum', type: 'nominal', title: null } },
    spec: {
      width: 280,
      height: 280,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'unit circle'" }],
          mark: { type: 'line', strokeDash: [4, 3], color: '#888' },
          encoding: {
            x: { field: 're', type: 'quantitative', title: 'Re λ', scale: { domain: [-1.5, 1.5] } },
            y: { field: 'im', type: 'quantitative', title: 'Im λ', scale: { domain: [-1.5, 1.5] } },
            order: { field: 'order' },
          },
        },
        {
          transform: [{ filter: "datum.kind !== 'unit circle'" }],
          mark: { type: 'point', filled: true, size: 30 },
          encoding: {
            x: { field: 're', type: 'quantitative' },
            y: { field: 'im', type: 'quantitative' },
            color: {
              field: 'kind',
              type: 'nominal',
              scale: { domain: ['eigenvalue', 'λ* (max Re)'], range: ['#1f77b4', '#d62728'] },
              title: null,
            },
          },
        },
      ],
    },
  };
}

/** Recurrent-weight histograms (density, 200 bins on [−0.5, 0.5] as the authors) with the Gaussian fit of each. */
export function weightHistogramSpec(
  sets: Array<{ label: string; weights: ArrayLike<number> }>,
  range: [number, number] = [-0.5, 0.5],
  bins = 200,
): VegaLiteSpec {
  const rows: Row[] = [];
  for (const s of sets) {
    const { edges, density } = histogram(s.weights, bins, range[0], range[1]);
    const st = weightStats(s.weights);
    const label = `${s.label}: μ=${st.mean.toFixed(4)}, σ=${st.std.toFixed(4)}`;
    for (let i = 0; i < bins; i++)
      rows.push({ set: label, x0: edges[i], x1: edges[i + 1], density: density[i], layer: 'hist' });
    for (let k = 0; k <= 200; k++) {
      const x = range[0] + ((range[1] - range[0]) * k) / 200;
      rows.push({ set: label, x, fit: gaussianPdf(x, st.mean, st.std), layer: 'fit' });
    }
  }
  return {
    title: 'Recurrent weights',
    data: { values: rows },
    facet: { column: { field: 'set', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 220,
      layer: [
        {
          transform: [{ filter: "datum.layer === 'hist'" }],
          mark: { type: 'rect', color: '#9ecae1' },
          encoding: {
            x: { field: 'x0', type: 'quantitative', title: 'weight' },
            x2: { field: 'x1' },
            y: { field: 'density', type: 'quantitative', title: 'density' },
          },
        },
        {
          transform: [{ filter: "datum.layer === 'fit'" }],
          mark: { type: 'line', color: '#d62728' },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'fit', type: 'quantitative' } },
        },
      ],
    },
  };
}

/**
 * 3-D PCA trajectories per trial (and the fixed points found, in the same basis), drawn as the oblique projection a
 * 3-D plot with elevation `elev` and azimuth `azim` (degrees) shows: x' = −sin(az)·p1 + cos(az)·p2,
 * y' = −cos(az)sin(el)·p1 − sin(az)sin(el)·p2 + cos(el)·p3.
 */
export function pcaTrajectorySpec(
  title: string,
  trajectories: Array<{ label: string; scores: Float64Array; T: number; free?: Float64Array; F?: number }>,
  elev = 10,
  azim = 70,
  fixedPoints: Array<{ scores: ArrayLike<number>; stable: boolean }> = [],
): VegaLiteSpec {
  const el = (elev * Math.PI) / 180,
    az = (azim * Math.PI) / 180;
  const rows: Row[] = [];
  const project = (p1: number, p2: number, p3: number) => ({
    x: -Math.sin(az) * p1 + Math.cos(az) * p2,
    y: -Math.cos(az) * Math.sin(el) * p1 - Math.sin(az) * Math.sin(el) * p2 + Math.cos(el) * p3,
  });
  const points: Row[] = fixedPoints.map((f) => ({
    ...project(f.scores[0], f.scores[1], f.scores[2]),
    kind: f.stable ? 'stable fixed point' : 'unstable fixed point',
  }));
  for (const tr of trajectories) {
    for (let t = 0; t < tr.T; t++) {
      const p1 = tr.scores[t * 3],
        p2 = tr.scores[t * 3 + 1],
        p3 = tr.scores[t * 3 + 2];
      rows.push({
        trial: tr.label,
        phase: 'trial',
        t,
        ...project(p1, p2, p3),
        marker: t === 0 ? 'start' : t === tr.T - 1 ? 'stop' : '',
      });
    }
    // After the trial, with no input: from the last state on, dashed (where the network goes by itself).
    const F = tr.free ? tr.F! : 0;
    for (let t = -1; t < F; t++) {
      const src = t < 0 ? tr.scores.subarray((tr.T - 1) * 3) : tr.free!.subarray(t * 3);
      rows.push({ trial: tr.label, phase: 'free run', t: tr.T + t, ...project(src[0], src[1], src[2]), marker: '' });
    }
  }
  return {
    title,
    width: 420,
    height: 360,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'projected PC1/PC2' },
          y: { field: 'y', type: 'quantitative', title: 'projected PC3' },
          color: { field: 'trial', type: 'nominal' },
          strokeDash: {
            field: 'phase',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['trial', 'free run'],
              range: [
                [1, 0],
                [4, 3],
              ],
            },
          },
          order: { field: 't' },
        },
      },
      {
        transform: [{ filter: "datum.marker !== ''" }],
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          shape: { field: 'marker', type: 'nominal', title: null },
          color: { field: 'trial', type: 'nominal' },
        },
      },
      // Fixed points of the zero-input dynamics in the same basis: black diamonds, filled when stable.
      ...(points.length
        ? [
            {
              data: { values: points },
              mark: { type: 'point', shape: 'diamond', size: 110, stroke: 'black', strokeWidth: 1.5 },
              encoding: {
                x: { field: 'x', type: 'quantitative' },
                y: { field: 'y', type: 'quantitative' },
                fill: {
                  field: 'kind',
                  type: 'nominal',
                  title: null,
                  scale: { domain: ['stable fixed point', 'unstable fixed point'], range: ['black', 'white'] },
                },
              },
            },
          ]
        : []),
    ],
  };
}

/**
 * The effective recurrent matrix W_rec* as a heatmap (row = postsynaptic unit, column = presynaptic), on a diverging
 * scale symmetric about 0. Under Dale's law units 0 … n_E − 1 are E (PsychRNN's ordering), so the matrix is already
 * sorted by type: red (excitatory) columns first, then blue (inhibitory) ones.
 */
export function connectivitySpec(W: ArrayLike<number>, N: number, nExc: number | null): VegaLiteSpec {
  const rows: Row[] = [];
  let big = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      rows.push({ post: i, pre: j, w: W[i * N + j] });
      big = Math.max(big, Math.abs(W[i * N + j]));
    }
  const side = Math.min(420, Math.max(160, 6 * N));
  const cells = {
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'pre', type: 'ordinal', title: 'presynaptic unit', axis: { labels: N <= 40, ticks: N <= 40 } },
      y: { field: 'post', type: 'ordinal', title: 'postsynaptic unit', axis: { labels: N <= 40, ticks: N <= 40 } },
      color: {
        field: 'w',
        type: 'quantitative',
        title: 'W_rec*',
        scale: { scheme: 'redblue', domain: [-big || -1, big || 1], reverse: true },
      },
    },
  };
  const title = nExc === null ? 'Recurrent weights W_rec*' : `W_rec* under Dale's law: ${nExc} E, ${N - nExc} I units`;
  return {
    title,
    width: side,
    height: side,
    data: { values: rows },
    ...cells,
  };
}

/** Continuous evidence (over 20 levels) pooled into 10 bins of about equal counts, at their mean evidence. */
export function binned(levels: readonly PsychometricLevel[]): PsychometricLevel[] {
  if (levels.length <= 20) return [...levels];
  const out: PsychometricLevel[] = [];
  const per = Math.ceil(levels.length / 10);
  for (let i = 0; i < levels.length; i += per) {
    const group = levels.slice(i, i + per);
    const n = group.reduce((a, l) => a + l.n, 0);
    const mean = group.reduce((a, l) => a + l.evidence * l.n, 0) / Math.max(1, n);
    out.push({
      evidence: mean,
      n,
      k: group.reduce((a, l) => a + l.k, 0),
      noChoice: group.reduce((a, l) => a + l.noChoice, 0),
    });
  }
  return out;
}

/**
 * Chronometric curves: per evidence strength the mean decision time (± its standard error) of correct choices
 * (solid) and of errors (dashed), one colour per group; at zero strength, of every choice.
 */
export function chronometricSpec(opts: {
  title: string;
  strengthLabel: string;
  groups: ReadonlyArray<{ name: string; chronometric: readonly ChronometricLevel[] }>;
}): VegaLiteSpec {
  const rows: Row[] = [];
  for (const g of opts.groups)
    for (const l of g.chronometric)
      for (const [kind, st] of [
        ['correct', l.strength > 0 ? l.correct : l.all],
        ['error', l.error],
      ] as const) {
        if (!st) continue;
        const se = st.se ?? 0;
        rows.push({
          strength: l.strength,
          t: st.mean,
          lo: st.mean - se,
          hi: st.mean + se,
          n: st.n,
          kind,
          group: g.name,
        });
        if (l.strength === 0) rows.push({ ...rows[rows.length - 1], kind: 'error' });
      }
  const x = { field: 'strength', type: 'quantitative', title: opts.strengthLabel };
  const color = { field: 'group', type: 'nominal', title: null, legend: { labelLimit: 400 } };
  const dash = { field: 'kind', type: 'nominal', title: 'choices', scale: { domain: ['correct', 'error'] } };
  const y = { field: 't', type: 'quantitative', title: 'decision time (ms)' };
  return {
    title: opts.title,
    width: 420,
    height: 280,
    data: { values: rows },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, strokeDash: dash } },
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      {
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { x, y, color, shape: dash, tooltip: [{ field: 'n', type: 'quantitative' }] },
      },
    ],
  };
}

/**
 * Psychometric curves: per evidence level the fraction of choices for option 1 with its binomial standard error,
 * and the fitted curve, one colour per group (a context, a modality) — neurogym's plot_psychometric, with a lapse.
 */
export function psychometricSpec(opts: {
  title: string;
  evidenceLabel: string;
  groups: ReadonlyArray<{ name: string; psychometric: Psychometric }>;
}): VegaLiteSpec {
  const points: Row[] = [],
    curve: Row[] = [];
  for (const g of opts.groups) {
    const xs = g.psychometric.levels.map((l) => l.evidence);
    for (const l of binned(g.psychometric.levels)) {
      if (l.n === 0) continue;
      const p = l.k / l.n,
        se = Math.sqrt((p * (1 - p)) / l.n);
      points.push({ evidence: l.evidence, p, lo: p - se, hi: p + se, group: g.name });
    }
    const fit = g.psychometric.fit;
    if (!fit || xs.length < 2) continue;
    const [a, b] = [Math.min(...xs), Math.max(...xs)];
    for (let i = 0; i <= 200; i++) {
      const x = a + ((b - a) * i) / 200;
      curve.push({ evidence: x, p: psychometricCurve(fit, x), group: g.name });
    }
  }
  const x = { field: 'evidence', type: 'quantitative', title: opts.evidenceLabel };
  const color = { field: 'group', type: 'nominal', title: null, legend: { labelLimit: 400 } };
  return {
    title: opts.title,
    width: 420,
    height: 280,
    layer: [
      {
        data: { values: curve },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x,
          y: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, title: 'P(choice 1)' },
          color,
        },
      },
      {
        data: { values: points },
        mark: { type: 'rule' },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40 },
        encoding: { x, y: { field: 'p', type: 'quantitative' }, color },
      },
    ],
  };
}

/**
 * Degradation under a lesion: the mean distance to the target and the accuracy against the fraction of recurrent
 * weights removed, the current lesion marked (the lab's lesion panel; the paper's damage curves in one network).
 */
export function degradationSpec(
  title: string,
  rows: ReadonlyArray<{ fraction: number; distance: number; accuracy: number }>,
  current: number,
): VegaLiteSpec {
  const panel = (measure: 'distance' | 'accuracy', yTitle: string, scale: number): VegaLiteSpec => ({
    width: 420,
    height: 140,
    layer: [
      {
        data: { values: rows.map((r) => ({ fraction: 100 * r.fraction, value: scale * r[measure] })) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'fraction', type: 'quantitative', title: 'recurrent weights removed (%)' },
          y: { field: 'value', type: 'quantitative', title: yTitle },
        },
      },
      {
        data: { values: [{ at: 100 * current }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#c0392b' },
        encoding: { x: { field: 'at', type: 'quantitative' } },
      },
    ],
  });
  return { title, vconcat: [panel('distance', 'mean distance to target', 1), panel('accuracy', 'accuracy (%)', 100)] };
}
