/**
 * A shard of the paper's plan: train its jobs on a pool of worker threads, a record per network, resuming what an
 * earlier run left. A shard writes only its own jobs' records and checkpoints, so any number of shards may share one
 * output folder; only the merge (merge.ts) writes results.json and the page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildMismatch, RnnlabError, terminalSafe, wasmKernelBuild } from '@rnnlab/engine';
import { lockDirectory, prepareOutputDir, prepareSubdirs } from '@rnnlab/engine/node';
import { startPool } from '../cluster/pool';
import type { ShardSpec } from '../cluster/shard';
import type { JobResult } from './job';
import { shardedPlan, type PaperPlan, type ShardedJob } from './plan';
import { readRecord, setAsideRecord, type StoredRecord } from './record';

/** Thrown when a shard was asked to stop (SIGTERM): its running networks have checkpointed. */
export class ShardStopped extends RnnlabError {
  constructor(readonly remaining: number) {
    super(
      `stopped on request with ${remaining} network(s) left; their checkpoints are saved, rerun the same command to ` +
        `continue`,
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

export async function runShard(paper: PaperPlan, dir: string, opts: ShardOptions = {}): Promise<ShardOutcome> {
  const shard = opts.shard ?? { index: 0, count: 1 };
  const mine = shardedPlan(paper, shard.count).filter((j) => j.shard === shard.index);
  prepareOutputDir(dir, 'results folder');
  // Every folder a shard writes into is checked (no symbolic link below the results folder) and made before work
  // starts: these two here, each network's checkpoint folder once it is known to need training.
  prepareSubdirs(dir, ['jobs', 'checkpoints'], 'results folder');
  // One writer per shard: a second process on the same shard (a duplicate submission) is refused at once.
  const lock = lockDirectory(dir, opts.log, `.lock-shard-${shard.index}-of-${shard.count}`);
  try {
    return await runLocked(dir, mine, paper.plan.checkpointEvery, opts);
  } finally {
    lock.release();
  }
}

async function runLocked(
  dir: string,
  mine: ShardedJob[],
  checkpointEvery: number,
  opts: ShardOptions,
): Promise<ShardOutcome> {
  const cleaned = cleanTemporaries(dir, new Set(mine.map((j) => j.job.id)));
  if (cleaned > 0) opts.log?.(`removed ${cleaned} temporary file(s) left by an interrupted run`);
  const todo = [];
  let reused = 0;
  const builds = new BuildTally();
  for (const j of mine) {
    const st = readRecord(dir, j.job);
    if (st.state === 'ok') {
      reused++;
      builds.add(st.record);
      continue;
    }
    if (st.state === 'bad')
      opts.log?.(
        `record of ${j.job.id} refused (${st.problem}); set aside as ${path.basename(setAsideRecord(dir, j.job.id))} ` +
          `and recomputed`,
      );
    todo.push(j.job);
  }
  if (todo.length) builds.warn(opts.log);
  prepareSubdirs(
    dir,
    todo.map((job) => `checkpoints/${job.id}`),
    'results folder',
  );
  let done = reused,
    finishedElsewhere = 0;
  opts.onProgress?.(done, mine.length, null);
  const pool = startPool(todo, {
    dir,
    workers: opts.workers,
    checkpointEvery,
    stepDelayMs: opts.stepDelayMs,
    onResult: (r) => opts.onProgress?.(++done, mine.length, r),
    log: opts.log,
    onSkip: (id, why) => {
      if (why === 'another process finished it') finishedElsewhere++;
      opts.log?.(`${id}: left to another process (${why})`);
    },
  });
  const onAbort = () => pool.stop();
  if (opts.signal?.aborted) pool.stop();
  opts.signal?.addEventListener('abort', onAbort);
  let held: string[];
  try {
    const { stopped, heldElsewhere } = await pool.done;
    if (stopped) throw new ShardStopped(mine.length - done);
    held = heldElsewhere;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const trained = todo.length - held.length - finishedElsewhere;
  return { trained, reused: reused + finishedElsewhere, heldElsewhere: held };
}

/**
 * The records this shard keeps that were made on another build than the one its jobs get here (the results would
 * mix builds: each record still names its own, and the page lists them), or that name none.
 */
class BuildTally {
  private here = wasmKernelBuild();
  private other = 0;
  private unnamed = 0;
  private example = '';

  add(r: StoredRecord): void {
    const last = r.kernelBuilds?.at(-1);
    if (!last) this.unnamed++;
    else {
      const why = buildMismatch(last, this.here);
      if (why) {
        this.other++;
        this.example ||= why;
      }
    }
  }

  warn(log?: (line: string) => void): void {
    if (this.other)
      log?.(
        `warning: ${this.other} record(s) of this shard were made on another build (${terminalSafe(this.example)}); ` +
          'the networks trained now use this one, so the results mix builds (each record names its own)',
      );
    if (this.unnamed)
      log?.(
        `note: ${this.unnamed} record(s) of this shard name no build (made before records named theirs); the ` +
          `networks trained now use ${this.here.kernel}`,
      );
  }
}

/** What a shard did: networks trained here, found done, and left to another live process holding their lock. */
export interface ShardOutcome {
  trained: number;
  reused: number;
  heldElsewhere: string[];
}
