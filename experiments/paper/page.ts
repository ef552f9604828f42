/**
 * The results page of the paper's experiments: results.json drawn beside the authors' tables. Every string that
 * came from a record is escaped; every point states its n and success fraction, and its per-network distances are
 * drawn, not only their mean.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '@rnnlab/engine/node';
import { DAMAGE_PROTOCOLS } from '@rnnlab/analysis';
import { paperDataFile, readDamageTable, readScaleTable } from './authors';

const VERDICT_COLOUR: Record<string, string> = {
  reproduced: '#dfd',
  partly: '#ffd',
  'not-reproduced': '#fdd',
  inconclusive: '#eee',
};
import { renderSvg, svgToPng, type VegaLiteSpec } from '@rnnlab/analysis';
import { escapeHtml as esc } from '@rnnlab/analysis';
import type { DiversityRow, PaperResults, PointStats } from './rows';

const PROTOCOL_FILES: Record<string, string> = {
  both: 'damage_01_pos_y_neg.txt',
  positive: 'damage_02_positivos.txt',
  negative: 'damage_03_negativos.txt',
  'positive-band': 'damage_04_franjas_pos.txt',
  'negative-band': 'damage_05_franjas_neg.txt',
};

function scaleSpec(
  title: string,
  xTitle: string,
  ours: PointStats[],
  theirs: Array<{ x: number; distance: number; error: number }>,
): VegaLiteSpec {
  const rows = [
    ...ours.map((r) => ({ x: r.x, y: r.mean, lo: r.mean - r.sem, hi: r.mean + r.sem, source: 'rnnlab (mean ± SEM)' })),
    ...theirs.map((r) => ({
      x: r.x,
      y: r.distance,
      lo: r.distance - r.error,
      hi: r.distance + r.error,
      source: 'Jarne & Laje (mean ± error column)',
    })),
  ];
  const dots = ours.flatMap((r) => r.distances.map((d) => ({ x: r.x, y: d, source: 'rnnlab (one network)' })));
  const y = { field: 'y', type: 'quantitative', title: 'distance ‖y − target‖₂', scale: { zero: false } };
  return {
    title,
    width: 460,
    height: 280,
    layer: [
      {
        data: { values: dots },
        mark: { type: 'point', opacity: 0.35, size: 18 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: xTitle },
          y,
          color: { field: 'source', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom' } },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line', point: true },
        encoding: { x: { field: 'x', type: 'quantitative' }, y, color: { field: 'source', type: 'nominal' } },
      },
      {
        data: { values: rows },
        mark: 'errorbar',
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'lo', type: 'quantitative', title: 'distance ‖y − target‖₂' },
          y2: { field: 'hi' },
          color: { field: 'source', type: 'nominal' },
        },
      },
    ],
  };
}

function damageSpec(ours: PaperResults['damage']): VegaLiteSpec {
  const rows: Array<Record<string, unknown>> = [];
  for (const p of DAMAGE_PROTOCOLS) {
    // The authors' x-axis is the % of connections removed: file 01 states it; for files 02–05 it is nominal (half).
    const theirs = readDamageTable(paperDataFile(PROTOCOL_FILES[p]));
    for (const [k, r] of theirs.entries())
      for (const [lvl, d] of Object.entries(r.distance))
        rows.push({
          protocol: p,
          removed: p === 'both' ? r.percent : k,
          level: lvl,
          distance: d,
          source: 'Jarne & Laje',
        });
    for (const r of ours.filter((o) => o.protocol === p))
      for (const [lvl, d] of Object.entries(r.distance))
        rows.push({ protocol: p, removed: 100 * r.fractionRemoved, level: lvl, distance: d, source: 'rnnlab' });
  }
  return {
    title: 'Connectivity damage on trained AND networks (W_rec entries zeroed, no retraining)',
    data: { values: rows },
    facet: { column: { field: 'protocol', type: 'nominal', title: null, sort: [...DAMAGE_PROTOCOLS] } },
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'line', point: { size: 15 } },
      encoding: {
        x: { field: 'removed', type: 'quantitative', title: '% of W_rec removed' },
        y: { field: 'distance', type: 'quantitative', title: 'distance' },
        color: { field: 'level', type: 'nominal', title: 'trial type' },
        strokeDash: {
          field: 'source',
          type: 'nominal',
          title: null,
          legend: { symbolType: 'stroke', symbolStrokeColor: '#444' },
        },
      },
    },
  };
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

function pointTable(
  label: string,
  pts: PointStats[],
  theirs: Array<{ x: number; distance: number; error: number; networks: number }>,
): string {
  const rows = pts
    .map((p) => {
      const a = theirs.find((t) => t.x === p.x);
      return `<tr><td>${p.x}</td><td>${p.solved}/${p.n}</td><td>${fmt(p.mean)} ± ${fmt(p.sem)}</td><td>${fmt(p.median)} [${fmt(p.min)}, ${fmt(p.max)}]</td><td>${a ? `${fmt(a.distance)} ± ${fmt(a.error)} (n=${a.networks})` : '—'}</td></tr>`;
    })
    .join('');
  return `<table><tr><th>${label}</th><th>solved / n</th><th>rnnlab mean ± SEM</th><th>median [min, max]</th><th>authors</th></tr>${rows}</table>`;
}

export async function writeResultsPage(r: PaperResults, dir: string): Promise<void> {
  const sizeTable = readScaleTable(paperDataFile('size_at_150_ms.txt')),
    delayTable = readScaleTable(paperDataFile('time_delay.txt'));
  const nSize = r.size.reduce((a, p) => a + p.n, 0),
    nDelay = r.delay.reduce((a, p) => a + p.n, 0);
  const figs: Array<[string, VegaLiteSpec]> = [];
  if (r.size.length)
    figs.push([
      'size',
      scaleSpec(
        `Pulse task: distance vs network size (authors: 150 ms; rnnlab: ${r.sizeDelay} ms; ${nSize} networks)`,
        'recurrent units N',
        r.size,
        sizeTable,
      ),
    ]);
  if (r.delay.length)
    figs.push([
      'delay',
      scaleSpec(`Pulse task, N = 50: distance vs delay (${nDelay} networks)`, 'delay [ms]', r.delay, delayTable),
    ]);
  if (r.damage.length > 0) figs.push(['damage', damageSpec(r.damage)]);
  if (r.weightHistograms.length > 0) figs.push(['weights', weightHistogramsSpec(r.weightHistograms)]);
  fs.mkdirSync(path.join(dir, 'figures'), { recursive: true });
  const blocks = new Map<string, string>();
  for (const [name, spec] of figs) {
    const svg = await renderSvg(spec);
    writeFileAtomic(path.join(dir, 'figures', `${name}.svg`), svg);
    writeFileAtomic(path.join(dir, 'figures', `${name}.png`), svgToPng(svg));
    blocks.set(name, `<figure id="fig-${name}">${svg}</figure>`);
  }
  const divRows = (rows: DiversityRow[]) =>
    rows
      .map(
        (d) =>
          `<tr><td>${esc(d.task)}</td><td>${esc(d.init)}</td><td>${d.solved}/${d.networks}</td><td>${d.dominantReal} / ${d.dominantComplex}</td><td>${fmt(d.radiusBefore)} → ${fmt(d.radiusAfter)}</td><td>${fmt(d.outsideBefore, 1)} → ${fmt(d.outsideAfter, 1)}</td><td>${Object.entries(
            d.lateBehaviour,
          )
            .map(([p, n]) => `${n}× ${esc(p)}`)
            .join('<br>')}</td><td>${d.divergedAfterLearning}</td><td>${
            d.degeneracy
              ? `${fmt(d.degeneracy.behaviour)} / ${fmt(d.degeneracy.dynamics)} / ${fmt(d.degeneracy.weights)} (${d.degeneracy.pairs} pairs)`
              : '–'
          }</td></tr>`,
      )
      .join('');
  const divHeader =
    '<tr><th>task</th><th>init</th><th>solved</th><th>λ* real / complex</th><th>spectral radius</th><th>|λ| &gt; 1</th><th>late behaviour per trial type</th><th>diverged after learning</th><th>degeneracy: behaviour / dynamics / weights</th></tr>';
  const weightRows = (rows: DiversityRow[]) =>
    rows
      .map(
        (d) =>
          `<tr><td>${esc(d.task)}</td><td>${esc(d.init)}</td><td>${fmt(d.weights.stdBefore, 4)} → ${fmt(d.weights.stdAfter, 4)}</td><td>${fmt(d.weights.kurtosisBefore)} → ${fmt(d.weights.kurtosisAfter)}</td><td>${fmt(d.weights.relativeChange, 3)}</td></tr>`,
      )
      .join('');
  const weightHeader = '<tr><th>task</th><th>init</th><th>σ</th><th>kurtosis</th><th>rms change / σ</th></tr>';
  const learningRows = (rows: DiversityRow[]) =>
    rows
      .flatMap((d) =>
        d.learning.map(
          (l) =>
            `<tr><td>${esc(l.id)}</td><td>${l.bestEpoch}</td><td>${l.bestLoss.toExponential(2)}</td><td>${l.finalLoss.toExponential(2)}</td><td>${l.diverged ? 'yes' : 'no'}</td><td>${
              l.atBestEpoch
                ? `accuracy ${fmt(100 * l.atBestEpoch.accuracy, 0)} %, distance ${fmt(l.atBestEpoch.meanDistance)}, rms ΔW / σ ${fmt(l.atBestEpoch.relativeChange, 3)}, radius ${fmt(l.atBestEpoch.spectrum.radius, 3)}, |λ| &gt; 1: ${l.atBestEpoch.spectrum.outside}, λ* ${esc(l.atBestEpoch.spectrum.kind)}`
                : 'not replayed'
            }</td></tr>`,
        ),
      )
      .join('');
  const learningHeader =
    '<tr><th>network</th><th>best epoch</th><th>its mean training loss</th><th>final epoch loss</th><th>diverged after learning</th><th>at the best epoch (replayed, losses matched bit for bit)</th></tr>';
  const nLarge = r.large.rows.reduce((a, d) => a + d.networks, 0);
  const largeSection =
    r.large.size === null
      ? ''
      : `<h2>AND at N = ${r.large.size} (n = ${nLarge})</h2>
<p>The authors stored one N = ${r.large.size} AND network per initialisation. rnnlab's, trained on the same protocol as the diversity networks, read the same way (mean epochs trained: ${r.large.rows.map((d) => `${esc(d.init)} ${fmt(d.epochs, 1)}`).join(', ') || '–'}); their noise robustness is in the robustness table.</p>
<p>The authors' N = ${r.large.size} files are early checkpoints (epoch 5 of the random-normal network, epoch 2 of the orthogonal one) with a recurrent bias, which the current AND script, and so rnnlab's recipe, does not have (paper-spec §7.2); rnnlab's records hold the protocol's final weights, after 20 epochs unless the early-stopping loss was reached. The per-network table gives each network's best epoch beside its final one, so a network that learned and then diverged shows as such; where that network was replayed to its best epoch (<code>rnnlab paper --replay-best</code>: trained again from its recipe, its epoch losses checked equal to the record's), it is read there too, the way the authors' early checkpoints are.</p>
${nLarge === 0 ? '<p>No records yet.</p>' : `<table>${divHeader}${divRows(r.large.rows)}</table><table>${weightHeader}${weightRows(r.large.rows)}</table><table>${learningHeader}${learningRows(r.large.rows)}</table>`}`;
  const damageN = r.damage[0]?.networks ?? 0;
  const partial = r.partial
    ? `<p style="background:#fee;border:1px solid #c00;padding:6px"><b>Partial:</b> ${r.missing.length} of ${r.planned} planned networks have no record yet, so every number below is from a subset (missing: ${r.missing.slice(0, 30).map(esc).join(', ')}${r.missing.length > 30 ? ', …' : ''}).</p>`
    : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>rnnlab: Jarne &amp; Laje (2023), scale ${esc(r.scale)}${r.partial ? ' (partial)' : ''}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1300px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}</style></head><body>
<h1>Jarne &amp; Laje (2023) rerun at scale "${esc(r.scale)}"${r.partial ? ' — partial' : ''}</h1>
${partial}
<p>Protocol: ${esc(r.protocol)}. ${r.planned} networks planned, ${r.planned - r.missing.length} with records; ${(r.timing.networkSeconds / 3600).toFixed(2)} core-hours of training and evaluation. The authors' error column is plotted as given (the code does not say whether it is an SD or an SEM); ours is the SEM over networks, and each dot is one network. "Solved" = accuracy ≥ 90 % on fresh trials.</p>
<h2>Verdict per claim (scale ${esc(r.scale)}; ${r.planned - r.missing.length} networks)</h2>
<p>Each verdict follows from the numbers by the rule in its note (experiments/paper/claims.ts): reproduced, partly, not-reproduced, or inconclusive when there are too few networks or the experiment is not in this scale. The authors' column comes from their data tables where they published one, otherwise from their code and stored networks.</p>
<table><tr><th>claim</th><th>authors</th><th>rnnlab</th><th>n</th><th>verdict</th><th>rule / note</th></tr>${r.claims
    .map(
      (c) =>
        `<tr><td>${esc(c.claim)}</td><td>${esc(c.authors)}</td><td>${esc(c.rnnlab)}</td><td>${c.n}</td><td style="background:${VERDICT_COLOUR[c.verdict]}"><b>${esc(c.verdict)}</b></td><td>${esc(c.note)}</td></tr>`,
    )
    .join('')}</table>
<h2>The authors' networks through the same pipeline</h2>
<p>Four of the authors' trained N = 50 networks (their HDF5 files, imported), evaluated exactly as rnnlab's networks of the same task: same generator and parameters, same fresh trials, the paper's distance, spectrum and late behaviour. Beside them, rnnlab's networks of that task in the diversity experiment.</p>
<table><tr><th>authors' network</th><th>task (parameters)</th><th>accuracy</th><th>mean distance</th><th>per trial type</th><th>λ* / radius / |λ| &gt; 1</th><th>late behaviour</th><th>rnnlab networks: solved, mean distance</th></tr>${r.anchors
    .map(
      (a) =>
        `<tr><td>${esc(a.network)}</td><td>${esc(a.task)} (${esc(
          Object.entries(a.taskParams)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'defaults',
        )})</td><td>${fmt(100 * a.accuracy, 0)} %</td><td>${fmt(a.meanDistance, 3)}</td><td>${Object.entries(
          a.distanceByCondition,
        )
          .map(([k, v]) => `${esc(k)} ${fmt(v)}`)
          .join(
            ', ',
          )}</td><td>${esc(a.spectrum.kind)} / ${fmt(a.spectrum.radius, 3)} / ${a.spectrum.outside}</td><td>${esc(a.lateBehaviour)}</td><td>${a.rnnlab ? `${a.rnnlab.solved}/${a.rnnlab.networks}, ${fmt(a.rnnlab.meanDistance, 3)}` : '–'}</td></tr>`,
    )
    .join('')}</table>
<h2>Robustness to the task's parameterisation (no retraining)</h2>
<p>Decision-task networks (trained with input noise σ = 0.1) tested at σ = 0, 0.1 and 0.2; pulse networks of the delay sweep tested at every delay of the sweep (row: trained at, column: tested at). Mean distance over networks.</p>
<table><tr><th>task</th><th>N</th><th>init</th><th>n</th><th>σ = 0</th><th>σ = 0.1</th><th>σ = 0.2</th></tr>${r.robustness.noise
    .map(
      (n) =>
        `<tr><td>${esc(n.task)}</td><td>${n.size ?? 50}</td><td>${esc(n.init)}</td><td>${n.networks}</td><td>${fmt(n.distance['0'])}</td><td>${fmt(n.distance['0.1'])}</td><td>${fmt(n.distance['0.2'])}</td></tr>`,
    )
    .join('')}</table>
${
  r.robustness.transfer.length
    ? `<table><tr><th>trained at / tested at</th>${r.robustness.transfer.map((t) => `<th>${t.trainedAt} ms</th>`).join('')}</tr>${r.robustness.transfer
        .map(
          (t) =>
            `<tr><th>${t.trainedAt} ms (n ${t.networks})</th>${r.robustness.transfer.map((u) => `<td>${fmt(t.distance[String(u.trainedAt)])}</td>`).join('')}</tr>`,
        )
        .join('')}</table>`
    : '<p>No delay-sweep networks yet.</p>'
}
<h2>Distance vs network size (pulse task, ${r.sizeDelay} ms; n = ${nSize})</h2>
${blocks.get('size') ?? '<p>No size-sweep records yet.</p>'}
${pointTable('N', r.size, sizeTable)}
<h2>Distance vs delay (pulse task, N = 50; n = ${nDelay})</h2>
${blocks.get('delay') ?? '<p>No delay-sweep records yet.</p>'}
${pointTable('delay [ms]', r.delay, delayTable)}
<h2>Diversity of solutions (N = 50; n = ${r.diversity.reduce((a, d) => a + d.networks, 0)})</h2>
<p>Per task and initialisation: networks that solve the task, the kind of λ* = argmax Re λ(W_rec) (real → fixed-point solution, complex → oscillatory), the spectral radius and the number of eigenvalues outside the unit circle before → after training (means), the late-time behaviour after each trial type in a 3000-step free run (FP fixed point, OSC sustained oscillation, CHAOS positive Lyapunov exponent), networks whose loss rose above 3× its best epoch, and how different the solving networks are from each other (solution degeneracy, means over pairs on 32 noise-free trials): behaviour = output distance ‖y_A − y_B‖₂, dynamics = 1 − linear CKA of the hidden trajectories (rotation-invariant; 0 = the same geometry), weights = ‖W_A − P W_B Pᵀ‖_F / ‖W_A‖_F after the best matching of units found (permutations, and sign flips for bias-free tanh networks; independent random matrices give ≈ 1.4).</p>
<table>${divHeader}${divRows(r.diversity)}</table>
<h2>Recurrent weights before and after training</h2>
<p>Per task and initialisation (means over networks): the Gaussian-fit σ and the kurtosis (3 for a Gaussian) of W_rec before → after training, and the rms change of the weights relative to σ before; the initial weights are regenerated from each record's seed. The figure pools every diversity network of an initialisation.</p>
<table>${weightHeader}${weightRows(r.diversity)}</table>
${blocks.get('weights') ?? ''}
${largeSection}
<h2>Connectivity damage (AND networks that solve the task; n = ${damageN})</h2>
${blocks.get('damage') ?? '<p>No solved AND networks yet.</p>'}
</body></html>`;
  writeFileAtomic(path.join(dir, 'index.html'), html);
}

/** Pooled W_rec histograms per initialisation, initial and trained, as precomputed densities (100 bins on [−0.5, 0.5]). */
function weightHistogramsSpec(h: PaperResults['weightHistograms']): VegaLiteSpec {
  const values = h.flatMap((s) =>
    s.density.map((d, i) => ({
      panel: `${s.init}, ${s.stage} (${s.networks} networks, σ = ${s.std.toFixed(4)})`,
      x0: -0.5 + i / 100,
      x1: -0.5 + (i + 1) / 100,
      density: d,
    })),
  );
  return {
    title: 'Recurrent weights of the diversity networks, pooled per initialisation',
    data: { values },
    // A wrapped facet (a field, with `columns` beside it) lays the four panels out two by two.
    facet: { field: 'panel', type: 'nominal', title: null } as never,
    columns: 2,
    spec: {
      width: 260,
      height: 160,
      mark: { type: 'rect', color: '#9ecae1' },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: 'weight' },
        x2: { field: 'x1' },
        y: { field: 'density', type: 'quantitative', title: 'density' },
      },
    },
  } as VegaLiteSpec;
}
