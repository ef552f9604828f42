/**
 * The paper's experiments as three steps that a cluster can run apart:
 *   plan   planJobs(scale): every job, its shard, its estimated cost            (`rnnlab paper --list`)
 *   shard  runShard: train the jobs of one shard, a record per network          (`rnnlab paper --shard K/N`)
 *   merge  mergePaper: records → results.json and the results page              (`rnnlab paper --merge`)
 * runPaper does all three on one machine. A shard writes only its own jobs' records and checkpoints, so any number
 * of shards may share one output folder; only the merge writes results.json and the page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createWasmBackend, RnnlabError, type RnnModel } from '@rnnlab/engine';
import { lockDirectory, prepareOutputDir, writeFileAtomic } from '@rnnlab/engine/node';
import { conditionNames, generate, getTask, noiseFreeParams } from '@rnnlab/tasks';
import { degeneracy } from '../degeneracy';
import { histogram, weightStats } from '../weights';
import { assessClaims, type Claim } from './claims';
import { anchorRows, type AnchorRow } from './anchors';
import { latePattern } from './evaluate';
import { delayTransfer, noiseRobustness, type NoiseRow, type TransferRow } from './robustness';
import { startPool } from './pool';
import {
  DECISION_TASKS,
  PAPER_INITS,
  planJobs,
  SOLVED_ACCURACY,
  type Experiment,
  type PlannedJob,
  type Scale,
} from './plan';
import { assignShards, type ShardSpec } from './shard';
import { readRecord, setAsideRecord, type StoredRecord } from './record';
import type { JobResult } from './job';
import { damageSweep, type DamageRow } from '../damage';
import { writeResultsPage } from './page';
import { modelOf, recurrentBeforeAfter, recurrentChange } from './trained-weights';
import { readReplay, type BestEpochReplay } from './replay';

export interface ShardedJob extends PlannedJob {
  shard: number;
}

/** The plan with every job's shard (for `count` shards). */
export function shardedPlan(scale: Scale, count = 1): ShardedJob[] {
  const { jobs } = planJobs(scale);
  const owner = assignShards(
    jobs.map((j) => j.estimatedSeconds),
    count,
  );
  return jobs.map((j, i) => ({ ...j, shard: owner[i] }));
}

/** Thrown when a shard was asked to stop (SIGTERM): its running networks have checkpointed. */
export class ShardStopped extends RnnlabError {
  constructor(readonly remaining: number) {
    super(
      `stopped on request with ${remaining} network(s) left; their checkpoints are saved, rerun the same command to continue`,
    );
  }
}

export interface ShardOptions {
  shard?: ShardSpec;
  workers?: number;
  /** Abort: every running network checkpoints and the shard rejects with ShardStopped. */
  signal?: AbortSignal;
  stepDelayMs?: number;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number, last: JobResult | null) => void;
}

/** Remove temporary files that a killed writer of one of `ids` left behind (never another shard's). */
function cleanTemporaries(dir: string, ids: Set<string>): number {
  let n = 0;
  const sweep = (folder: string, belongs: (name: string) => boolean) => {
    if (!fs.existsSync(folder)) return;
    for (const f of fs.readdirSync(folder))
      if (f.startsWith('.') && f.endsWith('.tmp') && belongs(f)) {
        fs.rmSync(path.join(folder, f), { force: true });
        n++;
      }
  };
  sweep(path.join(dir, 'jobs'), (f) => ids.has(f.slice(1).split('.json.')[0]));
  for (const id of ids) sweep(path.join(dir, 'checkpoints', id), () => true);
  return n;
}

export async function runShard(
  scale: Scale,
  dir: string,
  opts: ShardOptions = {},
): Promise<{ trained: number; reused: number }> {
  const shard = opts.shard ?? { index: 0, count: 1 };
  const mine = shardedPlan(scale, shard.count).filter((j) => j.shard === shard.index);
  prepareOutputDir(dir, 'results folder');
  fs.mkdirSync(path.join(dir, 'jobs'), { recursive: true });
  // One writer per shard: a second process on the same shard (a duplicate submission) is refused at once.
  const lock = lockDirectory(dir, opts.log, `.lock-shard-${shard.index}-of-${shard.count}`);
  try {
    return await runLocked(dir, mine, scale, opts);
  } finally {
    lock.release();
  }
}

