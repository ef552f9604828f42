/** Backend names the CLI accepts, resolved to engine backends. */
import {
  createGpuJsBackend,
  createWasmBackend,
  jsBackend,
  referenceBackend,
  RnnlabError,
  type Backend,
} from '@rnnlab/engine';

export const BACKEND_NAMES = [
  'wasm-simd',
  'js',
  'reference',
  'gpujs',
  'gpujs:webasm',
  'gpujs:cpu',
  'gpujs:headlessgl',
  'gpujs:webgpu',
] as const;

export function resolveBackend(name: string, threads = 1): Backend {
  if (name === 'wasm-simd') return createWasmBackend({ threads });
  if (threads !== 1) throw new RnnlabError(`--threads applies to the wasm-simd backend only (got backend "${name}")`);
  if (name === 'js') return jsBackend;
  if (name === 'reference') return referenceBackend;
  if (name === 'gpujs') return createGpuJsBackend('auto');
  if (name.startsWith('gpujs:')) return createGpuJsBackend(name.slice(6) as never);
  throw new RnnlabError(`unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
}
