/**
 * Shards: split a plan's jobs between K independent processes (Slurm array tasks, Kubernetes Indexed Job pods, GNU
 * parallel slots) so that each job belongs to exactly one shard. The split is deterministic (a function of the plan
 * and the shard count only) and balanced by estimated cost: longest job first onto the least-loaded shard, ties
 * broken by job order and shard index.
 */
import { RnnlabError } from '@rnnlab/engine';

export interface ShardSpec {
  index: number;
  count: number;
}

/** `owner[i]` = the shard of job i. */
export function assignShards(costs: readonly number[], count: number): number[] {
  const order = costs.map((c, i) => i).sort((a, b) => costs[b] - costs[a] || a - b);
  const load = new Array<number>(count).fill(0);
  const owner = new Array<number>(costs.length);
  for (const i of order) {
    let best = 0;
    for (let k = 1; k < count; k++) if (load[k] < load[best]) best = k;
    owner[i] = best;
    load[best] += costs[i];
  }
  return owner;
}

/**
 * Parse --shard: "K/N" (0-based K), "slurm" (SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT), or "k8s" / "index"
 * (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job; the count comes from `count`, i.e. --shard-count).
 */
export function parseShard(spec: string, env: NodeJS.ProcessEnv = process.env, count?: number): ShardSpec {
  const int = (v: string | undefined, what: string): number => {
    if (v === undefined || !/^\d+$/.test(v.trim()))
      throw new RnnlabError(
        `${what} is ${v === undefined ? 'not set' : JSON.stringify(v)}; expected a non-negative integer`,
      );
    return Number(v.trim());
  };
  let index: number, n: number;
  if (spec === 'slurm') {
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN');
    // --array=0-7:2 runs tasks 0, 2, 4, 6 (SLURM_ARRAY_TASK_STEP 2, COUNT 4): the shard is the task's rank
    const step = env.SLURM_ARRAY_TASK_STEP === undefined ? 1 : int(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP');
    if (step < 1) throw new RnnlabError('SLURM_ARRAY_TASK_STEP is 0; expected a step of 1 or more');
    const id = int(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID (--shard slurm runs inside a Slurm array job)');
    if ((id - min) % step !== 0 || id < min)
      throw new RnnlabError(
        `SLURM_ARRAY_TASK_ID ${id} is not on the array's grid (min ${min}, step ${step}); ` +
          'a shard is one task of an evenly stepped range (--array=MIN-MAX:STEP; lists like 1,4,9 are not supported)',
      );
    index = (id - min) / step;
    n = int(env.SLURM_ARRAY_TASK_COUNT, 'SLURM_ARRAY_TASK_COUNT');
  } else if (spec === 'k8s' || spec === 'index') {
    index = int(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX (--shard k8s runs inside a Kubernetes Indexed Job)');
    if (count === undefined) throw new RnnlabError("--shard k8s needs --shard-count N (the Indexed Job's completions)");
    n = count;
  } else {
    const m = /^(\d+)\/(\d+)$/.exec(spec);
    if (!m) throw new RnnlabError(`--shard must be K/N (0-based K), "slurm" or "k8s", got ${JSON.stringify(spec)}`);
    index = Number(m[1]);
    n = Number(m[2]);
    if (count !== undefined && count !== n)
      throw new RnnlabError(`--shard ${spec} says ${n} shards but --shard-count says ${count}; give one count`);
  }
  if (!(n >= 1) || n > 100000) throw new RnnlabError(`the shard count must be between 1 and 100000, got ${n}`);
  if (index >= n) throw new RnnlabError(`shard ${index} does not exist in ${n} shards (K is 0-based: 0..${n - 1})`);
  return { index, count: n };
}
