/**
 * Data-parallel BPTT over threads, for the WebAssembly backend.
 *
 * A minibatch of B trials is cut into one shard per thread. Every thread owns a workspace in the one shared
 * WebAssembly memory and runs the ordinary engine code on its shard (rnnForward, maskedMse*, rnnBackward); the
 * parameters are copied into shared memory once per step, and each thread writes its own gradient buffer. The
 * threads meet once per step (Atomics), and the main thread sums the shard gradients. Each shard's loss and
 * gradient use the whole batch's denominator D, so the sum is exactly the batch's loss and gradient up to the order
 * of additions:  L = Σ_shards Σ_{b∈shard} … / D.
 *
 * Shard 0 runs on the calling thread; shards 1.. on worker threads (kernels/wasm-thread.js), which block in
 * Atomics.wait between steps and are unref'd so they never keep a process alive.
 */
import * as path from 'path';
import * as fs from 'fs';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'worker_threads';
import type { MinibatchGradient } from '../step/backend';
import type { WasmBackend, WasmMemory } from './wasm';
import { maskRecGradient, viewParamSet, type RnnModel } from '../core/model';
import { paramCount, type ParamSet, type RnnConfig } from '../core/config';
import { drawRecurrentNoise, rnnBackward, rnnForward } from '../step/rnn';
import { createWorkspace, loadTrials, type RnnWorkspace } from '../step/workspace';
import {
  checkedDenominator,
  LOSS_NORMALIZATIONS,
  maskCount,
  taskLossBackward,
  taskLossForward,
  type LossNormalization,
} from '../step/loss';
import { rateRegularizer } from '../step/objective';
import { RnnlabError, type FloatArray } from '../core/tensor';
import type { Trials } from '../core/trials';
import type { Rng } from '../core/random';

/** Control words (Int32) shared with each worker. */
export const CTRL = { CMD: 0, DONE: 1, BATCH: 2, STEPS: 3, ERROR: 4, NORM: 5, STARTED: 6 } as const;
/** How long a training thread may take to load and set CTRL.STARTED before the call fails (tsx loads TypeScript). */
const START_TIMEOUT_MS = 30_000;
/** The loss normalisations by index, as passed to the workers through shared memory. */
export const NORMS: readonly LossNormalization[] = LOSS_NORMALIZATIONS;
export const CMD = { IDLE: 0, RUN: 1, STOP: 2 } as const;
/**
 * Float64 words after the Int32 control block: [0] the batch denominator D, [1] the shard's loss, [2] the batch's
 * rate-regulariser count B·T·N.
 */
const F64_AT = 32;

/** Byte offset and length of every typed array of a workspace, so another thread can rebuild the same views. */
export type WorkspaceLayout = Record<string, { byteOffset: number; length: number } | number | boolean | string | null>;

function layoutOf(ws: RnnWorkspace): WorkspaceLayout {
  const out: WorkspaceLayout = {};
  for (const [k, v] of Object.entries(ws)) {
    out[k] =
      v instanceof Float32Array
        ? { byteOffset: v.byteOffset, length: v.length }
        : (v as number | boolean | string | null);
  }
  return out;
}

export function workspaceFromLayout(memory: WasmMemory, layout: WorkspaceLayout): RnnWorkspace {
  const ws: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layout)) {
    ws[k] = v !== null && typeof v === 'object' ? new Float32Array(memory.buffer, v.byteOffset, v.length) : v;
  }
  return ws as unknown as RnnWorkspace;
}

/**
 * One shard's work: the same for the main thread and the workers. Returns the shard's task and rate losses (over
 * the whole batch's D and rate count), its gradient with respect to the effective parameters in `grads`.
 */