async function runLocked(
  dir: string,
  mine: ReturnType<typeof shardedPlan>,
  scale: Scale,
  opts: ShardOptions,
): Promise<{ trained: number; reused: number }> {
  const cleaned = cleanTemporaries(dir, new Set(mine.map((j) => j.job.id)));
  if (cleaned > 0) opts.log?.(`removed ${cleaned} temporary file(s) left by an interrupted run`);
  const todo = [];
  let reused = 0;
  for (const j of mine) {
    const st = readRecord(dir, j.job);
    if (st.state === 'ok') {
      reused++;
      continue;
    }
    if (st.state === 'bad')
      opts.log?.(
        `record of ${j.job.id} refused (${st.problem}); set aside as ${path.basename(setAsideRecord(dir, j.job.id))} and recomputed`,
      );
    todo.push(j.job);
  }
  let done = reused;
  opts.onProgress?.(done, mine.length, null);
  const pool = startPool(todo, {
    dir,
    workers: opts.workers,
    checkpointEvery: planJobs(scale).plan.checkpointEvery,
    stepDelayMs: opts.stepDelayMs,
    onResult: (r) => opts.onProgress?.(++done, mine.length, r),
  });
  const onAbort = () => pool.stop();
  if (opts.signal?.aborted) pool.stop();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    const { stopped } = await pool.done;
    if (stopped) throw new ShardStopped(mine.length - done);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return { trained: todo.length, reused };
}

// ---------------------------------------------------------------------------------------------------------------
// Merge: the summary of the records

export interface PointStats {
  x: number;
  /** Networks at this point, and how many solve the task (accuracy ≥ 90 % on fresh trials). */
  n: number;
  solved: number;
  mean: number;
  sd: number;
  sem: number;
  median: number;
  min: number;
  max: number;
  /** Every network's mean distance, in plan order (the distribution, not only its mean). */
  distances: number[];
}

export interface DiversityRow {
  task: string;
  init: string;
  networks: number;
  solved: number;
  /** Mean epochs trained (fewer than the protocol's when early stopping was reached). */
  epochs: number;
  dominantReal: number;
  dominantComplex: number;
  /** Means over networks: spectral radius and eigenvalues outside the unit circle, before and after training. */
  radiusBefore: number;
  radiusAfter: number;
  outsideBefore: number;
  outsideAfter: number;
  /** Late behaviour per trial type: pattern → number of networks. */
  lateBehaviour: Record<string, number>;
  divergedAfterLearning: number;
  /**
   * Per network, in record order: the epoch with the lowest mean training loss, that loss, and the final epoch's
   * (the record's weights are the final ones; a network flagged as diverged had learned at its best epoch).
   */
  learning: {
    id: string;
    bestEpoch: number;
    bestLoss: number;
    finalLoss: number;
    diverged: boolean;
    /** The final weights' accuracy on the evaluation trials, and their rms W_rec change relative to σ. */
    accuracy: number;
    relativeChange: number;
    /** The network at its best epoch, replayed (`rnnlab paper --replay-best`); null: not replayed. */
    atBestEpoch: BestEpochReplay | null;
  }[];
  /**
   * Solution degeneracy among the networks of the cell that solve the task (analysis/degeneracy.ts), means over
   * pairs on 32 noise-free trials: behaviour (output distance), dynamics (1 − linear CKA of the hidden
   * trajectories), weights (W_rec distance after the best unit matching found). Null with fewer than 2 solvers.
   */
  degeneracy: { networks: number; pairs: number; behaviour: number; dynamics: number; weights: number } | null;
  /**
   * W_rec statistics before (regenerated from the recorded seed) and after training, means over networks: Gaussian-fit
   * σ, kurtosis (3 for a Gaussian), and the rms change of the weights relative to σ before (paper-spec §4.3).
   */
  weights: {
    stdBefore: number;
    stdAfter: number;
    kurtosisBefore: number;
    kurtosisAfter: number;
    relativeChange: number;
  };
}

