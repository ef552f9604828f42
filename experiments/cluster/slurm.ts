/**
 * Slurm scripts for the paper's experiments: an array job with one task per shard (requeueable, a log per task),
 * and a merge job that runs after the whole array succeeded (--dependency=afterok). rnnlab schedules nothing
 * itself: Slurm does the placement, the retries and the ordering.
 *
 * Preemption and time limits: Slurm sends SIGTERM; the shard's running networks checkpoint and rnnlab exits with
 * EXIT_STOPPED. The batch script then requeues its own task (scontrol requeue), and the requeued task continues
 * every network from its checkpoint, so the array still ends with the bits of an uninterrupted run.
 */
import * as path from 'path';
import { RnnlabError } from '@rnnlab/engine';
import { assignShards } from './shard';

/** Exit status of a shard stopped by SIGTERM after checkpointing (EX_TEMPFAIL: "try again"). */
export const EXIT_STOPPED = 75;

export interface SlurmOptions {
  /** The plan's scale (it names the jobs and goes on the command line) and its jobs' estimated costs, in plan order. */
  scale: string;
  jobs: readonly { estimatedSeconds: number }[];
  /** Output folder; must be on a file system every node sees. */
  dir: string;
  shards: number;
  cpusPerTask: number;
  maxConcurrent?: number;
  partition?: string;
  /** Time limit per array task, minutes; default: from the cost model. */
  timeMinutes?: number;
  /** The command that runs rnnlab on a node, e.g. [process.execPath, '/path/to/cli/bin.js']. */
  rnnlab: string[];
  /** Extra environment lines for the scripts (export NAME=value), e.g. a fault-injection knob in tests. */
  env?: Record<string, string>;
}

export interface SlurmPlan {
  arrayScript: string;
  mergeScript: string;
  suggestedMinutes: number;
  shardHours: number[];
  commands: string[];
}

const shq = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function formatSlurmTime(minutes: number): string {
  const m = Math.max(1, Math.ceil(minutes));
  const d = Math.floor(m / 1440),
    h = Math.floor((m % 1440) / 60),
    mm = m % 60;
  return `${d > 0 ? `${d}-` : ''}${String(h).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00`;
}

export function slurmPlan(o: SlurmOptions): SlurmPlan {
  if (!Number.isInteger(o.shards) || o.shards < 1)
    throw new RnnlabError(`--array-size must be a positive whole number, got ${o.shards}`);
  if (!Number.isInteger(o.cpusPerTask) || o.cpusPerTask < 1)
    throw new RnnlabError(`--cpus-per-task must be a positive whole number, got ${o.cpusPerTask}`);
  if (o.partition !== undefined && !/^[\w.-]{1,64}$/.test(o.partition))
    throw new RnnlabError(`--partition ${JSON.stringify(o.partition)} is not a partition name`);
  // #SBATCH lines cannot be quoted: a newline in a path would end one and start a shell line of the attacker's.
  const texts: Array<[string, string]> = [
    ['--out', o.dir],
    ...o.rnnlab.map((part): [string, string] => ['the rnnlab command', part]),
    ...Object.entries(o.env ?? {}).flatMap(([k, v]): Array<[string, string]> => [
      ['an environment name', k],
      [`the value of ${k}`, v],
    ]),
  ];
  for (const [what, text] of texts)
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(text))
      throw new RnnlabError(
        `${what} ${JSON.stringify(text)} holds a control character, which would split a line of the Slurm ` +
          'script; choose a path without one',
      );
  const { shardSeconds, suggestedMinutes } = shardLoads(o);
  const minutes = o.timeMinutes ?? suggestedMinutes;
  const dir = path.resolve(o.dir);
  const logs = path.join(dir, 'slurm', 'logs');
  const cmd = o.rnnlab.map(shq).join(' ');
  const env = Object.entries(o.env ?? {})
    .map(([k, v]) => `export ${k}=${shq(v)}`)
    .join('\n');
  const { arrayScript, mergeScript } = scripts(o, { minutes, dir, logs, cmd, env, shardSeconds, jobs: o.jobs.length });
  const arrayFile = path.join(dir, 'slurm', 'paper.sbatch'),
    mergeFile = path.join(dir, 'slurm', 'merge.sbatch');
  return {
    arrayScript,
    mergeScript,
    suggestedMinutes,
    shardHours: shardSeconds.map((s) => s / 3600),
    commands: [
      `jid=$(sbatch --parsable ${shq(arrayFile)})`,
      `sbatch --parsable --dependency=afterok:$jid ${shq(mergeFile)}`,
    ],
  };
}