export function shardStep(
  model: RnnModel,
  ws: RnnWorkspace,
  grads: ParamSet,
  backend: WasmBackend,
  norm: LossNormalization,
  D: number,
  rateCount: number,
): number {
  const c = model.config;
  ws.rateCount = rateCount;
  rnnForward(model, ws, backend, null);
  const loss =
    taskLossForward(ws, c.nOut, c.readout, norm, D, c.outputWeights) +
    rateRegularizer(ws, c.regularizers.l2Rate, backend.fused);
  grads.flat.fill(0);
  taskLossBackward(ws, c.nOut, c.readout, norm, D, c.outputWeights);
  rnnBackward(model, ws, grads, backend);
  return loss;
}

export function createDataParallel(
  main: WasmBackend,
  config: RnnConfig,
  maxBatch: number,
  maxSteps: number,
  threads: number,
): MinibatchGradient {
  if (config.dtype !== 'float32')
    throw new RnnlabError('data-parallel training runs the float32 WebAssembly kernels; use dtype float32');
  const shardMax = Math.ceil(maxBatch / threads);
  const params = viewParamSet(config, main.allocate('float32', paramCount(config)));
  const shared: RnnModel = { config, params, recMask: null };
  const shards = Array.from({ length: threads }, () => ({
    ws: createWorkspace(config, shardMax, maxSteps, main),
    grads: viewParamSet(config, main.allocate('float32', paramCount(config))),
  }));
  // Each worker gets a control block and a private scratch arena for its kernels' staging (transposes, W_in, bias).
  const arenaBytes = 16 * 4 * (config.nRec * config.nRec + config.nRec * Math.max(config.nIn, config.nOut, 64) + 4096);
  const script = path.join(__dirname, 'wasm-thread.js');
  if (!fs.existsSync(script))
    throw new RnnlabError(
      `the training threads' script ${script} is missing (a bundle that left it out?); use threads: 1`,
    );
  const workers = shards.slice(1).map((shard) => {
    const ctrlAt = main.reserve(F64_AT + 24);
    const arenaAt = main.reserve(arenaBytes);
    const ctrl = new Int32Array(main.memory.buffer, ctrlAt, F64_AT / 4);
    const f64 = new Float64Array(main.memory.buffer, ctrlAt + F64_AT, 3);
    // The thread reports a failure to load or to start on this port, read synchronously (receiveMessageOnPort): the
    // main thread blocks in Atomics.wait and never sees the Worker's 'error' event.
    const { port1: errors, port2: errorPort } = new MessageChannel();
    const worker = new Worker(script, {
      transferList: [errorPort],
      workerData: {
        errorPort,
        memory: main.memory,
        config,
        ctrlAt,
        arena: [arenaAt, arenaAt + arenaBytes],
        fma: main.fma,
        params: { byteOffset: params.flat.byteOffset, length: params.flat.length },
        grads: { byteOffset: shard.grads.flat.byteOffset, length: shard.grads.flat.length },
        layout: layoutOf(shard.ws),
      },
    });
    worker.unref();
    let failure: Error | null = null;
    worker.on('error', (e) => {
      failure = e;
    });
    return { worker, ctrl, f64, errors, failure: () => failure };
  });
  workers.forEach((w, i) =>
    awaitStart(w.ctrl, w.errors, i + 1, () => workers.forEach((x) => void x.worker.terminate())),
  );
  const grads0 = shards[0].grads;

  return {
    threads,
    lossAndGradient(model, trials: Trials, order, start, count, norm, grads, rng: Rng | null) {
      if (model.config.dtype !== 'float32') throw new RnnlabError('data-parallel gradient needs a float32 model');
      params.flat.set(model.params.flat as FloatArray);
      // Cut the minibatch: shard s gets trials [start + from_s, start + from_s + size_s).
      const base = Math.floor(count / threads),
        extra = count % threads;
      let from = 0,
        D = 0;
      const sizes: number[] = [];
      for (let s = 0; s < threads; s++) {
        const size = base + (s < extra ? 1 : 0);
        sizes.push(size);
        if (size > 0) {
          loadTrials(shards[s].ws, trials, order, start + from, size);
          D += maskCount(shards[s].ws, norm);
          if (rng) drawRecurrentNoise(shards[s].ws, config.noiseStd, rng);
        }
        from += size;
      }
      D = checkedDenominator((config.readout === 'softmax' ? 1 : config.nOut) * D);
      const rateCount = count * trials.nSteps * config.nRec;
      workers.forEach((w, i) => {
        const size = sizes[i + 1];
        Atomics.store(w.ctrl, CTRL.DONE, 0);
        Atomics.store(w.ctrl, CTRL.ERROR, 0);
        Atomics.store(w.ctrl, CTRL.BATCH, size);
        Atomics.store(w.ctrl, CTRL.STEPS, shards[i + 1].ws.T);
        Atomics.store(w.ctrl, CTRL.NORM, NORMS.indexOf(norm));
        w.f64[0] = D;
        w.f64[2] = rateCount;
        Atomics.store(w.ctrl, CTRL.CMD, size > 0 ? CMD.RUN : CMD.IDLE);
        if (size > 0) Atomics.notify(w.ctrl, CTRL.CMD);
      });
      let loss =
        sizes[0] > 0 ? shardStep(shared, shards[0].ws, grads0, main, norm, D, rateCount) : (grads0.flat.fill(0), 0);
      grads.flat.set(grads0.flat);
      workers.forEach((w, i) => {
        if (sizes[i + 1] === 0) return;
        const deadline = Date.now() + 600_000;
        while (Atomics.load(w.ctrl, CTRL.DONE) === 0) {
          const f = w.failure() ?? threadError(w.errors);
          if (f) throw new RnnlabError(`training thread ${i + 1} failed: ${f.message.split('\n')[0]}`);
          if (Date.now() > deadline) throw new RnnlabError(`training thread ${i + 1} did not answer within 10 minutes`);
          Atomics.wait(w.ctrl, CTRL.DONE, 0, 1000);
        }
        if (Atomics.load(w.ctrl, CTRL.ERROR) !== 0) {
          const e = threadError(w.errors);
          throw new RnnlabError(`training thread ${i + 1} failed: ${e ? e.message : 'no reason given'}`);
        }
        loss += w.f64[1];
        const g = shards[i + 1].grads.flat;
        for (let j = 0; j < g.length; j++) grads.flat[j] += g[j];
      });
      maskRecGradient(model, grads);
      return loss;
    },
    destroy() {
      for (const w of workers) {
        Atomics.store(w.ctrl, CTRL.CMD, CMD.STOP);
        Atomics.notify(w.ctrl, CTRL.CMD);
        void w.worker.terminate();
      }
    },
  };
}

