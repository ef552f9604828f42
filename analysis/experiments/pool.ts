/**
 * Run experiment jobs on a pool of worker threads (one per core by default), resumably: every finished job is
 * written atomically to <dir>/jobs/<id>.json, and jobs whose file exists are not run again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { parseJson, RnnlabError, writeFileAtomic } from '@rnnlab/engine';
import type { JobResult, TrainJob } from './job';

export interface PoolOptions {
  dir: string;
  workers?: number;
  onProgress?: (done: number, total: number, last: JobResult | null) => void;
}

export async function runJobs(jobs: TrainJob[], opts: PoolOptions): Promise<JobResult[]> {
  const jobsDir = path.join(opts.dir, 'jobs');
  fs.mkdirSync(jobsDir, { recursive: true });
  const ids = new Set<string>();
  for (const j of jobs) { if (ids.has(j.id)) throw new RnnlabError(`duplicate job id ${j.id}`); ids.add(j.id); }
  const results = new Map<string, JobResult>();
  const todo: TrainJob[] = [];
  for (const j of jobs) {
    const f = path.join(jobsDir, `${j.id}.json`);
    if (fs.existsSync(f)) {
      const r = parseJson(fs.readFileSync(f, 'utf8'), f) as JobResult;
      if (JSON.stringify(r.job) === JSON.stringify(j)) { results.set(j.id, r); continue; }
    }
    todo.push(j);
  }
  const total = jobs.length;
  opts.onProgress?.(results.size, total, null);
  const nWorkers = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), todo.length));
  let next = 0;
  await Promise.all(Array.from({ length: nWorkers }, () => new Promise<void>((resolve, reject) => {
    if (next >= todo.length) { resolve(); return; }
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    let current: TrainJob | null = null;
    const dispatch = () => {
      if (next >= todo.length) { void worker.terminate(); resolve(); return; }
      current = todo[next++];
      worker.postMessage(current);
    };
    worker.on('message', (msg: { ok: true; result: JobResult } | { ok: false; error: string }) => {
      if (!msg.ok) { void worker.terminate(); reject(new RnnlabError(`job ${current?.id} failed: ${msg.error}`)); return; }
      writeFileAtomic(path.join(jobsDir, `${msg.result.id}.json`), JSON.stringify(msg.result));
      results.set(msg.result.id, msg.result);
      opts.onProgress?.(results.size, total, msg.result);
      dispatch();
    });
    worker.on('error', (e) => reject(new RnnlabError(`job ${current?.id} crashed its worker: ${e.message}`)));
    dispatch();
  })));
  return jobs.map((j) => results.get(j.id)!);
}
