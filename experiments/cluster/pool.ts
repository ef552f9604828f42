/**
 * Run experiment jobs on a pool of worker threads (one per core by default). Every finished job's record is written
 * durably to <dir>/jobs/<id>.json as it arrives; training checkpoints go to <dir>/checkpoints/<id>/. `stop()` asks
 * every running job to checkpoint and return; the pool then resolves with `stopped: true` and dispatches nothing
 * more. A job that throws stops the pool with that job's error; a worker that crashes fails it at once.
 *
 * One writer per network: a job runs only while this process holds checkpoints/<id>/.lock. A network whose lock a
 * live process holds (a sharded run beside an unsharded one, two submissions of overlapping shards) is left to it
 * and reported in `heldElsewhere`; a network another process finished while this one waited is not trained again.
 */
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { RnnlabError } from '@rnnlab/engine';
import { type DirLock, lockDirectory, LockHeldError } from '@rnnlab/engine/node';
import type { JobResult, TrainJob } from '../paper/job';
import { readRecord, writeRecord } from '../paper/record';

export interface WorkerRequest {
  job: TrainJob;
  checkpointDir: string;
  checkpointEvery: number;
  stepDelayMs?: number;
}
export type WorkerReply =
  { kind: 'done'; result: JobResult } | { kind: 'stopped'; id: string } | { kind: 'error'; id: string; error: string };

export interface PoolOptions {
  dir: string;
  workers?: number;
  checkpointEvery: number;
  stepDelayMs?: number;
  onResult?: (r: JobResult) => void;
  /** A network left to the process that holds its lock, or found finished by another process. */
  onSkip?: (id: string, why: string) => void;
  log?: (line: string) => void;
}

export interface Pool {
  /** heldElsewhere: networks another live process was training (their records are its to write). */
  done: Promise<{ stopped: boolean; heldElsewhere: string[] }>;
  stop: () => void;
}

export function startPool(todo: readonly TrainJob[], opts: PoolOptions): Pool {
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const stop = () => Atomics.store(stopFlag, 0, 1);
  const nWorkers = Math.max(1, Math.min(opts.workers ?? os.availableParallelism(), todo.length));
  let next = 0;
  const workers: Worker[] = [];
  const heldElsewhere: string[] = [];
  /** The next job whose network lock this process gets and that nobody finished meanwhile, with its lock. */
  const claim = (): { job: TrainJob; lock: DirLock } | null => {
    while (next < todo.length) {
      const job = todo[next++];
      let lock: DirLock;
      try {
        lock = lockDirectory(path.join(opts.dir, 'checkpoints', job.id), opts.log);
      } catch (e) {
        if (!(e instanceof LockHeldError)) throw e;
        heldElsewhere.push(job.id);
        opts.onSkip?.(job.id, `pid ${e.holder.pid} on ${e.holder.host} is training it`);
        continue;
      }
      if (readRecord(opts.dir, job).state === 'ok') {
        lock.release();
        opts.onSkip?.(job.id, 'another process finished it');
        continue;
      }
      return { job, lock };
    }
    return null;
  };
  const done = Promise.all(
    Array.from(
      { length: todo.length === 0 ? 0 : nWorkers },
      () =>
        new Promise<boolean>((resolve, reject) => {
          const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { stop: stopFlag.buffer } });
          workers.push(worker);
          let current: TrainJob | null = null;
          let lock: DirLock | null = null;
          let settled = false;
          const unlock = () => {
            lock?.release();
            lock = null;
          };
          const finish = (stopped: boolean) => {
            settled = true;
            unlock();
            void worker.terminate();
            resolve(stopped);
          };
          const fail = (e: Error) => {
            if (settled) return;
            settled = true;
            unlock();
            stop();
            void worker.terminate();
            reject(e);
          };
          const dispatch = () => {
            unlock();
            if (Atomics.load(stopFlag, 0) !== 0) {
              finish(true);
              return;
            }
            let claimed;
            try {
              claimed = claim();
            } catch (e) {
              fail(e as Error);
              return;
            }
            if (!claimed) {
              finish(false);
              return;
            }
            ({ job: current, lock } = claimed);
            const req: WorkerRequest = {
              job: current,
              checkpointDir: path.join(opts.dir, 'checkpoints', current.id),
              checkpointEvery: opts.checkpointEvery,
              stepDelayMs: opts.stepDelayMs,
            };
            worker.postMessage(req);
          };
          worker.on('message', (msg: WorkerReply) => {
            if (msg.kind === 'error') {
              fail(new RnnlabError(`job ${msg.id} failed: ${msg.error}`));
              return;
            }
            if (msg.kind === 'stopped') {
              finish(true);
              return;
            }
            try {
              writeRecord(opts.dir, msg.result);
            } catch (e) {
              fail(e as Error);
              return;
            }
            opts.onResult?.(msg.result);
            dispatch();
          });
          worker.on('error', (e) =>
            fail(new RnnlabError(`job ${current?.id ?? '(none)'} crashed its worker: ${e.message}`)),
          );
          worker.on('exit', (code) => {
            if (!settled)
              fail(new RnnlabError(`the worker running job ${current?.id ?? '(none)'} exited with code ${code}`));
          });
          dispatch();
        }),
    ),
  ).then((stopped) => ({ stopped: stopped.some(Boolean) || Atomics.load(stopFlag, 0) !== 0, heldElsewhere }));
  return { done, stop };
}
