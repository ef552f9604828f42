/** Runs the jobs the pool sends and answers with their results (or the error message). */
import { parentPort } from 'worker_threads';
import { runJob, type TrainJob } from './job';

parentPort!.on('message', (job: TrainJob) => {
  try {
    parentPort!.postMessage({ ok: true, result: runJob(job) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
