/**
 * The cost model of an experiment job: how long training a network takes on one core with the default backend
 * (wasm-simd, one thread). A paper-protocol update (one Adam step on a minibatch of 64 with full-sequence BPTT)
 * costs T·(c0 + c1·N + c2·N²) seconds; the N² term is the recurrent products, c0 the per-step overhead.
 *
 * Measured by `npx tsx bench/cost-model.ts` on this project's 2-core machine (1 thread, wasm-simd+fma, 2026-12-02):
 * N=50/T=300 16.8 ms, N=100 37.1 ms, N=200 122 ms, N=300 276 ms, AND N=50/T=200 9.8 ms, flip-flop N=50/T=1010 54 ms;
 * the fit below reproduces each within 8 %. Smaller minibatches scale the N-dependent part linearly.
 * The estimate is an upper bound on training: it assumes every epoch runs (early stopping only shortens a job).
 */
import type { TrainJob } from '../paper/job';

export const COST_MODEL = Object.freeze({
  c0: 3.294e-5,
  c1: -1.176e-7,
  c2: 1.014e-8,
  referenceBatch: 64,
  evalSecondsPerJob: 2,
});

/** Seconds for one update at size N, sequence length T, minibatch B. */
function secondsPerUpdate(N: number, T: number, B: number): number {
  const { c0, c1, c2, referenceBatch } = COST_MODEL;
  return T * (c0 + (B / referenceBatch) * Math.max(c1 * N + c2 * N * N, 0));
}

/** Estimated seconds for a job: updates × per-update time, plus evaluation and dynamics. */
export function estimateJobSeconds(job: TrainJob, nSteps: number): number {
  const B = Math.min(job.train.batchSize, job.nTrials);
  const updates = Math.ceil(job.nTrials / B) * job.train.epochs;
  return updates * secondsPerUpdate(job.size, nSteps, B) + COST_MODEL.evalSecondsPerJob * (job.dynamics ? 3 : 1);
}
