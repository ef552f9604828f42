/**
 * The two calls an embedder or an auditor needs, each complete in itself: no workspace to size, no buffers to
 * zero, no calls to chain in the right order. Both compute in float64 on a float64 copy of the model (whatever its
 * storage type), so their numbers are the ones the PyTorch fixtures check; they allocate, so they are for audits,
 * analysis and embedding, not for the training loop (use Trainer, or the workspace API, for that).
 */
import { RnnlabError } from '../core/tensor';
import { jsBackend, type Backend, validateBackend } from './backend';
import { allocParamSet, cloneModel, type RnnModel, validateModel } from '../core/model';
import { PARAM_NAMES, type ParamName } from '../core/config';
import { checkTargetsForReadout, type LossNormalization } from './loss';
import type { Rng } from '../core/random';
import { rnnForward } from './rnn';
import { validateTrials, type Trials } from '../core/trials';
import { createWorkspace, loadTrials, readHidden, readOutputs } from './workspace';
import { batchObjective, createStepModel, stepModel, type LossTerm, type LossTerms } from './objective';

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

/** A float64 copy of the model, its effective copy where needed, and a workspace loaded with all the trials. */
function loadInFloat64(model: RnnModel, trials: Trials, o: Pick<ExactOptions, 'backend'>) {
  validateModel(model);
  validateBackend(o.backend);
  validateTrials(trials);
  const m = cloneModel(model, 'float64');
  const run = stepModel(m, createStepModel(m));
  const ws = createWorkspace(m.config, trials.nTrials, trials.nSteps);
  loadTrials(ws, trials);
  return { m, run, ws };
}

export interface LossAndGradient {
  /** The total loss: the task term plus every regulariser. */
  loss: number;
  /** Each term of the loss (task, l1In, …, l2Rate) and their total. */
  terms: LossTerms;
  /** dL/dθ for every raw parameter, in the model's layout (W_rec [N][N] row = destination, …), as fresh arrays. */
  gradients: Record<ParamName, Float64Array>;
}

/**
 * The loss of `model` on all of `trials` (its readout's task loss plus its regularisers) and the gradient of every
 * raw parameter, in float64. `only` restricts both to one term (the gradient audit checks each on its own).
 */
export function lossAndGradient(
  model: RnnModel,
  trials: Trials,
  options: Partial<ExactOptions> & { only?: LossTerm } = {},
): LossAndGradient {
  const o = { ...EXACT_DEFAULTS, ...options };
  checkTargetsForReadout(trials, model.config.readout);
  const { m, run, ws } = loadInFloat64(model, trials, o);
  const grads = allocParamSet(m.config, 'float64');
  const rng = m.config.noiseStd > 0 ? o.rng : null;
  const terms = batchObjective(m, run, ws, o.backend, grads, o.loss, rng, {}, o.only) as LossTerms;
  const gradients = {} as Record<ParamName, Float64Array>;
  for (const name of PARAM_NAMES) gradients[name] = Float64Array.from(grads[name]);
  checkGradientFinite(model, gradients);
  return { loss: terms.total, terms, gradients };
}

/**
 * Finite weights can still overflow float64 in the backward pass (issue 27: a weight of 1e308 gave a finite loss
 * and an infinite gradient without a word): refuse, naming the first non-finite entry and the largest weight.
 */
function checkGradientFinite(model: RnnModel, gradients: Record<ParamName, Float64Array>): void {
  for (const name of PARAM_NAMES) {
    const i = gradients[name].findIndex((v) => !Number.isFinite(v));
    if (i < 0) continue;
    let big = { name: name as ParamName, i: 0, v: 0 };
    for (const p of PARAM_NAMES)
      model.params[p].forEach((v, k) => {
        if (Math.abs(v) > Math.abs(big.v)) big = { name: p, i: k, v };
      });
    throw new RnnlabError(
      `the gradient of ${name} is ${gradients[name][i]} at flat index ${i}: the backward pass overflowed float64 ` +
        `(the largest weight is ${big.name}[${big.i}] = ${big.v})`,
    );
  }
}

export interface ForwardResult {
  /** Outputs y = g(a) (the readout applied), batch-major [B][T][O]. */
  outputs: Float64Array;
  /** States after consuming x_t, batch-major [B][T][N]: h_t (rate formulation) or s_t (current formulation). */
  hidden: Float64Array;
}

/** One forward pass over all of `trials`, in float64: outputs and hidden states. */
export function forward(
  model: RnnModel,
  trials: Trials,
  options: Partial<Pick<ExactOptions, 'backend' | 'rng'>> = {},
): ForwardResult {
  const o = { ...EXACT_DEFAULTS, ...options };
  const { run, ws } = loadInFloat64(model, trials, o);
  rnnForward(run, ws, o.backend, run.config.noiseStd > 0 ? o.rng : null);
  return { outputs: readOutputs(ws), hidden: readHidden(ws) };
}
