/**
 * The results page's figures as Vega-Lite specifications (the plotting grammar renders them to SVG and PNG): the
 * size and delay curves beside the authors' tables, damage per protocol, and the pooled weight histograms.
 */
import { DAMAGE_PROTOCOLS, type VegaLiteSpec } from '@rnnlab/analysis';
import { paperDataFile, readDamageTable } from './authors';
import type { PaperResults, PointStats } from './rows';

const PROTOCOL_FILES: Record<string, string> = {
  both: 'damage_01_pos_y_neg.txt',
  positive: 'damage_02_positivos.txt',
  negative: 'damage_03_negativos.txt',
  'positive-band': 'damage_04_franjas_pos.txt',
  'negative-band': 'damage_05_franjas_neg.txt',
};

export function scaleSpec(
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

export function damageSpec(ours: PaperResults['damage']): VegaLiteSpec {
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

/**
 * Pooled W_rec histograms per initialisation, initial and trained, as precomputed densities (100 bins on [−0.5, 0.5]).
 */
export function weightHistogramsSpec(h: PaperResults['weightHistograms']): VegaLiteSpec {
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
