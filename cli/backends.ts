/** Backend names the CLI accepts, resolved to engine backends. */
import { createWasmBackend, jsBackend, referenceBackend, RnnlabError, type Backend } from '@rnnlab/engine';

export const BACKEND_NAMES = ['wasm-simd', 'js', 'reference'] as const;

export function resolveBackend(name: string): Backend {
  if (name === 'wasm-simd') return createWasmBackend();
  if (name === 'js') return jsBackend;
  if (name === 'reference') return referenceBackend;
  throw new RnnlabError(`unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
}
