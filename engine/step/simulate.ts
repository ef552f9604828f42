/** Whole-trial-set forward passes (evaluation, reports, analysis), in batches, on any backend. */
import { assertFinite } from '../core/tensor';
import { type Backend, validateBackend } from './backend';
import { type RnnModel, validateModel } from '../core/model';
import type { Rng } from '../core/random';
import { validateTrials, type Trials } from '../core/trials';
import { createWorkspace, loadTrials, readHidden, readOutputs } from './workspace';
import { rnnForward } from './rnn';
import { createStepModel, stepModel } from './objective';

/** Forward pass over all `trials` in batches; returns outputs [B][T][O] and, if asked, hidden states [B][T][N]. */
export function simulate(
  model: RnnModel,
  trials: Trials,
  backend: Backend,
  opts: { hidden?: boolean; batch?: number; rng?: Rng | null } = {},
): { outputs: Float64Array; hidden: Float64Array | null } {
  validateModel(model);
  validateBackend(backend);
  validateTrials(trials);
  const batch = Math.min(opts.batch ?? 64, trials.nTrials);
  const mark = backend.mark?.();
  try {
    const ws = createWorkspace(model.config, batch, trials.nSteps, backend);
    const run = stepModel(model, createStepModel(model)); // the effective weights (Dale's law), once
    const { nSteps: T, nOut: O } = trials;
    const N = model.config.nRec;
    const outputs = new Float64Array(trials.nTrials * T * O);
    const hidden = opts.hidden ? new Float64Array(trials.nTrials * T * N) : null;
    for (let s = 0; s < trials.nTrials; s += batch) {
      const count = Math.min(batch, trials.nTrials - s);
      loadTrials(ws, trials, undefined, s, count);
      rnnForward(run, ws, backend, opts.rng ?? null);
      outputs.set(readOutputs(ws), s * T * O);
      if (hidden) hidden.set(readHidden(ws), s * T * N);
    }
    assertFinite(outputs, 'network outputs');
    return { outputs, hidden };
  } finally {
    // The workspace was temporary: give its backend memory back (WebAssembly memory is a bump allocator).
    if (mark !== undefined) backend.release?.(mark);
  }
}
