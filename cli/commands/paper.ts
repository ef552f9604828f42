/**
 * `rnnlab paper`: the paper's experiments. On one machine it trains every network and merges; on a cluster it
 * lists the plan, runs one shard (--shard), merges the records (--merge), or writes and submits Slurm scripts
 * (--slurm). SIGTERM (preemption, a time limit) checkpoints the running networks and exits with status 75.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Command, Option } from 'commander';
import { RnnlabError } from '@rnnlab/engine';
import { prepareOutputDir, prepareSubdirs, writeFileAtomic } from '@rnnlab/engine/node';
import {
  EXIT_STOPPED,
  heldElsewhereError,
  mergePaper,
  parseShard,
  planJobs,
  replayBest,
  writePulseGap,
  replayPath,
  runShard,
  SCALES,
  shardedPlan,
  ShardStopped,
  slurmPlan,
  type JobResult,
  type PaperPlan,
  type PaperResults,
  type Scale,
} from '@rnnlab/experiments';
import * as cliProgress from 'cli-progress';
import { num } from '../parse';
import { jsonOption, log, out, outJson } from '../common';

/** The command's launcher: cli/bin.js, one folder up in the sources, two from the compiled cli/dist/commands/. */
const RNNLAB_BIN = [path.join(__dirname, '..', 'bin.js'), path.join(__dirname, '..', '..', 'bin.js')].find((f) =>
  fs.existsSync(f),
)!;

/** Fault injection for the preemption tests: milliseconds to sleep after every update (unset in normal use). */
function stepDelayFromEnv(): number | undefined {
  const raw = process.env.RNNLAB_FAULT_STEP_DELAY_MS;
  if (raw === undefined || raw === '') return undefined;
  return num('RNNLAB_FAULT_STEP_DELAY_MS', { min: 0, max: 60000 })(raw);
}

/** The merged run for --json: where everything is, what is missing, and every claim's verdict. */
function summary(res: PaperResults, dir: string) {
  return {
    scale: res.scale,
    partial: res.partial,
    missing: res.missing,
    planned: res.planned,
    results: path.join(dir, 'results.json'),
    page: path.join(dir, 'index.html'),
    claims: res.claims.map((c) => ({ id: c.id, verdict: c.verdict, n: c.n })),
  };
}

function describe(res: PaperResults, dir: string): string {
  const n = (pts: PaperResults['size']) => pts.reduce((a, p) => a + p.n, 0);
  return (
    `paper (${res.scale}${res.partial ? ', PARTIAL' : ''}): size ${res.size.length} points / ${n(res.size)} ` +
    `nets, delay ${res.delay.length} points / ${n(res.delay)} nets, diversity ` +
    `${res.diversity.reduce((a, d) => a + d.networks, 0)} nets, damage on ${res.damage[0]?.networks ?? 0} AND nets → ` +
    `${path.join(dir, 'index.html')}`
  );
}

export function paperCommand(): Command {
  const cmd = new Command('paper').description(
    "rerun the paper's experiments (size and delay sweeps, diversity, damage) and write a results page beside the " +
      "authors' data; on a cluster: --list, --shard, --merge, --slurm",
  );
  for (const add of [runOptions, clusterOptions, slurmOptions]) add(cmd);
  return cmd.action(paperAction);
}

/** The scale, where its records go, and how many workers train them. */
const runOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option(
        '--scale <s>',
        "tiny: seconds; small: minutes on 2 cores (reduced protocol); medium: the paper's protocol, ~15 core-hours; " +
          "full: the paper's ensembles, ~104 core-hours",
      )
        .choices([...SCALES])
        .default('small'),
    )
    .option(
      '--out <dir>',
      'output directory (default results/paper-<scale>); rerunning skips finished networks and continues interrupted ' +
        'ones',
    )
    .option(
      '--workers <n>',
      'worker threads (default: one per core)',
      num('--workers', { integer: true, positive: true, max: 1024 }),
    );

