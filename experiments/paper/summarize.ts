/**
 * The merge's aggregation: records and measurements (measure.ts) → the numbers of results.json and the claims'
 * verdicts. A pure function: it evaluates no network, so its output depends only on what it is given.
 */
import { histogram, weightStats } from '@rnnlab/analysis';
import type { KernelBuild } from '@rnnlab/engine';
import { getTask } from '@rnnlab/tasks';
import { assessClaims } from './claims';
import type { PaperCells } from './cells';
import { latePattern } from './evaluate';
import { cellKey, type Measurements } from './measure';
import { PAPER_INITS, SOLVED_ACCURACY, type PaperPlan, type PlannedJob } from './plan';
import type { StoredRecord } from './record';
import type { BestEpochReplay } from './replay';
import type { DiversityRow, PaperResults, PointStats } from './rows';
import { recurrentBeforeAfter, recurrentChange } from './trained-weights';

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

export function summarize(
  paper: PaperPlan,
  cells: PaperCells,
  missing: string[],
  measured: Measurements,
  replays: ReadonlyMap<string, BestEpochReplay> = new Map(),
): PaperResults {
  const { plan } = paper;
  const { records } = cells;
  const row = (experiment: 'diversity' | 'large') => (c: PaperCells['diversity'][number]) =>
    diversityRow(c.task, c.init, c.records, replays, measured.degeneracy.get(cellKey(experiment, c)) ?? null);
  const results = {
    size: curve(cells.inExperiment('size'), records, (j) => j.job.size),
    delay: curve(cells.inExperiment('delay'), records, (j) => j.job.taskParams.memGap),
    diversity: cells.diversity.map(row('diversity')),
    large: { size: plan.largeAnd?.size ?? null, rows: cells.large.map(row('large')) },
    damage: measured.damage,
    damageSign: measured.damageSign,
    damageOnsets: measured.damageOnsets,
    damageNetworks: measured.damageNetworks,
    oscTargetPeriodMs: oscTargetPeriod(cells),
    robustness: measured.robustness,
    weightHistograms: weightHistograms(cells.diversity),
    anchors: measured.anchors,
  };
  return {
    scale: paper.scale,
    protocol: plan.protocol,
    partial: missing.length > 0,
    missing,
    planned: paper.jobs.length,
    sizeDelay: plan.sizeDelay,
    ...results,
    claims: assessClaims({ scale: paper.scale, ...results }),
    kernelBuilds: buildsOf(records.values()),
    timing: { networkSeconds: [...records.values()].reduce((a, r) => a + r.seconds, 0) },
  };
}

/** The OSC target's period in ms: T / cycles of the generator the diversity OSC networks were trained on. */
function oscTargetPeriod(cells: PaperCells): number | undefined {
  const job = cells.inExperiment('diversity').find((j) => j.job.task === 'osc');
  if (!job) return undefined;
  const p = { ...(getTask('osc').defaults as Record<string, number>), ...job.job.taskParams };
  return (job.nSteps * p.dt) / p.cycles; // the plan knows each job's trial length
}

/** The builds named by the records, most networks first; records with several builds count under each. */
function buildsOf(records: Iterable<StoredRecord>): PaperResults['kernelBuilds'] {
  const by = new Map<string, { build: KernelBuild | null; networks: number }>();
  for (const r of records)
    for (const build of r.kernelBuilds ?? [null]) {
      const key = JSON.stringify(build);
      const e = by.get(key) ?? { build, networks: 0 };
      e.networks++;
      by.set(key, e);
    }
  return [...by.values()].sort((a, b) => b.networks - a.networks);
}

/** W_rec pooled over the diversity networks of each initialisation, before and after training. */
function weightHistograms(diversity: PaperCells['diversity']): PaperResults['weightHistograms'] {
  const out: PaperResults['weightHistograms'] = [];
  for (const init of PAPER_INITS) {
    const rs = diversity.filter((c) => c.init === init).flatMap((c) => c.records);
    if (rs.length === 0) continue;
    const pairs = rs.map(recurrentBeforeAfter);
    for (const stage of ['initial', 'trained'] as const) {
      const pooled = Float64Array.from(pairs.flatMap((p) => Array.from(stage === 'initial' ? p.before : p.after)));
      out.push({
        init,
        stage,
        networks: rs.length,
        std: weightStats(pooled).std,
        density: Array.from(histogram(pooled, 100, -0.5, 0.5).density),
      });
    }
  }
  return out;
}

