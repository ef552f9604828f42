/**
 * The results page of the paper's experiments: results.json drawn beside the authors' tables. The prose and markup
 * are templates (templates/page.html and its parts); this module turns results into values and table rows. Every
 * string that came from a record is escaped; every point states its n and success fraction, and its per-network
 * distances are drawn, not only their mean.
 */
import * as fs from 'fs';
import * as path from 'path';
import { prepareSubdirs, writeFileAtomic } from '@rnnlab/engine/node';
import {
  fillTemplate,
  HtmlCell,
  htmlRow,
  joinHtml,
  renderSvg,
  SafeHtml,
  svgToPng,
  type VegaLiteSpec,
} from '@rnnlab/analysis';
import { paperDataFile, readScaleTable } from './authors';
import { damageSpec, scaleSpec, weightHistogramsSpec } from './page-figures';
import type { DegeneracyLevels, DiversityRow, PaperResults, PointStats } from './rows';
import type { ExampleNetwork } from './examples';

const TEMPLATES = path.join(__dirname, 'templates');
const template = (name: string) => fs.readFileSync(path.join(TEMPLATES, name), 'utf8');
/** Header rows and the short texts shown where a section has no data yet. */
const TEXT = JSON.parse(template('page-text.json')) as {
  /** Header cells of each table (text; a table whose first columns vary gets them from the code). */
  headers: Record<'diversity' | 'weights' | 'learning' | 'points' | 'transfer' | 'builds', string[]>;
  unrecordedBuild: string;
  empty: Record<'size' | 'delay' | 'damage' | 'transfer' | 'large' | 'examples', string>;
};
/** A table's header row: `before` (cells that depend on the table), the template's cells, then `after`. */
const header = (name: keyof typeof TEXT.headers, before: string[] = [], after: string[] = []) =>
  htmlRow([...before, ...TEXT.headers[name], ...after], 'th');
const paragraph = (text: string) => new SafeHtml(`<p>${fillTemplate('{{text}}', { text })}</p>`);

const VERDICT_COLOUR: Record<string, string> = {
  reproduced: '#dfd',
  partly: '#ffd',
  'not-reproduced': '#fdd',
  inconclusive: '#eee',
};

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const lines = (parts: string[]) => new SafeHtml(parts.join('<br>'));

type ScaleTable = Array<{ x: number; distance: number; error: number; networks: number }>;

function pointTable(label: string, pts: PointStats[], theirs: ScaleTable): SafeHtml {
  const rows = pts.map((p) => {
    const a = theirs.find((t) => t.x === p.x);
    return htmlRow([
      p.x,
      `${p.solved}/${p.n}`,
      `${fmt(p.mean)} ± ${fmt(p.sem)}`,
      `${fmt(p.median)} [${fmt(p.min)}, ${fmt(p.max)}]`,
      a ? `${fmt(a.distance)} ± ${fmt(a.error)} (n=${a.networks})` : '—',
    ]);
  });
  return new SafeHtml(`<table>${header('points', [label]).html}${joinHtml(rows).html}</table>`);
}

/** One cell's degeneracy: trained, then its baselines (before training; random untrained pairs), then ΔW. */
function degeneracyCell(g: NonNullable<DiversityRow['degeneracy']>): SafeHtml {
  const four = (l: DegeneracyLevels) =>
    `${fmt(l.behaviour)} / ${fmt(l.dynamics)} / ${fmt(l.dsa ?? NaN)} / ${fmt(l.weights)}`;
  return lines([
    `trained: ${four(g)} (${g.pairs} pairs)`,
    ...(g.initial ? [`before training: ${four(g.initial)}`] : []),
    ...(g.random ? [`random untrained: ${four(g.random)}`] : []),
    ...(g.deltaWeights !== undefined ? [`ΔW matched: ${fmt(g.deltaWeights)}`] : []),
  ]);
}

function diversityRows(rows: DiversityRow[]): SafeHtml {
  return joinHtml(
    rows.map((d) => {
      const g = d.degeneracy;
      return htmlRow([
        d.task,
        d.init,
        `${d.solved}/${d.networks}`,
        `${d.dominantReal} / ${d.dominantComplex}`,
        `${fmt(d.radiusBefore)} → ${fmt(d.radiusAfter)}`,
        `${fmt(d.outsideBefore, 1)} → ${fmt(d.outsideAfter, 1)}`,
        lines(Object.entries(d.lateBehaviour).map(([p, n]) => fillTemplate('{{n}}× {{p}}', { n, p }))),
        d.divergedAfterLearning,
        g ? degeneracyCell(g) : '–',
      ]);
    }),
  );
}

function weightRows(rows: DiversityRow[]): SafeHtml {
  return joinHtml(
    rows.map((d) =>
      htmlRow([
        d.task,
        d.init,
        `${fmt(d.weights.stdBefore, 4)} → ${fmt(d.weights.stdAfter, 4)}`,
        `${fmt(d.weights.kurtosisBefore)} → ${fmt(d.weights.kurtosisAfter)}`,
        fmt(d.weights.relativeChange, 3),
      ]),
    ),
  );
}