/** Listing, sharding, merging and replaying the plan. */
const clusterOptions = (cmd: Command) =>
  cmd
    .option('--list', 'print every job id in plan order with its estimated cost, then the total in core-hours')
    .option(
      '--shard <spec>',
      'run only one shard: K/N (0-based K), slurm (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT) or k8s ' +
        '(JOB_COMPLETION_INDEX, with --shard-count)',
    )
    .option(
      '--shard-count <n>',
      'number of shards for --shard k8s, or to show shard assignment with --list',
      num('--shard-count', { integer: true, positive: true, max: 100000 }),
    )
    .option('--merge', 'build results.json and the page from the records (refuses while records are missing)')
    .option('--partial', 'with --merge: render what exists, marked partial')
    .option(
      '--replay-best <ids>',
      "train the named networks (comma-separated ids, or 'diverged': those that learned and then diverged) again up " +
        "to their best epoch, check the losses match the record bit for bit, and store that network's evaluation in " +
        '<out>/replays for the next --merge',
    )
    .option(
      '--pulse-gap',
      "measure the candidate causes of the gap between rnnlab's and the authors' pulse distance at 25 ms on the " +
        'recorded networks (noise floors, noise-free targets and inputs, averaging, training epoch, generator) into ' +
        '<out>/pulse-gap.json',
    );

/** Slurm scripts, and submitting them. */
const slurmOptions = (cmd: Command) =>
  cmd
    .option(
      '--slurm',
      'write <out>/slurm/paper.sbatch (array job, one task per shard) and merge.sbatch, and print the sbatch commands',
    )
    .option('--partition <name>', 'Slurm partition (with --slurm)')
    .option(
      '--time <minutes>',
      'Slurm time limit per array task in minutes (default: from the cost model)',
      num('--time', { integer: true, positive: true }),
    )
    .option(
      '--cpus-per-task <n>',
      'CPUs (worker threads) per array task (with --slurm; default 2)',
      num('--cpus-per-task', { integer: true, positive: true, max: 1024 }),
    )
    .option(
      '--array-size <n>',
      'number of shards = array tasks (with --slurm; default 8)',
      num('--array-size', { integer: true, positive: true, max: 100000 }),
    )
    .option(
      '--max-concurrent <n>',
      'at most this many array tasks at once (with --slurm)',
      num('--max-concurrent', { integer: true, positive: true }),
    )
    .option('--submit', 'with --slurm: submit both scripts and print the job ids')
    .addOption(jsonOption());

