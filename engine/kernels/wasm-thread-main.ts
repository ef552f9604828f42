/**
 * A training thread (engine/kernels/parallel.ts): joins the main thread's WebAssembly memory with its own kernel
 * instance and scratch arena, rebuilds its shard's workspace, parameter and gradient views, and then, each time the
 * main thread sets CMD = RUN, runs one shard step and reports its loss. Never returns to the event loop.
 */
import { workerData } from 'worker_threads';
import { createWasmBackend } from './wasm';
import { CMD, CTRL, NORMS, shardStep, workspaceFromLayout } from './parallel';
import { viewParamSet, type RnnModel } from '../core/model';

const { memory, config, ctrlAt, arena, fma, params, grads, layout, errorPort } = workerData;
const backend = createWasmBackend({ memory, arena, fma }); // the same kernel build as the main thread: same bits
const ctrl = new Int32Array(memory.buffer, ctrlAt, 8);
const f64 = new Float64Array(memory.buffer, ctrlAt + 32, 3);
const model: RnnModel = {
  config,
  params: viewParamSet(config, new Float32Array(memory.buffer, params.byteOffset, params.length)),
  recMask: null,
};
const g = viewParamSet(config, new Float32Array(memory.buffer, grads.byteOffset, grads.length));
const ws = workspaceFromLayout(memory, layout);
/** Hand the step back to the main thread, which waits on CTRL.DONE. */
function endStep(): void {
  Atomics.store(ctrl, CTRL.CMD, CMD.IDLE);
  Atomics.store(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
/** End the current step as failed, with the reason on the error port (the main thread reads it synchronously). */
function fail(reason: string): void {
  errorPort.postMessage(reason);
  Atomics.store(ctrl, CTRL.ERROR, 1);
  endStep();
}
// A thread that dies mid-training (process.exit, an error outside a step) must not leave the main thread waiting
// for its answer: say so on the way out. (A STOP from the main thread is the normal end.)
let stopping = false;
process.on('exit', (code) => {
  if (!stopping) fail(`the thread exited with code ${code} during training`);
});
// Fault injection for spec/engine/parallel.spec.ts: 'exit' ends the thread in a step, 'throw' fails one step.
const fault = process.env.RNNLAB_FAULT_THREAD;

Atomics.store(ctrl, CTRL.STARTED, 1);
Atomics.notify(ctrl, CTRL.STARTED);

for (;;) {
  Atomics.wait(ctrl, CTRL.CMD, CMD.IDLE);
  const cmd = Atomics.load(ctrl, CTRL.CMD);
  if (cmd === CMD.STOP) {
    stopping = true;
    break;
  }
  if (cmd !== CMD.RUN) continue;
  if (fault === 'exit') process.exit(3);
  try {
    if (fault === 'throw') throw new Error('injected fault');
    ws.B = Atomics.load(ctrl, CTRL.BATCH);
    ws.T = Atomics.load(ctrl, CTRL.STEPS);
    const lossNorm = NORMS[Atomics.load(ctrl, CTRL.NORM)];
    f64[1] = shardStep(model, ws, g, backend, lossNorm, f64[0], f64[2]);
  } catch (e) {
    fail(String((e as Error).stack ?? e));
    continue;
  }
  endStep();
}