export interface PaperResults {
  scale: Scale;
  protocol: string;
  /** True when rendered with --partial: some networks are missing and listed in `missing`. */
  partial: boolean;
  missing: string[];
  planned: number;
  sizeDelay: number;
  size: PointStats[];
  delay: PointStats[];
  diversity: DiversityRow[];
  /** The large AND networks (the authors' N = 500), per initialisation, read like the diversity cells; size null: none planned. */
  large: { size: number | null; rows: DiversityRow[] };
  damage: Array<DamageRow & { networks: number }>;
  /** Per damaged network, at the largest threshold: in how many is positive-only removal worse than negative-only. */
  damageSign: { networks: number; positiveWorse: number };
  /** Robustness to the task's parameterisation without retraining (robustness.ts): input noise, and delays. */
  robustness: { noise: NoiseRow[]; transfer: TransferRow[] };
  /** W_rec pooled over the diversity networks of each initialisation, before and after training: density on 100 bins of [−0.5, 0.5]. */
  weightHistograms: Array<{
    init: string;
    stage: 'initial' | 'trained';
    networks: number;
    std: number;
    density: number[];
  }>;
  /** The authors' networks through the same evaluation, beside rnnlab's networks of the same task (anchors.ts). */
  anchors: AnchorRow[];
  /** A verdict per claim of the paper, computed from the numbers above (claims.ts). */
  claims: Claim[];
  /** Not part of the science: compute spent (summed over records). Excluded when comparing runs. */
  timing: { networkSeconds: number };
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

function curve(jobs: ShardedJob[], records: Map<string, StoredRecord>, key: (j: ShardedJob) => number): PointStats[] {
  const by = new Map<number, StoredRecord[]>();
  for (const j of jobs) {
    const r = records.get(j.job.id);
    if (r) by.set(key(j), [...(by.get(key(j)) ?? []), r]);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([x, rs]) => pointStats(x, rs));
}

/**
 * The seed of the test trials the merge draws itself (damage, degeneracy). 42 gives the trials every committed merge
 * used: they were drawn with 4242, which before the ARC4 keying fix (engine/random.ts) was the key "42" repeated.
 */
const MERGE_TRIALS_SEED = 42;

const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

export function summarize(
  scale: Scale,
  jobs: ShardedJob[],
  records: Map<string, StoredRecord>,
  missing: string[],
  replays: ReadonlyMap<string, BestEpochReplay> = new Map(),
): PaperResults {
  const { plan } = planJobs(scale);
  const inExp = (e: Experiment) => jobs.filter((j) => j.experiments.includes(e));
  const recordsOf = (js: ShardedJob[]) =>
    js.map((j) => records.get(j.job.id)).filter((r): r is StoredRecord => r !== undefined);
  const divJobs = inExp('diversity');
  const div: DiversityRow[] = [];
  for (const task of plan.diversityTasks)
    for (const init of PAPER_INITS) {
      const rs = recordsOf(divJobs.filter((j) => j.job.task === task && j.job.init === init));
      if (rs.length > 0) div.push(diversityRow(task, init, rs, replays));
    }
  const largeJobs = inExp('large');
  const large: DiversityRow[] = [];
  for (const init of PAPER_INITS) {
    const rs = recordsOf(largeJobs.filter((j) => j.job.init === init));
    if (rs.length > 0) large.push(diversityRow('and', init, rs, replays));
  }

  // Damage on the diversity AND networks that solve the task, in plan order, on noisy test trials (σ = 0.1, §9.2).
  const andNets = recordsOf(divJobs.filter((j) => j.job.task === 'and')).filter((r) => r.accuracy >= SOLVED_ACCURACY);
  const andTask = getTask('and');
  const names = conditionNames(andTask);
  const sums = new Map<string, DamageRow & { networks: number }>();
  const damageSign = { networks: 0, positiveWorse: 0 };
  if (andNets.length > 0) {
    const test = generate(andTask, { nTrials: plan.evalTrials, seed: MERGE_TRIALS_SEED, params: { inputNoise: 0.1 } });
    const backend = createWasmBackend();
    for (const r of andNets) {
      const rows = damageSweep(modelOf(r).model, test, names, backend);
      // Per network, at the largest threshold: is positive-only removal worse than negative-only (mean over levels)?
      const atTop = (protocol: string) =>
        rows.filter((q) => q.protocol === protocol).sort((a, b) => b.threshold - a.threshold)[0];
      const pos = atTop('positive'),
        neg = atTop('negative');
      if (pos && neg) {
        damageSign.networks++;
        if (mean(Object.values(pos.distance)) > mean(Object.values(neg.distance))) damageSign.positiveWorse++;
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
  // The seeds of the recorded evaluations, so that the anchors and the robustness tests draw the same trials.
  const { evalSeed, lateSeed } = divJobs[0]?.job ?? { evalSeed: 12345, lateSeed: 12346 };
  const anchors = anchorRows(
    { evalTrials: plan.evalTrials, evalSeed, lateSeed, backend: createWasmBackend() },
    (task) => divJobs.find((j) => j.job.task === task)?.job.taskParams ?? {},
    (task) => {
      const rs = recordsOf(divJobs.filter((j) => j.job.task === task));
      if (rs.length === 0) return null;
      return {
        networks: rs.length,
        solved: rs.filter((r) => r.accuracy >= SOLVED_ACCURACY).length,
        meanDistance: mean(rs.map((r) => r.meanDistance)),
      };
    },
  );
  const robustBackend = createWasmBackend();
  // A noise-robustness cell: the recorded networks of `js`, tested on their own task parameters at every noise level.
  const noiseCell = (task: string, init: string, js: ShardedJob[], size?: number) => ({
    task,
    init,
    size,
    params: js[0]?.job.taskParams ?? {},
    models: recordsOf(js).map((r) => modelOf(r).model),
  });
  const noise = noiseRobustness(
    [
      ...plan.diversityTasks
        .filter((t) => DECISION_TASKS.includes(t))
        .flatMap((task) =>
          PAPER_INITS.map((init) =>
            noiseCell(
              task,
              init,
              divJobs.filter((j) => j.job.task === task && j.job.init === init),
            ),
          ),
        ),
      ...(plan.largeAnd
        ? PAPER_INITS.map((init) =>
            noiseCell(
              'and',
              init,
              largeJobs.filter((j) => j.job.init === init),
              plan.largeAnd!.size,
            ),
          )
        : []),
    ],
    plan.evalTrials,
    evalSeed,
    robustBackend,
  );
  const byDelay = new Map<number, { params: Record<string, number>; models: RnnModel[] }>();
  for (const j of inExp('delay')) {
    const r = records.get(j.job.id);
    if (!r) continue;
    const d = j.job.taskParams.memGap;
    const e = byDelay.get(d) ?? { params: j.job.taskParams, models: [] };
    e.models.push(modelOf(r).model);
    byDelay.set(d, e);
  }
  const transfer = delayTransfer(byDelay, plan.evalTrials, evalSeed, robustBackend);
  const weightHistograms: PaperResults['weightHistograms'] = [];
  for (const init of PAPER_INITS) {
    const rs = recordsOf(divJobs.filter((j) => j.job.init === init));
    if (rs.length === 0) continue;
    const pairs = rs.map(recurrentBeforeAfter);
    for (const stage of ['initial', 'trained'] as const) {
      const pooled = Float64Array.from(pairs.flatMap((p) => Array.from(stage === 'initial' ? p.before : p.after)));
      weightHistograms.push({
        init,
        stage,
        networks: rs.length,
        std: weightStats(pooled).std,
        density: Array.from(histogram(pooled, 100, -0.5, 0.5).density),
      });
    }
  }
  const size = curve(inExp('size'), records, (j) => j.job.size);
  const delay = curve(inExp('delay'), records, (j) => j.job.taskParams.memGap);
  const measured = {
    size,
    delay,
    diversity: div,
    large: { size: plan.largeAnd?.size ?? null, rows: large },
    damage,
    damageSign,
    robustness: { noise, transfer },
    weightHistograms,
    anchors,
  };
  return {
    scale,
    protocol: plan.protocol,
    partial: missing.length > 0,
    missing,
    planned: jobs.length,
    sizeDelay: plan.sizeDelay,
    ...measured,
    claims: assessClaims({ scale, ...measured }),
    timing: { networkSeconds: [...records.values()].reduce((a, r) => a + r.seconds, 0) },
  };
}

export interface MergeOptions {
  partial?: boolean;
  log?: (line: string) => void;
}

/** Build results.json and the page from the records. Refuses (listing them) when records are missing or bad, unless partial. */
export async function mergePaper(scale: Scale, dir: string, opts: MergeOptions = {}): Promise<PaperResults> {
  prepareOutputDir(dir, 'results folder');
  const jobs = shardedPlan(scale);
  const records = new Map<string, StoredRecord>();
  const missing: string[] = [],
    bad: string[] = [];
  for (const j of jobs) {
    const st = readRecord(dir, j.job);
    if (st.state === 'ok') records.set(j.job.id, st.record);
    else if (st.state === 'missing') missing.push(j.job.id);
    else {
      bad.push(`${j.job.id} (${st.problem})`);
      missing.push(j.job.id);
    }
  }
  for (const b of bad) opts.log?.(`record refused: ${b}; rerun its shard to recompute it`);
  if (missing.length > 0 && !opts.partial) {
    const list =
      missing.length > 20 ? `${missing.slice(0, 20).join(', ')} and ${missing.length - 20} more` : missing.join(', ');
    throw new RnnlabError(
      `${missing.length} of ${jobs.length} networks have no valid record in ${path.join(dir, 'jobs')}: ${list} (run their shards, or merge with --partial)`,
    );
  }
  const replays = new Map<string, BestEpochReplay>();
  for (const r of records.values()) {
    const { replay, problem } = readReplay(dir, r);
    if (replay) replays.set(r.id, replay);
    if (problem) opts.log?.(`best-epoch replay refused: ${problem}; rerun --replay-best ${r.id}`);
  }
  const out = summarize(scale, jobs, records, missing, replays);
  writeFileAtomic(path.join(dir, 'results.json'), JSON.stringify(out, null, 2));
  await writeResultsPage(out, dir);
  return out;
}

/** Everything on one machine: train every network (resuming what exists), then merge. */
export async function runPaper(
  scale: Scale,
  dir: string,
  opts: Omit<ShardOptions, 'shard'> = {},
): Promise<PaperResults> {
  await runShard(scale, dir, opts);
  return mergePaper(scale, dir, { log: opts.log });
}

/** Degeneracy among solved networks of one diversity cell, on 32 noise-free trials of their task (seed fixed). */
function cellDegeneracy(rs: StoredRecord[]): DiversityRow['degeneracy'] {
  if (rs.length < 2) return null;
  const { job } = rs[0];
  const task = getTask(job.task);
  const trials = generate(task, {
    nTrials: 32,
    seed: MERGE_TRIALS_SEED,
    params: { ...job.taskParams, ...noiseFreeParams(task) },
  });
  const d = degeneracy(
    rs.map((r) => modelOf(r).model),
    trials,
  );
  return { networks: rs.length, pairs: d.pairs.length, ...d.mean };
}

/** One cell (task × initialisation) of networks: success, spectrum, late behaviour, degeneracy, weight change. */
function diversityRow(
  task: string,
  init: string,
  rs: StoredRecord[],
  replays: ReadonlyMap<string, BestEpochReplay>,
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
    })),
    degeneracy: cellDegeneracy(rs.filter((r) => r.accuracy >= SOLVED_ACCURACY)),
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
