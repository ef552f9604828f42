/**
 * Memory estimates made before anything large is allocated, so that an impossible size (--size 1e9, a million-step
 * trial) fails at once with what it would need instead of deep inside a typed-array constructor or after a minute of
 * work. Counts follow the allocations in model.ts (parameters), rnn.ts (createWorkspace) and trials.ts.
 */
import { RnnlabError } from './tensor';
import { paramCount, type RnnConfig, type RnnSizes } from './config';

/** WebAssembly (32-bit) memories end at 4 GiB; wasm-simd keeps its workspace there. */
export const WASM_MEMORY_LIMIT = 4 * 1024 ** 3;
/** V8 refuses one typed array longer than this many elements. */
const MAX_TYPED_ARRAY_LENGTH = 2 ** 32 - 1;

export interface MemoryEstimate {
  /** Parameters, gradients and both Adam moments (float64 for the moments). */
  model: number;
  /** One training workspace (createWorkspace) at this batch and trial length. */
  workspace: number;
  /** The trial set (inputs, targets, mask in float64). */
  trials: number;
  total: number;
}

export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return 'more than can be counted';
  if (b >= 1024 ** 4) return `${(b / 1024 ** 4).toPrecision(3)} TiB`;
  if (b >= 1024 ** 3) return `${(b / 1024 ** 3).toPrecision(3)} GiB`;
  return `${(b / 1024 ** 2).toPrecision(3)} MiB`;
}

export function estimateTrainingMemory(c: RnnConfig, nTrials: number, nSteps: number, batch: number): MemoryEstimate {
  const { nIn: I, nRec: N, nOut: O } = c;
  const B = Math.min(batch, nTrials),
    T = nSteps,
    BT = B * T;
  const word = c.dtype === 'float32' ? 4 : 8;
  const P = paramCount(c);
  const model = P * word * 2 + P * 8 * 2;
  const wsElems =
    BT * (I + O + 1) +
    (T + 1) * B * N +
    (c.alpha === 1 ? 0 : BT * N) +
    2 * BT * O +
    BT * N +
    Math.max(B, I) * N +
    (c.noiseStd > 0 ? BT * N : 0) +
    2 * N * N +
    BT;
  const workspace = wsElems * word;
  const trials = nTrials * T * (I + O + 1) * 8;
  return { model, workspace, trials, total: model + workspace + trials };
}

/**
 * Refuse a size that cannot fit: one array beyond V8's typed-array limit, a workspace beyond WebAssembly's 4 GiB when
 * `wasm` is set, or a total beyond `available` bytes (the caller passes the machine's memory).
 */
export function assertFits(
  e: MemoryEstimate,
  what: string,
  opts: { available?: number; wasm?: boolean; largestArray?: number } = {},
): void {
  if (opts.largestArray !== undefined && opts.largestArray > MAX_TYPED_ARRAY_LENGTH) {
    throw new RnnlabError(
      `${what} needs an array of ${opts.largestArray.toExponential(2)} entries; one array holds at most ` +
        `${MAX_TYPED_ARRAY_LENGTH} (needs ${formatBytes(e.total)} in all)`,
    );
  }
  if (opts.wasm && e.workspace > WASM_MEMORY_LIMIT) {
    throw new RnnlabError(
      `${what} needs ${formatBytes(e.workspace)} of workspace; WebAssembly memory is limited to 4 GiB (use a smaller ` +
        `batch, size or trial length, or --backend js)`,
    );
  }
  if (opts.available !== undefined && e.total > opts.available) {
    throw new RnnlabError(
      `${what} needs ${formatBytes(e.total)} (model ${formatBytes(e.model)}, workspace ${formatBytes(e.workspace)}, ` +
        `trials ${formatBytes(e.trials)}); this machine has ${formatBytes(opts.available)}`,
    );
  }
}

/** A model alone (import, load, createModel): parameters plus the N×N working copies analysis makes. */
export function assertModelFits(c: RnnSizes, what: string, available?: number): void {
  const P = paramCount(c);
  const bytes = P * 8 * 4;
  if (P > MAX_TYPED_ARRAY_LENGTH)
    throw new RnnlabError(
      `${what}: N = ${c.nRec} needs ${P.toExponential(2)} parameters (${formatBytes(bytes)}); one array holds at ` +
        `most ${MAX_TYPED_ARRAY_LENGTH}`,
    );
  if (available !== undefined && bytes > available)
    throw new RnnlabError(
      `${what}: N = ${c.nRec} needs about ${formatBytes(bytes)}; this machine has ${formatBytes(available)}`,
    );
}
