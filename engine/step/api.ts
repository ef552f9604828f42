/**
 * The two calls an embedder or an auditor needs, each complete in itself: no workspace to size, no buffers to
 * zero, no calls to chain in the right order. Both compute in float64 on a float64 copy of the model (whatever its
 * storage type), so their numbers are the ones the PyTorch fixtures check; they allocate, so they are for audits,
 * analysis and embedding, not for the training loop (use Trainer, or the workspace API, for that).
 */
import { jsBackend, type Backend, validateBackend } from './backend';
import { allocParamSet, cloneModel, type RnnModel, validateModel } from '../core/model';
import { PARAM_NAMES, type ParamName } from '../core/config';
import { maskedMseBackward, maskedMseForward, type LossNormalization } from './loss';
import type { Rng } from '../core/random';
import { rnnBackward, rnnForward } from './rnn';
import { validateTrials, type Trials } from '../core/trials';
import { createWorkspace, loadTrials, readHidden, readOutputs } from './workspace';

export interface ExactOptions {
  /**
   * The loss normaliser D (engine/step/loss.ts); default 'mask-sum', the PyTorch fixtures' (equal to Keras' for 0/1
   * masks).
   */
  loss: LossNormalization;
  /** Where the products run; default jsBackend (float64). Any float64 backend gives the same numbers to ~1e-15. */
  backend: Backend;
  /** Draws the recurrent noise when the model has some (noiseStd > 0); null runs without noise. */
  rng: Rng | null;
}

const EXACT_DEFAULTS: Readonly<ExactOptions> = Object.freeze({ loss: 'mask-sum', backend: jsBackend, rng: null });

/** A float64 copy of the model, a workspace for all the trials, and one forward pass through it. */
function forwardInFloat64(model: RnnModel, trials: Trials, o: Pick<ExactOptions, 'backend' | 'rng'>) {
  validateModel(model);
  validateBackend(o.backend);
  validateTrials(trials);
  const m = cloneModel(model, 'float64');
  const ws = createWorkspace(m.config, trials.nTrials, trials.nSteps);
  loadTrials(ws, trials);
  rnnForward(m, ws, o.backend, m.config.noiseStd > 0 ? o.rng : null);
  return { m, ws };
}

export interface LossAndGradient {
  loss: number;
  /** dL/dθ for every parameter, in the model's layout (W_rec [N][N] row = destination, …), as fresh arrays. */
  gradients: Record<ParamName, Float64Array>;
}

/** The masked-MSE loss of `model` on all of `trials` and the gradient of every parameter, in float64. */
export function lossAndGradient(model: RnnModel, trials: Trials, options: Partial<ExactOptions> = {}): LossAndGradient {
  const o = { ...EXACT_DEFAULTS, ...options };
  const { m, ws } = forwardInFloat64(model, trials, o);
  const loss = maskedMseForward(ws, m.config.nOut, o.loss);
  const grads = allocParamSet(m.config, 'float64');
  maskedMseBackward(ws, m.config.nOut, o.loss);
  rnnBackward(m, ws, grads, o.backend);
  const gradients = {} as Record<ParamName, Float64Array>;
  for (const name of PARAM_NAMES) gradients[name] = Float64Array.from(grads[name]);
  return { loss, gradients };
}

export interface ForwardResult {
  /** Outputs, batch-major [B][T][O]. */
  outputs: Float64Array;
  /** Hidden states h_t after consuming x_t, batch-major [B][T][N]. */
  hidden: Float64Array;
}

/** One forward pass over all of `trials`, in float64: outputs and hidden states. */
export function forward(
  model: RnnModel,
  trials: Trials,
  options: Partial<Pick<ExactOptions, 'backend' | 'rng'>> = {},
): ForwardResult {
  const { ws } = forwardInFloat64(model, trials, { ...EXACT_DEFAULTS, ...options });
  return { outputs: readOutputs(ws), hidden: readHidden(ws) };
}
