/**
 * The training objective: task loss + regularisers, and its gradient with respect to the raw parameters
 * (docs/model-conventions.md sections 3–4; PsychRNN psychrnn/backend/regularizations.py):
 *
 *   L = L_task + Σ_X [ l1X · mean|W_X*| + l2X · mean(W_X*²) ] + l2Rate · mean_{b,t,i} r²        X ∈ {in, rec, out}
 *
 *   d/dW_X* (l1X mean|W*|) = l1X sign(W*) / |W_X|        d/dW_X* (l2X mean W*²) = 2 l2X W* / |W_X|
 *
 * The network runs on the effective parameters (the model itself, or under Dale's law a copy: stepModel); the
 * task and rate terms are differentiated by BPTT (rnn.ts, rnn-current.ts, loss.ts), the weight terms here, and
 * constraints.ts chainToRaw maps the sum back to the raw parameters.
 */
import { allocParamSet, type RnnModel } from '../core/model';
import { type ParamSet, type Regularizers } from '../core/config';
import { chainToRaw, effectiveParamsInto, needsEffectiveCopy } from '../core/constraints';
import type { Rng } from '../core/random';
import type { Backend, FusedKernels } from './backend';
import { rnnBackward, rnnForward } from './rnn';
import { taskLossBackward, taskLossForward, type LossNormalization } from './loss';
import type { RnnWorkspace } from './workspace';

/** The loss's parts, named as the regularisers are, plus the task term and the total. */
export type LossTerm = 'task' | keyof Regularizers;
export const LOSS_TERMS: readonly LossTerm[] = ['task', 'l1In', 'l2In', 'l1Rec', 'l2Rec', 'l1Out', 'l2Out', 'l2Rate'];
export type LossTerms = Record<LossTerm, number> & { total: number };

/**
 * The model the network runs: `model` itself when its effective weights are its raw weights, otherwise `scratch`
 * (from createStepModel) filled with the effective parameters now. Allocates nothing.
 */
export function stepModel(model: RnnModel, scratch: RnnModel | null): RnnModel {
  if (!scratch) return model;
  effectiveParamsInto(scratch.params, model);
  return scratch;
}

/** The scratch model stepModel fills under Dale's law (same config and masks), or null when none is needed. */
export function createStepModel(model: RnnModel): RnnModel | null {
  if (!needsEffectiveCopy(model.config)) return null;
  return { config: model.config, params: allocParamSet(model.config), recMask: model.recMask };
}

const WEIGHT_TERMS = [
  ['l1In', 'W_in', 1],
  ['l2In', 'W_in', 2],
  ['l1Rec', 'W_rec', 1],
  ['l2Rec', 'W_rec', 2],
  ['l1Out', 'W_out', 1],
  ['l2Out', 'W_out', 2],
] as const;

/** Whether term `name` counts under `only` (undefined: every term). */
const counts = (name: LossTerm, only?: LossTerm) => only === undefined || only === name;

/** The weight regularisers' values on the effective parameters `eff`, into `out`; returns their sum. */
export function weightRegularizers(eff: ParamSet, r: Regularizers, out: Partial<LossTerms> = {}, only?: LossTerm) {
  let sum = 0;
  for (const [name, param, p] of WEIGHT_TERMS) {
    const lambda = counts(name, only) ? r[name] : 0;
    let v = 0;
    if (lambda !== 0) {
      const w = eff[param];
      for (let i = 0; i < w.length; i++) v += p === 1 ? Math.abs(w[i]) : w[i] * w[i];
      v = (lambda * v) / w.length;
    }
    out[name] = v;
    sum += v;
  }
  return sum;
}

/** Their gradient with respect to the effective weights, added to `grads`. */
export function addWeightRegularizerGradient(grads: ParamSet, eff: ParamSet, r: Regularizers, only?: LossTerm): void {
  for (const [name, param, p] of WEIGHT_TERMS) {
    const lambda = counts(name, only) ? r[name] : 0;
    if (lambda === 0) continue;
    const w = eff[param],
      g = grads[param],
      c = lambda / w.length;
    for (let i = 0; i < w.length; i++) g[i] += p === 1 ? c * (w[i] > 0 ? 1 : w[i] < 0 ? -1 : 0) : 2 * c * w[i];
  }
}

/** l2Rate · Σ r² / rateCount over the rates of the last forward pass (h[1..T], or q[1..T] for the current form). */
export function rateRegularizer(ws: RnnWorkspace, lambda: number, fused?: FusedKernels): number {
  if (lambda === 0) return 0;
  const rates = ws.q_T1xBxN ?? ws.h_T1xBxN,
    at = ws.B * ws.nRec,
    end = at + ws.T * at;
  let ss = fused?.sumSquares?.(rates, at, end - at) ?? null; // the WebAssembly kernel, in its memory
  if (ss === null) {
    ss = 0;
    for (let i = at; i < end; i++) ss += rates[i] * rates[i];
  }
  return (lambda * ss) / ws.rateCount;
}

/**
 * One evaluation of the objective on the batch loaded in `ws`: forward, every loss term, and (with `grads`) the
 * gradient of their sum with respect to the raw parameters, written into `grads` (overwritten). `run` is
 * stepModel(model, scratch). `only` restricts the loss and gradient to one term (audits). Returns the terms.
 */
export function batchObjective(
  model: RnnModel,
  run: RnnModel,
  ws: RnnWorkspace,
  backend: Backend,
  grads: ParamSet | null,
  norm: LossNormalization,
  rng: Rng | null,
  terms: Partial<LossTerms> = {},
  only?: LossTerm,
): Partial<LossTerms> {
  const c = model.config;
  rnnForward(run, ws, backend, rng);
  const task = counts('task', only) ? taskLossForward(ws, c.nOut, c.readout, norm, undefined, c.outputWeights) : 0;
  const lambdaRate = counts('l2Rate', only) ? c.regularizers.l2Rate : 0;
  terms.task = task;
  terms.l2Rate = rateRegularizer(ws, lambdaRate, backend.fused);
  terms.total = task + terms.l2Rate + weightRegularizers(run.params, c.regularizers, terms, only);
  if (!grads) return terms;
  grads.flat.fill(0);
  if (counts('task', only)) taskLossBackward(ws, c.nOut, c.readout, norm, undefined, c.outputWeights);
  else ws.dy_TxBxO.fill(0);
  // BPTT carries the task term (through dy) and the rate term; an audit of one other term leaves the rate term out.
  rnnBackward(only === undefined || only === 'l2Rate' ? run : withoutRate(run), ws, grads, backend);
  addWeightRegularizerGradient(grads, run.params, c.regularizers, only);
  chainToRaw(grads, model);
  return terms;
}

/** `run` with l2Rate = 0 (a shallow copy: same buffers), so BPTT leaves the rate term out. */
function withoutRate(run: RnnModel): RnnModel {
  if (run.config.regularizers.l2Rate === 0) return run;
  return { ...run, config: { ...run.config, regularizers: { ...run.config.regularizers, l2Rate: 0 } } };
}

/**
 * After a backend's whole-minibatch gradient (kernels/parallel.ts, gpu.js pipelines: task and rate terms, with
 * respect to the effective parameters in `grads`): add the weight regularisers and map to the raw parameters.
 * Returns the total loss.
 */
export function finishMinibatchObjective(model: RnnModel, run: RnnModel, grads: ParamSet, taskAndRate: number): number {
  const c = model.config;
  const total = taskAndRate + weightRegularizers(run.params, c.regularizers);
  addWeightRegularizerGradient(grads, run.params, c.regularizers);
  chainToRaw(grads, model);
  return total;
}
