/** Runs the jobs the pool sends and answers with their records, 'stopped', or the error message. */
import { parentPort, workerData } from 'worker_threads';
import { runJob } from '../paper/job';
import type { WorkerRequest, WorkerReply } from './pool';

const stop = new Int32Array(workerData.stop as SharedArrayBuffer);

parentPort!.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const r = runJob(req.job, {
      checkpointDir: req.checkpointDir,
      checkpointEvery: req.checkpointEvery,
      stepDelayMs: req.stepDelayMs,
      shouldStop: () => Atomics.load(stop, 0) !== 0,
    });
    reply = r === 'stopped' ? { kind: 'stopped', id: req.job.id } : { kind: 'done', result: r };
  } catch (e) {
    reply = { kind: 'error', id: req.job.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