/** Each shard's longest path in seconds on its CPUs, and the suggested time limit in minutes. */
function shardLoads(o: SlurmOptions): { shardSeconds: number[]; suggestedMinutes: number } {
  const costs = o.jobs.map((j) => j.estimatedSeconds);
  const owner = assignShards(costs, o.shards);
  const load = new Array<number>(o.shards).fill(0);
  costs.forEach((c, i) => (load[owner[i]] += c));
  // A shard's networks run on cpusPerTask workers: its longest path is at least its longest job.
  const longest = new Array<number>(o.shards).fill(0);
  costs.forEach((c, i) => (longest[owner[i]] = Math.max(longest[owner[i]], c)));
  const shardSeconds = load.map((l, k) => Math.max(l / o.cpusPerTask, longest[k]));
  // 50 % margin over the cost model (a shared node is slower), plus start-up; requeue covers the rest.
  const suggestedMinutes = Math.ceil((Math.max(...shardSeconds) * 1.5) / 60 + 10);
  return { shardSeconds, suggestedMinutes };
}

interface ScriptParts {
  minutes: number;
  dir: string;
  logs: string;
  cmd: string;
  env: string;
  shardSeconds: number[];
  jobs: number;
}

/** The array job's script (one task per shard, requeued when stopped) and the merge job's. */
function scripts(o: SlurmOptions, p: ScriptParts): { arrayScript: string; mergeScript: string } {
  const { minutes, dir, logs, cmd, env, shardSeconds } = p;
  const header = (name: string, time: number, cpus: number) => [
    '#!/bin/bash',
    `#SBATCH --job-name=${name}`,
    `#SBATCH --time=${formatSlurmTime(time)}`,
    `#SBATCH --cpus-per-task=${cpus}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
  ];
  const arrayScript =
    [
      ...header(`rnnlab-paper-${o.scale}`, minutes, o.cpusPerTask),
      `#SBATCH --array=0-${o.shards - 1}${o.maxConcurrent ? `%${o.maxConcurrent}` : ''}`,
      '#SBATCH --requeue',
      '#SBATCH --open-mode=append',
      `#SBATCH --output=${logs}/paper-%A_%a.out`,
      `# rnnlab paper, scale ${o.scale}: ${p.jobs} networks in ${o.shards} shards; cost model: longest shard ` +
        `${(Math.max(...shardSeconds) / 3600).toFixed(2)} h on ${o.cpusPerTask} CPU(s).`,
      '# Written by `rnnlab paper --slurm`. Each task trains its shard; a requeued task continues from the ' +
        'checkpoints.',
      'set -u',
      env,
      `${cmd} paper --scale ${o.scale} --out ${shq(dir)} --shard slurm --workers ` +
        `"\${SLURM_CPUS_PER_TASK:-${o.cpusPerTask}}" &`,
      'child=$!',
      '# Slurm signals the whole job on preemption or at the time limit; forward TERM in case only this shell got it.',
      'trap \'kill -TERM "$child" 2>/dev/null\' TERM',
      'wait "$child"; rc=$?',
      'while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done',
      `if [ "$rc" -eq ${EXIT_STOPPED} ]; then`,
      '  echo "rnnlab: shard stopped after checkpointing; requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" >&2',
      '  scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"',
      'fi',
      'exit "$rc"',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n';
  const mergeScript =
    [
      ...header(`rnnlab-merge-${o.scale}`, 60, 1),
      `#SBATCH --output=${logs}/merge-%j.out`,
      '# Runs after every array task succeeded (submitted with --dependency=afterok:<array job>).',
      'set -eu',
      env,
      `exec ${cmd} paper --scale ${o.scale} --out ${shq(dir)} --merge`,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n';
  return { arrayScript, mergeScript };
}