function learningRows(rows: DiversityRow[]): SafeHtml {
  return joinHtml(
    rows.flatMap((d) =>
      d.learning.map((l) => {
        const b = l.atBestEpoch;
        const replay = b
          ? `accuracy ${fmt(100 * b.accuracy, 0)} %, distance ${fmt(b.meanDistance)}, rms ΔW / σ ` +
            `${fmt(b.relativeChange, 3)}, radius ${fmt(b.spectrum.radius, 3)}, |λ| > 1: ${b.spectrum.outside}, ` +
            `λ* ${b.spectrum.kind}`
          : 'not replayed';
        const losses = [l.bestLoss.toExponential(2), l.finalLoss.toExponential(2)];
        return htmlRow([l.id, l.bestEpoch, ...losses, l.diverged ? 'yes' : 'no', replay]);
      }),
    ),
  );
}

function largeSection(r: PaperResults): SafeHtml {
  if (r.large.size === null) return new SafeHtml('');
  const networks = r.large.rows.reduce((a, d) => a + d.networks, 0);
  const tables =
    networks === 0
      ? paragraph(TEXT.empty.large)
      : new SafeHtml(
          `<table>${header('diversity').html}${diversityRows(r.large.rows).html}</table>` +
            `<table>${header('weights').html}${weightRows(r.large.rows).html}</table>` +
            `<table>${header('learning').html}${learningRows(r.large.rows).html}</table>`,
        );
  const epochs = r.large.rows.map((d) => `${d.init} ${fmt(d.epochs, 1)}`).join(', ') || '–';
  return new SafeHtml(fillTemplate(template('large-and.html'), { size: r.large.size, networks, epochs, tables }));
}

function claimRows(r: PaperResults): SafeHtml {
  return joinHtml(
    r.claims.map((c) => {
      const verdict = new HtmlCell(
        fillTemplate('<td style="background:{{colour}}"><b>{{verdict}}</b></td>', {
          colour: VERDICT_COLOUR[c.verdict],
          verdict: c.verdict,
        }),
      );
      const iv = c.interval;
      const stat = iv
        ? `${iv.statistic}: ${fmt(iv.estimate, 3)} [${fmt(iv.lo, 3)}, ${fmt(iv.hi, 3)}] (${iv.method})`
        : '–';
      return htmlRow([c.claim, c.authors, c.rnnlab, c.n, stat, verdict, c.note]);
    }),
  );
}

function buildRows(r: PaperResults): SafeHtml {
  return joinHtml(
    (r.kernelBuilds ?? []).map(({ build, networks }) =>
      build
        ? htmlRow([networks, build.backend, build.kernel, build.engine, build.runtime])
        : htmlRow([networks, TEXT.unrecordedBuild, '', '', '']),
    ),
  );
}

function anchorRows(r: PaperResults): SafeHtml {
  return joinHtml(
    r.anchors.map((a) => {
      const params =
        Object.entries(a.taskParams)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ') || 'defaults';
      const perType = Object.entries(a.distanceByCondition)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ');
      return htmlRow([
        a.network,
        `${a.task} (${params})`,
        `${fmt(100 * a.accuracy, 0)} %`,
        fmt(a.meanDistance, 3),
        perType,
        `${a.spectrum.kind} / ${fmt(a.spectrum.radius, 3)} / ${a.spectrum.outside}`,
        a.lateBehaviour,
        a.rnnlab ? `${a.rnnlab.solved}/${a.rnnlab.networks}, ${fmt(a.rnnlab.meanDistance, 3)}` : '–',
      ]);
    }),
  );
}

function robustnessTables(r: PaperResults): { noiseRows: SafeHtml; transferTable: SafeHtml } {
  const noiseRows = joinHtml(
    r.robustness.noise.map((n) =>
      htmlRow([
        n.task,
        n.size ?? 50,
        n.init,
        n.trainedNoise ?? 0.1,
        n.networks,
        ...['0', '0.1', '0.2'].map((s) => fmt(n.distance[s])),
      ]),
    ),
  );
  const t = r.robustness.transfer;
  if (!t.length) return { noiseRows, transferTable: paragraph(TEXT.empty.transfer) };
  const rows = t.map((row) =>
    htmlRow([
      new HtmlCell(`<th>${row.trainedAt} ms (n ${row.networks})</th>`),
      ...t.map((u) => fmt(row.distance[String(u.trainedAt)])),
    ]),
  );
  const table = `<table>${
    header(
      'transfer',
      [],
      t.map((u) => `${u.trainedAt} ms`),
    ).html
  }${joinHtml(rows).html}</table>`;
  return { noiseRows, transferTable: new SafeHtml(table) };
}

