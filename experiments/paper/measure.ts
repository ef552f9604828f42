/**
 * The merge's evaluation stage: everything that runs networks again (damage sweeps, the authors' networks as
 * anchors, robustness to noise and delay, solution degeneracy) happens here, once, before aggregation. summarize.ts
 * then only counts and averages, so it is a pure function of the records and these measurements.
 */
import { type Backend, createWasmBackend, type RnnModel } from '@rnnlab/engine';
import { conditionNames, generate, getTask, noiseFreeParams } from '@rnnlab/tasks';
import { damageSweep, type Degeneracy, degeneracy, type DamageRow } from '@rnnlab/analysis';
import { anchorRows, type AnchorRow } from './anchors';
import type { Cell, PaperCells } from './cells';
import { DECISION_TASKS, PAPER_INITS, SOLVED_ACCURACY, type PaperPlan } from './plan';
import type { StoredRecord } from './record';
import { delayTransfer, noiseRobustness, type NoiseRow, type TransferRow } from './robustness';
import type { DamageOfNetwork, DiversityRow } from './rows';
import { initialModelOf, modelOf } from './trained-weights';

/**
 * The seed of the test trials the merge draws itself (damage, degeneracy). 42 gives the trials every committed merge
 * used: they were drawn with 4242, which before the ARC4 keying fix (engine/core/random.ts) was the key "42" repeated.
 */
const MERGE_TRIALS_SEED = 42;

export interface Measurements {
  damage: Array<DamageRow & { networks: number }>;
  /** Per damaged network, at the largest threshold: in how many is positive-only removal worse than negative-only. */
  damageSign: { networks: number; positiveWorse: number };
  /** Per damaged network: % removed (protocol "both") at which its mean distance first exceeds twice its own at 0 %. */
  damageOnsets: number[];
  /** Per damaged network, at the largest thresholds (damage-11-fragile, damage-bands): see DamageOfNetwork. */
  damageNetworks: DamageOfNetwork[];
  anchors: AnchorRow[];
  robustness: { noise: NoiseRow[]; transfer: TransferRow[] };
  /** Solution degeneracy of each diversity and large cell, keyed by cellKey(). */
  degeneracy: Map<string, DiversityRow['degeneracy']>;
}

export const cellKey = (experiment: 'diversity' | 'large', c: Cell) => `${experiment}|${c.task}|${c.init}`;

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

/** Run every evaluation the merge needs over the records, grouped once by paperCells (cells.ts). */
export function measure(paper: PaperPlan, cells: PaperCells): Measurements {
  const { plan } = paper;
  const divJobs = cells.inExperiment('diversity');
  // The seeds of the recorded evaluations, so that the anchors and the robustness tests draw the same trials.
  const { evalSeed, lateSeed } = divJobs[0]?.job ?? { evalSeed: 12345, lateSeed: 12346 };
  const andNets = cells
    .recordsOf(divJobs.filter((j) => j.job.task === 'and'))
    .filter((r) => r.accuracy >= SOLVED_ACCURACY);
  const anchors = anchorRows(
    { evalTrials: plan.evalTrials, evalSeed, lateSeed, backend: createWasmBackend() },
    (task) => divJobs.find((j) => j.job.task === task)?.job.taskParams ?? {},
    (task) => {
      const rs = cells.recordsOf(divJobs.filter((j) => j.job.task === task));
      if (rs.length === 0) return null;
      return {
        networks: rs.length,
        solved: rs.filter((r) => r.accuracy >= SOLVED_ACCURACY).length,
        meanDistance: mean(rs.map((r) => r.meanDistance)),
      };
    },
  );
  const degeneracyOf = new Map<string, DiversityRow['degeneracy']>();
  for (const c of cells.diversity) degeneracyOf.set(cellKey('diversity', c), cellDegeneracy(c));
  for (const c of cells.large) degeneracyOf.set(cellKey('large', c), cellDegeneracy(c));
  return {
    ...damageOf(andNets, plan.evalTrials),
    anchors,
    robustness: robustnessOf(paper, cells, evalSeed, createWasmBackend()),
    degeneracy: degeneracyOf,
  };
}

/** Damage on the diversity AND networks that solve the task, in plan order, on noisy test trials (σ = 0.1, §9.2). */
/** The % removed (protocol "both") at which a network's mean distance first exceeds twice its value at 0 %. */
function damageOnset(rows: readonly DamageRow[]): number {
  const both = rows.filter((q) => q.protocol === 'both').sort((a, b) => a.fractionRemoved - b.fractionRemoved);
  const level = (q: DamageRow) => mean(Object.values(q.distance));
  const base = both.length ? level(both[0]) : NaN;
  const hit = both.find((q) => level(q) > 2 * base);
  return hit ? 100 * hit.fractionRemoved : NaN;
}