function pointStats(x: number, rs: StoredRecord[]): PointStats {
  const v = rs.map((r) => r.meanDistance),
    n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const s = [...v].sort((a, b) => a - b);
  return {
    x,
    n,
    solved: rs.filter((r) => r.accuracy >= SOLVED_ACCURACY).length,
    mean,
    sd,
    sem: sd / Math.sqrt(n),
    median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2,
    min: s[0],
    max: s[n - 1],
    distances: v,
  };
}

function curve(
  jobs: PlannedJob[],
  records: ReadonlyMap<string, StoredRecord>,
  key: (j: PlannedJob) => number,
): PointStats[] {
  const by = new Map<number, StoredRecord[]>();
  for (const j of jobs) {
    const r = records.get(j.job.id);
    if (r) by.set(key(j), [...(by.get(key(j)) ?? []), r]);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([x, rs]) => pointStats(x, rs));
}

/** One cell (task × initialisation) of networks: success, spectrum, late behaviour, degeneracy, weight change. */
function diversityRow(
  task: string,
  init: string,
  rs: StoredRecord[],
  replays: ReadonlyMap<string, BestEpochReplay>,
  cellDegeneracy: DiversityRow['degeneracy'],
): DiversityRow {
  const patterns: Record<string, number> = {};
  for (const r of rs) {
    const p = latePattern(r.lateBehaviour ?? {});
    patterns[p] = (patterns[p] ?? 0) + 1;
  }
  return {
    task,
    init,
    networks: rs.length,
    solved: rs.filter((r) => r.accuracy >= SOLVED_ACCURACY).length,
    epochs: mean(rs.map((r) => r.epochs)),
    dominantReal: rs.filter((r) => r.spectrum.kind === 'real').length,
    dominantComplex: rs.filter((r) => r.spectrum.kind === 'complex').length,
    radiusBefore: mean(rs.map((r) => r.initialSpectrum.radius)),
    radiusAfter: mean(rs.map((r) => r.spectrum.radius)),
    outsideBefore: mean(rs.map((r) => r.initialSpectrum.outside)),
    outsideAfter: mean(rs.map((r) => r.spectrum.outside)),
    lateBehaviour: patterns,
    divergedAfterLearning: rs.filter((r) => r.diagnostics.divergedAfterLearning).length,
    learning: rs.map((r) => ({
      id: r.id,
      bestEpoch: r.diagnostics.bestEpoch,
      bestLoss: r.diagnostics.bestLoss,
      finalLoss: r.finalLoss,
      diverged: r.diagnostics.divergedAfterLearning,
      accuracy: r.accuracy,
      relativeChange: recurrentChange(r),
      atBestEpoch: replays.get(r.id) ?? null,
      meanDistance: r.meanDistance,
      lambdaKind: r.spectrum.kind,
      oscillates: r.lateBehaviour ? Object.values(r.lateBehaviour).some((b) => b.behaviour === 'oscillation') : false,
      lambdaPeriodMs: r.spectrum.period === null ? null : r.spectrum.period * Number(r.job.taskParams.dt ?? 1),
    })),
    degeneracy: cellDegeneracy,
    weights: cellWeights(rs),
  };
}

function cellWeights(rs: StoredRecord[]): DiversityRow['weights'] {
  const per = rs.map((r) => {
    const { after, statsBefore, change } = recurrentBeforeAfter(r);
    return { b: statsBefore, a: weightStats(after), rel: change };
  });
  return {
    stdBefore: mean(per.map((p) => p.b.std)),
    stdAfter: mean(per.map((p) => p.a.std)),
    kurtosisBefore: mean(per.map((p) => p.b.kurtosis)),
    kurtosisAfter: mean(per.map((p) => p.a.kurtosis)),
    relativeChange: mean(per.map((p) => p.rel)),
  };
}