/** One mode per call: list, slurm, replay, merge, or train (all, or one shard) and merge. */
async function paperAction(o: Record<string, any>): Promise<void> {
  const scale = o.scale as Scale;
  const dir: string = o.out ?? path.join('results', `paper-${scale}`);
  const modes = ['list', 'shard', 'merge', 'slurm', 'replayBest', 'pulseGap'].filter(
    (k) => o[k] !== undefined && o[k] !== false,
  );
  if (modes.length > 1) {
    const flags = modes.map((m) => m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    throw new RnnlabError(`--${flags.join(', --')} cannot be combined; give one`);
  }
  if (o.partial && !o.merge) throw new RnnlabError('--partial goes with --merge');
  if (o.submit && !o.slurm) throw new RnnlabError('--submit goes with --slurm');
  // The plan is resolved once here and handed to every stage.
  const paper = planJobs(scale);
  json = o.json === true;
  if (o.list) return listPlan(paper, o.shardCount);
  if (o.slurm) return writeSlurm(paper, dir, o);
  if (o.replayBest !== undefined) return replay(paper, dir, String(o.replayBest));
  if (o.pulseGap) return gap(paper, dir);
  if (o.merge) return merged(await mergePaper(paper, dir, { partial: o.partial === true, log }), dir);
  await train(paper, dir, o);
}

function gap(paper: PaperPlan, dir: string): void {
  const g = writePulseGap(paper, dir);
  if (json) return outJson('paper', { mode: 'pulse-gap', ...g });
  const f = (x: number) => x.toFixed(3);
  out(
    `pulse at ${g.delay} ms, ${g.rnnlab.networks} networks, ${g.trials} trials each: distance ` +
      `${f(g.rnnlab.mean.mean)} (authors ${g.authorsLevel}); against noise-free targets ` +
      `${f(g.rnnlab.mean.clean)}; noise floor ` +
      `${f(g.floor.paper)} (training-time generator: ${f(g.floor.trainingTime)}); the authors' network ` +
      `${f(g.authorsNetwork.paperGenerator.mean)}` +
      (g.trainingTimeGenerator
        ? `; rnnlab's networks trained on the training-time generator ${f(g.trainingTimeGenerator.mean.mean)}`
        : '') +
      ` → ${path.join(dir, 'pulse-gap.json')}`,
  );
}

/** --json for this call of the command (one mode per call, one document). */
let json = false;

function merged(res: PaperResults, dir: string): void {
  if (json) outJson('paper', { mode: 'merge', ...summary(res, dir) });
  else out(describe(res, dir));
}

function listPlan(paper: PaperPlan, shardCount: number | undefined): void {
  const jobs = shardedPlan(paper, shardCount ?? 1);
  if (json) {
    const rows = jobs.map((j) => ({
      id: j.job.id,
      experiments: j.experiments,
      size: j.job.size,
      steps: j.nSteps,
      seconds: j.estimatedSeconds,
      ...(shardCount ? { shard: j.shard } : {}),
    }));
    const hours = jobs.reduce((a, j) => a + j.estimatedSeconds, 0) / 3600;
    return outJson('paper', { mode: 'list', scale: paper.scale, jobs: rows, coreHours: hours });
  }
  let total = 0;
  out(
    `# ${jobs.length} jobs of scale ${paper.scale}, in plan order; ` +
      'cost = estimated seconds on one core (bench/cost-model.ts)',
  );
  out(['id', 'experiments', 'N', 'T', 'seconds', ...(shardCount ? ['shard'] : [])].join('\t'));
  for (const j of jobs) {
    total += j.estimatedSeconds;
    const cost = j.estimatedSeconds.toFixed(0);
    out([j.job.id, j.experiments.join(','), j.job.size, j.nSteps, cost, ...(shardCount ? [j.shard] : [])].join('\t'));
  }
  out(`# total: ${(total / 3600).toFixed(1)} core-hours (an upper bound: early stopping shortens some networks)`);
}

interface SlurmFlags {
  cpusPerTask?: number;
  arraySize?: number;
  maxConcurrent?: number;
  partition?: string;
  time?: number;
  submit?: boolean;
}

function writeSlurm(paper: PaperPlan, dir: string, o: SlurmFlags): void {
  const cpus = o.cpusPerTask ?? 2;
  const plan = slurmPlan({
    scale: paper.scale,
    jobs: paper.jobs,
    dir,
    shards: o.arraySize ?? 8,
    cpusPerTask: cpus,
    maxConcurrent: o.maxConcurrent,
    partition: o.partition,
    timeMinutes: o.time,
    rnnlab: [process.execPath, RNNLAB_BIN],
    env: process.env.RNNLAB_FAULT_STEP_DELAY_MS
      ? { RNNLAB_FAULT_STEP_DELAY_MS: process.env.RNNLAB_FAULT_STEP_DELAY_MS }
      : undefined,
  });
  prepareOutputDir(dir, 'results folder');
  prepareSubdirs(dir, ['slurm/logs'], 'results folder');
  writeFileAtomic(path.join(dir, 'slurm', 'paper.sbatch'), plan.arrayScript);
  writeFileAtomic(path.join(dir, 'slurm', 'merge.sbatch'), plan.mergeScript);
  out(
    `wrote ${path.join(dir, 'slurm', 'paper.sbatch')} (array of ${o.arraySize ?? 8}, ${cpus} CPU(s) each, ` +
      `time limit ${o.time ?? plan.suggestedMinutes} min; the cost model suggests ${plan.suggestedMinutes}) ` +
      'and merge.sbatch',
  );
  const scripts = { array: path.join(dir, 'slurm', 'paper.sbatch'), merge: path.join(dir, 'slurm', 'merge.sbatch') };
  if (!o.submit && json) return outJson('paper', { mode: 'slurm', scripts, submit: plan.commands });
  if (!o.submit) {
    out('submit with:');
    for (const c of plan.commands) out(`  ${c}`);
    return;
  }
  const sbatch = (args: string[]) => {
    try {
      return execFileSync('sbatch', args, { encoding: 'utf8' }).trim().split(';')[0];
    } catch (e) {
      throw new RnnlabError(`sbatch ${args.join(' ')} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  const arrayId = sbatch(['--parsable', path.join(dir, 'slurm', 'paper.sbatch')]);
  const mergeId = sbatch(['--parsable', `--dependency=afterok:${arrayId}`, path.join(dir, 'slurm', 'merge.sbatch')]);
  if (json) return outJson('paper', { mode: 'slurm', scripts, submitted: { array: arrayId, merge: mergeId } });
  out(`submitted: array job ${arrayId}, merge job ${mergeId} (after the array succeeds)`);
}

function replay(paper: PaperPlan, dir: string, which: string): void {
  const ids = which
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new RnnlabError("--replay-best needs network ids or 'diverged'");
  const done = replayBest(paper, dir, ids, log);
  if (json)
    return outJson('paper', { mode: 'replay', replays: done.map((r) => ({ ...r, file: replayPath(dir, r.id) })) });
  for (const r of done)
    out(
      `${r.id} at epoch ${r.epoch} (loss ${r.loss.toExponential(2)}, reproduced exactly): ` +
        `accuracy ${(100 * r.accuracy).toFixed(0)}%, distance ${r.meanDistance.toFixed(3)}, ` +
        `rms ΔW/σ ${r.relativeChange.toFixed(3)}, spectral radius ${r.spectrum.radius.toFixed(3)}, ` +
        `${r.seconds.toFixed(0)} s → ${replayPath(dir, r.id)}`,
    );
}

/** Train the plan (or one --shard of it) and, on one machine, merge. SIGTERM and SIGINT checkpoint and stop. */
async function train(
  paper: PaperPlan,
  dir: string,
  o: { shard?: string; shardCount?: number; workers?: number },
): Promise<void> {
  const shard = o.shard !== undefined ? parseShard(o.shard, process.env, o.shardCount) : undefined;
  const ac = new AbortController();
  const onSignal = (sig: string) => {
    log(`rnnlab: ${sig}: checkpointing the running networks, then exiting with status ${EXIT_STOPPED}`);
    ac.abort();
  };
  const term = () => onSignal('SIGTERM'),
    int = () => onSignal('SIGINT');
  process.on('SIGTERM', term);
  process.on('SIGINT', int);
  const progress = networkProgress();
  try {
    const r = await runShard(paper, dir, {
      shard,
      workers: o.workers,
      signal: ac.signal,
      stepDelayMs: stepDelayFromEnv(),
      log,
      onProgress: progress.update,
    });
    progress.stop();
    if (shard) {
      const held = r.heldElsewhere.length ? `, ${r.heldElsewhere.length} left to another process` : '';
      if (json) return outJson('paper', { mode: 'shard', shard, ...r });
      out(
        `shard ${shard.index}/${shard.count} of ${paper.scale}: ${r.trained} network(s) trained, ` +
          `${r.reused} already done${held}; merge with --merge once every shard has finished`,
      );
      return;
    }
    if (r.heldElsewhere.length) throw heldElsewhereError(r.heldElsewhere);
    merged(await mergePaper(paper, dir, { log }), dir);
  } catch (e) {
    progress.stop();
    if (e instanceof ShardStopped) {
      log(`rnnlab: ${e.message}`);
      process.exitCode = EXIT_STOPPED;
      throw new StoppedExit();
    }
    throw e;
  } finally {
    process.off('SIGTERM', term);
    process.off('SIGINT', int);
  }
}

/** A bar of finished networks on a terminal; a line per network otherwise. */
function networkProgress() {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: 'networks |{bar}| {value}/{total} | {last} | ETA {eta_formatted}', etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  return {
    update: (d: number, t: number, last: JobResult | null) => {
      if (bar && !started) {
        bar.start(t, d, { last: '' });
        started = true;
      }
      bar?.update(d, { last: last ? `${last.id}: distance ${last.meanDistance.toFixed(3)}` : '' });
      if (!tty && last)
        log(
          `[${d}/${t}] ${last.id}: distance ${last.meanDistance.toFixed(3)}, ` +
            `accuracy ${(100 * last.accuracy).toFixed(0)}%, ${last.seconds.toFixed(0)} s`,
        );
    },
    stop: () => bar?.stop(),
  };
}

/** Thrown after a clean stop on SIGTERM: main() returns EXIT_STOPPED without printing an error. */
export class StoppedExit extends Error {
  readonly exitCode = EXIT_STOPPED;
}
