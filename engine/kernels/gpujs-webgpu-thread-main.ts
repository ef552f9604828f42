/**
 * The thread that owns gpu.js' WebGPU kernel (engine/kernels/gpujs-webgpu.ts). It handles one message at a time:
 * 'init' installs Dawn, builds the product kernel and probes it; 'gemm' reads op(A) and op(B) from the shared data
 * buffer, awaits the kernel, and writes the M×N product back. Each answer is a JSON text in the control buffer,
 * then DONE is set and notified (the main thread is blocked in Atomics.wait until then).
 */
import { parentPort } from 'worker_threads';
import { GPU } from 'gpu.js';
import { createGemmKernel, probeArguments, type GemmKernel } from './gpujs';
import { installDawnNavigator } from './webgpu-dawn';
import { BRIDGE, type BridgeMessage } from './gpujs-webgpu';

let ctrl: Int32Array, text: Uint8Array, data: Float32Array | null = null;
let gpu: GPU | null = null;
let kernel: GemmKernel | null = null;

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
    const adapter = await installDawnNavigator(msg.dawnBackend);
    gpu = new GPU({ mode: 'webgpu' } as never);
    const k = createGemmKernel(gpu);
    kernel = k;
    k.setOutput([1, 1]);
    const probe = await (k as unknown as (...a: unknown[]) => Promise<Float32Array[]>)(...probeArguments());
    return { kernelClass: k.kernel.constructor.name, probe: probe[0][0], adapter };
  }
  if (msg.data) data = new Float32Array(msg.data);
  const { M, N, K, sAm, sAk, sBk, sBn, aAt, aLen, bAt, bLen, cAt } = msg;
  // Copies out of the shared buffer: gpu.js uploads from ordinary arrays.
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
