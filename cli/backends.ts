/** Backend names the CLI accepts, resolved to engine backends. */
import { jsBackend, referenceBackend, RnnlabError, type Backend } from '@rnnlab/engine';

export const BACKEND_NAMES = ['js', 'reference'] as const;

export function resolveBackend(name: string): Backend {
  if (name === 'js') return jsBackend;
  if (name === 'reference') return referenceBackend;
  throw new RnnlabError(`unknown backend "${name}" (known: ${BACKEND_NAMES.join(', ')})`);
}