/** A message the thread posted on its error port, if any (synchronous). */
function threadError(port: MessagePort): Error | null {
  const m = receiveMessageOnPort(port);
  // The thread posts a whole stack; the caller gets its first line, the error itself, whichever check sees it first.
  return m ? new Error(String(m.message).split('\n')[0]) : null;
}

/**
 * Block until thread `n` has loaded and set CTRL.STARTED, failing within seconds with the thread's own error when it
 * cannot load (a missing dependency, a broken build) or START_TIMEOUT_MS when it says nothing; `stopAll` ends the
 * threads already started.
 */
export function awaitStart(ctrl: Int32Array, errors: MessagePort, n: number, stopAll: () => void): void {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Atomics.load(ctrl, CTRL.STARTED) !== 1) {
    const e = threadError(errors);
    if (e || Atomics.load(ctrl, CTRL.STARTED) === -1) {
      stopAll();
      throw new RnnlabError(`training thread ${n} could not start: ${e ? e.message : 'it reported a failure'}`);
    }
    if (Date.now() > deadline) {
      stopAll();
      throw new RnnlabError(`training thread ${n} did not start within ${START_TIMEOUT_MS / 1000} s`);
    }
    Atomics.wait(ctrl, CTRL.STARTED, 0, 50);
  }
}
