/**
 * The thread that owns a gpu.js instance (engine/kernels/gpujs-bridge.ts), WebGPU or webasm. It handles one message
 * at a time: 'init' installs Dawn (WebGPU), builds the product kernel and probes it; 'gemm' reads op(A) and op(B)
 * from the shared data buffer, awaits the kernel, and writes the M×N product back; 'gradient' and 'forward' run a
 * recorded pipeline (kernels/gpujs-fused.ts; one plan per kind and shape, recorded at its first use) on the arrays
 * the layout names, and write its results back (the loss and gradient accumulators; h, y and r). Each answer is a
 * JSON text in the control buffer, then DONE is set and notified (the caller is blocked in Atomics.wait until then).
 */
import { parentPort } from 'worker_threads';
import { GPU } from 'gpu.js';
import { createGemmKernel, kernelClassOf, probeArguments, type GemmKernel } from './gpujs';
import { installDawnNavigator } from './webgpu-dawn';
import { createForwardPlan, createGradientPlan, type ForwardPlan, type GradientPlan } from './gpujs-fused';
import { BRIDGE, type BridgeMessage, type PlanAnswer } from './gpujs-bridge';

let ctrl: Int32Array,
  text: Uint8Array,
  data: Float32Array | null = null;
let gpu: GPU | null = null;
let kernel: GemmKernel | null = null;
const plans = new Map<string, GradientPlan | ForwardPlan>();
const MAX_PLANS = 8;

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
    const probe = await (k as unknown as (...a: unknown[]) => Promise<Float32Array[]> | Float32Array[])(
      ...probeArguments(),
    );
    return { kernelClass: kernelClassOf(k.kernel), probe: probe[0][0], adapter };
  }
  if (msg.data) data = new Float32Array(msg.data);
  if (msg.op === 'gradient' || msg.op === 'forward') {
    const key = `${msg.op} ${JSON.stringify(msg.shape)}`;
    let plan = plans.get(key);
    if (plan)
      plans.delete(key); // re-inserted below: the map's order is least recently used first
    else {
      plan = msg.op === 'gradient' ? createGradientPlan(gpu!, msg.shape) : createForwardPlan(gpu!, msg.shape);
      // Each plan holds its device buffers; a long-lived process that meets many shapes keeps the latest few.
      if (plans.size >= MAX_PLANS) {
        const [oldest, old] = plans.entries().next().value as [string, GradientPlan | ForwardPlan];
        old.destroy();
        plans.delete(oldest);
      }
    }
    plans.set(key, plan);
    // Copies out of the shared buffer: gpu.js uploads from ordinary arrays.
    const at = (name: string) => data!.slice(msg.layout[name][0], msg.layout[name][0] + msg.layout[name][1]);
    const inputs = {
      x: at('x'),
      h0: at('h0'),
      W_recT: at('W_recT'),
      W_in: at('W_in'),
      b: at('b'),
      W_out: at('W_out'),
      b_out: at('b_out'),
      noise: at('noise'),
    };
    if (msg.op === 'gradient') {
      const out = await (plan as GradientPlan).run({
        ...inputs,
        W_rec: at('W_rec'),
        target: at('target'),
        weight: at('weight'),
      });
      for (const name of ['loss', 'gRec', 'gOut', 'dh0'] as const)
        data!.set(out[name === 'loss' ? 'lossPerTrial' : name], msg.layout[name][0]);
    } else {
      const out = await (plan as ForwardPlan).run(inputs);
      const put = (arrays: Float32Array[], name: string) =>
        arrays.forEach((a, t) => data!.set(a, msg.layout[name][0] + t * a.length));
      put(out.h, 'h');
      put(out.y, 'y');
      if (out.r) put(out.r, 'r');
    }
    const reply: PlanAnswer = {
      executorKind: plan.executorKind ?? 'unknown',
      backend: plan.backend ?? 'unknown',
      fallbackReason: plan.fallbackReason ?? null,
    };
    return reply;
  }
  const { M, N, K, sAm, sAk, sBk, sBn, aAt, aLen, bAt, bLen, cAt } = msg as Extract<BridgeMessage, { op: 'gemm' }>;
  const a = data!.slice(aAt, aAt + aLen),
    b = data!.slice(bAt, bAt + bLen);
  kernel!.setOutput([N, M]);
  const rows = (await kernel!(a as never, b as never, K, sAm, sAk, sBk, sBn)) as unknown as Float32Array[];
  for (let m = 0; m < M; m++) data!.set(rows[m].subarray(0, N), cAt + m * N);
  return null;
}

parentPort!.on('message', (msg: BridgeMessage) => {
  handle(msg).then(
    (v) => answer(v),
    (e: Error) => {
      if (!ctrl) throw e;
      answer(String(e?.message ?? e), true);
    },
  );
});
