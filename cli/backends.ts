/** Backend names the CLI accepts, resolved to engine backends. */
import { type Backend, jsBackend, referenceBackend, RnnlabError } from '@rnnlab/engine';
import { createWasmBackend } from '@rnnlab/engine/node';
import type * as GpuJsEntry from '@rnnlab/engine/gpujs';

/**
 * The gpu.js entry, loaded only when a gpu.js backend is asked for: gpu.js (and webgpu) are optional peer
 * dependencies, so the command works without them until one is requested.
 */
function gpujsEntry(): typeof GpuJsEntry {
  try {
    return require('@rnnlab/engine/gpujs') as typeof GpuJsEntry;
  } catch (e) {
    throw new RnnlabError(
      `the gpu.js backends need the optional package gpu.js (npm install gpu.js; for WebGPU also webgpu@0.6.2): ` +
        `${(e as Error).message.split('\n')[0]}`,
    );
  }
}

export const BACKEND_NAMES = [
  'wasm-simd',
  'wasm-simd:plain',
  'js',
  'reference',
  'gpujs',
  'gpujs:webasm',
  'gpujs:cpu',
  'gpujs:headlessgl',
  'gpujs:webgpu',
] as const;

/**
 * 'wasm-simd' takes the fused multiply-add kernel where the runtime has relaxed SIMD; 'wasm-simd:plain' never does,
 * so its bits are those of every browser and of Node without the flag (the lab's shared runs).
 */
export function resolveBackend(name: string, threads = 1): Backend {
  if (name === 'wasm-simd') return createWasmBackend({ threads });
  if (name === 'wasm-simd:plain') return createWasmBackend({ threads, fma: false });
  if (threads !== 1) throw new RnnlabError(`--threads applies to the wasm-simd backend only (got backend "${name}")`);
  if (name === 'js') return jsBackend;
  if (name === 'reference') return referenceBackend;
  if (name === 'gpujs') return gpujsEntry().createGpuJsBackend('auto');
  if (name.startsWith('gpujs:')) return gpujsEntry().createGpuJsBackend(name.slice(6) as never);
  throw new RnnlabError(`unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
}
