/**
 * The thread that owns a gpu.js instance (engine/kernels/gpujs-bridge.ts), WebGPU or webasm. It handles one message
 * at a time: 'init' installs Dawn (WebGPU), builds the product kernel and probes it; 'gemm' reads op(A) and op(B)
 * from the shared data buffer, awaits the kernel, and writes the M×N product back; 'fused' runs one minibatch's
 * recorded pipeline (kernels/gpujs-fused.ts; one plan per shape, recorded at its first use) on the arrays the
 * layout names, and writes the loss and gradient accumulators back. Each answer is a JSON text in the control
 * buffer, then DONE is set and notified (the caller is blocked in Atomics.wait until then).
 */
import { parentPort } from 'worker_threads';
import { GPU } from 'gpu.js';
import { createGemmKernel, probeArguments, type GemmKernel } from './gpujs';
import { installDawnNavigator } from './webgpu-dawn';
import { createFusedPlan, type FusedInputs, type FusedPlan } from './gpujs-fused';
import { BRIDGE, type BridgeMessage, type FusedAnswer } from './gpujs-bridge';

let ctrl: Int32Array, text: Uint8Array, data: Float32Array | null = null;
let gpu: GPU | null = null;
let kernel: GemmKernel | null = null;
const plans = new Map<string, FusedPlan>();

function answer(value: unknown, failed = false): void {
  const bytes = Buffer.from(JSON.stringify(value ?? null));
  const n = Math.min(bytes.length, text.length);
  text.set(bytes.subarray(0, n));
  Atomics.store(ctrl, BRIDGE.LENGTH, n);
  Atomics.store(ctrl, BRIDGE.ERROR, failed ? 1 : 0);
  Atomics.store(ctrl, BRIDGE.DONE, 1);
  Atomics.notify(ctrl, BRIDGE.DONE);
}

async function handle(msg: BridgeMessage): Promise<unknown> {
  if (msg.op === 'init') {
    ctrl = new Int32Array(msg.ctrl, 0, BRIDGE.WORDS);
    text = new Uint8Array(msg.ctrl, 4 * BRIDGE.WORDS);
    const adapter = msg.mode === 'webgpu' ? await installDawnNavigator(msg.dawnBackend) : null;
    gpu = new GPU({ mode: msg.mode } as never);
    const k = createGemmKernel(gpu);
    kernel = k;
    k.setOutput([1, 1]);
    const probe = await (k as unknown as (...a: unknown[]) => Promise<Float32Array[]> | Float32Array[])(...probeArguments());
    return { kernelClass: k.kernel.constructor.name, probe: probe[0][0], adapter };
  }
  if (msg.data) data = new Float32Array(msg.data);
  if (msg.op === 'fused') {
    const key = JSON.stringify(msg.shape);
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = createFusedPlan(gpu!, msg.shape)));
    // Copies out of the shared buffer: gpu.js uploads from ordinary arrays.
    const at = (name: keyof typeof msg.layout) => data!.slice(msg.layout[name][0], msg.layout[name][0] + msg.layout[name][1]);
    const inputs: FusedInputs = { x: at('x'), target: at('target'), weight: at('weight'), h0: at('h0'), W_rec: at('W_rec'), W_in: at('W_in'), b: at('b'), W_out: at('W_out'), b_out: at('b_out'), noise: at('noise') };
    const out = await plan.run(inputs);
    data!.set(out.lossPerTrial, msg.layout.loss[0]);
    data!.set(out.gRec, msg.layout.gRec[0]);
    data!.set(out.gOut, msg.layout.gOut[0]);
    data!.set(out.dh0, msg.layout.dh0[0]);
    const reply: FusedAnswer = { executorKind: plan.executorKind ?? 'unknown', backend: plan.backend ?? 'unknown', fallbackReason: plan.fallbackReason ?? null };
    return reply;
  }
  const { M, N, K, sAm, sAk, sBk, sBn, aAt, aLen, bAt, bLen, cAt } = msg;
  const a = data!.slice(aAt, aAt + aLen), b = data!.slice(bAt, bAt + bLen);
  kernel!.setOutput([N, M]);
  const rows = (await kernel!(a as never, b as never, K, sAm, sAk, sBk, sBn)) as unknown as Float32Array[];
  for (let m = 0; m < M; m++) data!.set(rows[m].subarray(0, N), cAt + m * N);
  return null;
}

parentPort!.on('message', (msg: BridgeMessage) => {
  handle(msg).then((v) => answer(v), (e: Error) => {
    if (!ctrl) throw e;
    answer(String(e?.message ?? e), true);
  });
});