/** Render the figures (SVG and PNG files) and give each one's inline block. */
async function figures(r: PaperResults, dir: string, nSize: number, nDelay: number) {
  const sizeTable = readScaleTable(paperDataFile('size_at_150_ms.txt')),
    delayTable = readScaleTable(paperDataFile('time_delay.txt'));
  const figs: Array<[string, VegaLiteSpec]> = [];
  if (r.size.length) {
    const title =
      `Pulse task: distance vs network size (authors: 150 ms; rnnlab: ${r.sizeDelay} ms; ${nSize} ` + `networks)`;
    figs.push(['size', scaleSpec(title, 'recurrent units N', r.size, sizeTable)]);
  }
  if (r.delay.length) {
    const title = `Pulse task, N = 50: distance vs delay (${nDelay} networks)`;
    figs.push(['delay', scaleSpec(title, 'delay [ms]', r.delay, delayTable)]);
  }
  if (r.damage.length > 0) figs.push(['damage', damageSpec(r.damage)]);
  if (r.weightHistograms.length > 0) figs.push(['weights', weightHistogramsSpec(r.weightHistograms)]);
  prepareSubdirs(dir, ['figures'], 'results folder');
  const blocks = new Map<string, SafeHtml>();
  for (const [name, spec] of figs) {
    const svg = await renderSvg(spec);
    writeFileAtomic(path.join(dir, 'figures', `${name}.svg`), svg);
    writeFileAtomic(path.join(dir, 'figures', `${name}.png`), svgToPng(svg));
    // The plotting grammar's SVG escapes the texts it draws.
    blocks.set(name, new SafeHtml(`<figure id="fig-${name}">${svg}</figure>`));
  }
  return { blocks, sizeTable, delayTable };
}

/** The example networks' figures, inline (the plotting grammar's SVG escapes the texts it draws). */
async function exampleBlocks(examples: readonly ExampleNetwork[]): Promise<SafeHtml> {
  const parts: SafeHtml[] = [];
  for (const e of examples) {
    const svgs: string[] = [];
    for (const [, spec] of e.figures) svgs.push(await renderSvg(spec));
    parts.push(
      new SafeHtml(
        fillTemplate('<h3>{{task}}: {{id}} (λ* {{lambda}})</h3>\n<div class="examples">{{svgs}}</div>', {
          task: e.task,
          id: e.id,
          lambda: e.lambda,
          svgs: new SafeHtml(svgs.map((svg) => `<figure>${svg}</figure>`).join('')),
        }),
      ),
    );
  }
  return parts.length ? joinHtml(parts, '\n') : paragraph(TEXT.empty.examples);
}

export async function writeResultsPage(
  r: PaperResults,
  dir: string,
  examples: readonly ExampleNetwork[] = [],
): Promise<void> {
  const nSize = r.size.reduce((a, p) => a + p.n, 0),
    nDelay = r.delay.reduce((a, p) => a + p.n, 0);
  const { blocks, sizeTable, delayTable } = await figures(r, dir, nSize, nDelay);
  const figure = (name: string, empty: string) => blocks.get(name) ?? paragraph(empty);
  const recorded = r.planned - r.missing.length;
  const partial = r.partial
    ? new SafeHtml(
        fillTemplate(template('partial.html'), {
          missing: r.missing.length,
          planned: r.planned,
          list: r.missing.slice(0, 30).join(', ') + (r.missing.length > 30 ? ', …' : ''),
        }),
      )
    : new SafeHtml('');
  const html = fillTemplate(template('page.html'), {
    scale: r.scale,
    titleSuffix: r.partial ? ' (partial)' : '',
    headingSuffix: r.partial ? ' — partial' : '',
    partial,
    protocol: r.protocol,
    planned: r.planned,
    recorded,
    coreHours: (r.timing.networkSeconds / 3600).toFixed(2),
    claimRows: claimRows(r),
    buildsHeader: header('builds'),
    buildRows: buildRows(r),
    anchorRows: anchorRows(r),
    ...robustnessTables(r),
    sizeDelay: r.sizeDelay,
    nSize,
    sizeFigure: figure('size', TEXT.empty.size),
    sizeTable: pointTable('N', r.size, sizeTable),
    nDelay,
    delayFigure: figure('delay', TEXT.empty.delay),
    delayTable: pointTable('delay [ms]', r.delay, delayTable),
    nDiversity: r.diversity.reduce((a, d) => a + d.networks, 0),
    diversityHeader: header('diversity'),
    diversityRows: diversityRows(r.diversity),
    weightsHeader: header('weights'),
    weightRows: weightRows(r.diversity),
    weightsFigure: blocks.get('weights') ?? new SafeHtml(''),
    largeSection: largeSection(r),
    nDamage: r.damage[0]?.networks ?? 0,
    damageFigure: figure('damage', TEXT.empty.damage),
    examples: await exampleBlocks(examples),
  });
  writeFileAtomic(path.join(dir, 'index.html'), html);
}