function damageOf(
  andNets: StoredRecord[],
  evalTrials: number,
): Pick<Measurements, 'damage' | 'damageSign' | 'damageOnsets' | 'damageNetworks'> {
  const andTask = getTask('and');
  const names = conditionNames(andTask);
  const sums = new Map<string, DamageRow & { networks: number }>();
  const damageSign = { networks: 0, positiveWorse: 0 };
  const damageOnsets: number[] = [];
  const damageNetworks: DamageOfNetwork[] = [];
  if (andNets.length > 0) {
    const test = generate(andTask, { nTrials: evalTrials, seed: MERGE_TRIALS_SEED, params: { inputNoise: 0.1 } });
    const backend = createWasmBackend();
    for (const r of andNets) {
      const rows = damageSweep(modelOf(r).model, test, names, backend);
      damageOnsets.push(damageOnset(rows));
      // Per network, at the largest threshold: is positive-only removal worse than negative-only (mean over levels)?
      const atTop = (protocol: string) =>
        rows.filter((q) => q.protocol === protocol).sort((a, b) => b.threshold - a.threshold)[0];
      const pos = atTop('positive'),
        neg = atTop('negative');
      const level = (q: DamageRow) => mean(Object.values(q.distance));
      if (pos && neg) {
        damageSign.networks++;
        if (level(pos) > level(neg)) damageSign.positiveWorse++;
      }
      const both = atTop('both'),
        posBand = atTop('positive-band'),
        negBand = atTop('negative-band');
      if (both && pos && neg && posBand && negBand) {
        const fragile = Object.entries(both.distance).sort((a, b) => b[1] - a[1])[0][0];
        const bands = mean([level(posBand), level(negBand)]);
        damageNetworks.push({ fragile, bands, cumulative: mean([level(pos), level(neg)]) });
      }
      for (const row of rows) {
        const key = `${row.protocol}|${row.threshold}`;
        const acc = sums.get(key) ?? {
          ...row,
          fractionRemoved: 0,
          distance: Object.fromEntries(names.map((n) => [n, 0])),
          networks: 0,
        };
        acc.networks++;
        acc.fractionRemoved += row.fractionRemoved;
        for (const n of names) acc.distance[n] += row.distance[n] ?? 0;
        sums.set(key, acc);
      }
    }
  }
  const damage = [...sums.values()].map((r) => ({
    ...r,
    fractionRemoved: r.fractionRemoved / r.networks,
    distance: Object.fromEntries(Object.entries(r.distance).map(([k, v]) => [k, v / r.networks])),
  }));
  return { damage, damageSign, damageOnsets, damageNetworks };
}

/** Input-noise robustness of the decision-task cells and the large AND cells; delay transfer of the delay sweep. */
function robustnessOf(paper: PaperPlan, cells: PaperCells, evalSeed: number, backend: Backend) {
  const { plan } = paper;
  const noiseCell = (c: Cell, size?: number) => ({
    task: c.task,
    init: c.init,
    size,
    params: c.params,
    models: c.records.map((r) => modelOf(r).model),
  });
  // The noise-free control: AND at N = sizes[0] trained without input noise, one cell per initialisation.
  const control = PAPER_INITS.map((init) => {
    const js = cells.inExperiment('control').filter((j) => j.job.init === init);
    return { task: 'and', init, params: js[0]?.job.taskParams ?? {}, records: cells.recordsOf(js) };
  }).filter((c) => c.records.length > 0);
  const noise = noiseRobustness(
    [
      ...cells.diversity.filter((c) => DECISION_TASKS.includes(c.task)).map((c) => noiseCell(c)),
      ...control.map((c) => noiseCell(c)),
      ...(plan.largeAnd ? cells.large.map((c) => noiseCell(c, plan.largeAnd!.size)) : []),
    ],
    plan.evalTrials,
    evalSeed,
    backend,
  );
  const byDelay = new Map<number, { params: Record<string, number>; models: RnnModel[] }>();
  for (const j of cells.inExperiment('delay')) {
    const [r] = cells.recordsOf([j]);
    if (!r) continue;
    const d = j.job.taskParams.memGap;
    const e = byDelay.get(d) ?? { params: j.job.taskParams, models: [] };
    e.models.push(modelOf(r).model);
    byDelay.set(d, e);
  }
  return { noise, transfer: delayTransfer(byDelay, plan.evalTrials, evalSeed, backend) };
}

/**
 * DSA in the merge: 500 descent steps per start (measured on the medium AND cell: within 0.003 of 3000 steps on
 * distances of 0.05–0.12, at a sixth of the time; thousands of pairs are compared).
 */
const MERGE_DSA = { iterations: 500 };

/** Independent seeds of the random untrained networks the degeneracy is compared with. */
const RANDOM_SEED_BASE = 100001;

/**
 * Degeneracy among the cell's networks that solve the task, on 32 noise-free trials of their task (seed fixed), with
 * its baselines: the same measures between the same networks before training, and between as many untrained
 * networks of independent seeds; and the training changes ΔW compared under the trained matching.
 */
function cellDegeneracy(c: Cell): DiversityRow['degeneracy'] {
  const rs = c.records.filter((r) => r.accuracy >= SOLVED_ACCURACY);
  if (rs.length < 2) return null;
  const { job } = rs[0];
  const task = getTask(job.task);
  const trials = generate(task, {
    nTrials: 32,
    seed: MERGE_TRIALS_SEED,
    params: { ...job.taskParams, ...noiseFreeParams(task) },
  });
  // Each network's own initial weights. (initialModelOf's redraw is an object, so rs.map(initialModelOf), which
  // once passed map's index as a seed, no longer compiles.)
  const initial = rs.map((r) => initialModelOf(r));
  const trained = degeneracy(
    rs.map((r) => modelOf(r).model),
    trials,
    { initial, dsa: MERGE_DSA },
  );
  const random = rs.map((r, k) => initialModelOf(r, { seed: RANDOM_SEED_BASE + k }));
  const level = (d: Degeneracy) => ({
    behaviour: d.mean.behaviour,
    dynamics: d.mean.dynamics,
    dsa: d.mean.dsa,
    weights: d.mean.weights,
  });
  return {
    networks: rs.length,
    pairs: trained.pairs.length,
    ...level(trained),
    deltaWeights: trained.mean.deltaWeights,
    initial: level(degeneracy(initial, trials, { dsa: MERGE_DSA })),
    random: level(degeneracy(random, trials, { dsa: MERGE_DSA })),
  };
}
