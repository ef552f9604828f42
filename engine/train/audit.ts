/**
 * Gradient audit: the analytic BPTT gradient against central finite differences, in float64.
 *
 *   numeric_i = (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε,
 *   relErr_i  = |analytic_i − numeric_i| / max(|analytic_i| + |numeric_i|, floor)
 *
 * Every entry of every parameter is checked, or, above `maxEntriesPerParam`, a seeded random sample of entries.
 * Recurrent noise is frozen (drawn once, reused by every evaluation), so the loss is a deterministic function of θ.
 * The audit runs on a float64 copy of the model with the reference backend whatever the model's own dtype.
 */
import { referenceBackend, type Backend } from '../step/backend';
import { cloneModel, allocParamSet, type RnnModel } from '../core/model';
import { PARAM_NAMES, paramOffsets, type ParamName } from '../core/config';
import { rnnForward } from '../step/rnn';
import { createWorkspace, loadTrials, type RnnWorkspace } from '../step/workspace';
import { type LossNormalization } from '../step/loss';
import { batchObjective, createStepModel, LOSS_TERMS, stepModel, type LossTerm } from '../step/objective';
import { Rng } from '../core/random';
import { validateTrials, type Trials } from '../core/trials';

export interface AuditOptions {
  eps: number;
  /** Check at most this many entries per parameter (seeded sample); Infinity checks all. */
  maxEntriesPerParam: number;
  /** |a| + |n| below this counts as this (avoids dividing by ~0 for entries whose gradient is exactly zero). */
  floor: number;
  seed: number | string;
  loss: LossNormalization;
  backend: Backend;
}

export const AUDIT_DEFAULTS: Readonly<AuditOptions> = Object.freeze({
  eps: 1e-6,
  maxEntriesPerParam: Infinity,
  floor: 1e-8,
  seed: 1,
  loss: 'mask-sum',
  backend: referenceBackend,
});

export interface ParamAudit {
  name: ParamName;
  /** Entries whose analytic and numeric gradients were compared. */
  checked: number;
  /** Entries drawn for checking (all of them, or the seeded sample); checked + skippedMasked = sampled. */
  sampled: number;
  /** Sampled entries not compared: removed by a connectivity mask or frozen by a trainable mask (not parameters). */
  skippedMasked: number;
  total: number;
  maxRelError: number;
  maxAbsError: number;
  /**
   * maxAbsError over the largest |analytic| entry checked: the error on the parameter's own scale, which an entry
   * whose gradient is nearly zero (or sits at a relu kink) cannot inflate. The pass criterion of `rnnlab audit`.
   */
  maxScaledError: number;
  /** Flat index (within the parameter) of the worst entry. */
  worstIndex: number;
}

export interface AuditReport {
  loss: number;
  params: ParamAudit[];
  maxRelError: number;
  /** The worst maxScaledError over the parameters, of the total and of every term audited on its own. */
  maxScaledError: number;
  /** With regularisers: each non-zero term's gradient audited on its own (empty for a model without them). */
  terms: TermAudit[];
}

export interface TermAudit {
  /** The loss term ('task', 'l1In', …, 'l2Rate') whose gradient was checked on its own. */
  term: LossTerm;
  loss: number;
  maxRelError: number;
  maxScaledError: number;
}

/**
 * Audit the gradient of the total loss (every term together), and, when the model has regularisers, of each
 * non-zero term on its own (`terms`), since a wrong term can hide under a large task gradient.
 */
export function gradientAudit(model: RnnModel, trials: Trials, options: Partial<AuditOptions> = {}): AuditReport {
  const opt: AuditOptions = { ...AUDIT_DEFAULTS, ...options };
  validateTrials(trials);
  const m64 = cloneModel(model, 'float64');
  const ws = createWorkspace(m64.config, trials.nTrials, trials.nSteps);
  loadTrials(ws, trials);
  const rng = new Rng(opt.seed);
  const scratch = createStepModel(m64);
  // Draw the noise once; every later forward pass reuses it (rng = null).
  rnnForward(stepModel(m64, scratch), ws, opt.backend, m64.config.noiseStd > 0 ? rng : null);
  const whole = auditTerm(m64, scratch, ws, opt, rng, undefined);
  const r = m64.config.regularizers;
  const active = LOSS_TERMS.filter((t) => t !== 'task' && r[t as keyof typeof r] > 0);
  const terms = active.length === 0 ? [] : (['task', ...active] as LossTerm[]);
  const termAudits = terms.map((term) => {
    const a = auditTerm(m64, scratch, ws, opt, new Rng(opt.seed), term);
    const worst = (k: 'maxRelError' | 'maxScaledError') => Math.max(...a.params.map((p) => p[k]));
    return { term, loss: a.loss, maxRelError: worst('maxRelError'), maxScaledError: worst('maxScaledError') };
  });
  const scaled = Math.max(...whole.params.map((p) => p.maxScaledError), ...termAudits.map((t) => t.maxScaledError));
  const maxRelError = Math.max(...whole.params.map((p) => p.maxRelError));
  return { ...whole, maxRelError, maxScaledError: scaled, terms: termAudits };
}

/** Whether entry e of parameter `name` is a parameter at all: not removed by a mask, not frozen. */
function isFree(m: RnnModel, name: ParamName, e: number): boolean {
  const mask = name === 'W_rec' ? m.recMask : name === 'W_in' ? m.inMask : name === 'W_out' ? m.outMask : null;
  if (mask && mask[e] === 0) return false;
  const frozen = m.trainMask?.[name];
  return !(frozen && frozen[e] === 0);
}

/** Analytic against central differences for every (sampled) entry, for the total loss or one term. */
function auditTerm(
  m64: RnnModel,
  scratch: RnnModel | null,
  ws: RnnWorkspace,
  opt: AuditOptions,
  rng: Rng,
  only: LossTerm | undefined,
): { loss: number; params: ParamAudit[] } {
  const lossAt = (): number =>
    batchObjective(m64, stepModel(m64, scratch), ws, opt.backend, null, opt.loss, null, {}, only).total!;
  const grads = allocParamSet(m64.config, 'float64');
  const loss = batchObjective(m64, stepModel(m64, scratch), ws, opt.backend, grads, opt.loss, null, {}, only).total!;
  const offs = paramOffsets(m64.config);
  const theta = m64.params.flat;
  const report: ParamAudit[] = [];
  for (const name of PARAM_NAMES) {
    const [start, end] = offs[name];
    const total = end - start;
    if (total === 0) continue; // alpha of a scalar-α model
    const entries = sampleEntries(total, opt.maxEntriesPerParam, rng);
    let maxRel = 0,
      maxAbs = 0,
      worst = -1,
      checked = 0,
      skippedMasked = 0,
      scale = 0;
    for (const e of entries) {
      const i = start + e;
      if (!isFree(m64, name, e)) {
        skippedMasked++;
        continue;
      } // a removed connection or a frozen entry is not a parameter
      checked++;
      const keep = theta[i];
      theta[i] = keep + opt.eps;
      const lp = lossAt();
      theta[i] = keep - opt.eps;
      const lm = lossAt();
      theta[i] = keep;
      const numeric = (lp - lm) / (2 * opt.eps);
      const analytic = grads.flat[i];
      const abs = Math.abs(analytic - numeric);
      const rel = abs / Math.max(Math.abs(analytic) + Math.abs(numeric), opt.floor);
      if (rel > maxRel || worst < 0) {
        maxRel = Math.max(rel, maxRel);
        worst = e;
      }
      maxAbs = Math.max(maxAbs, abs);
      scale = Math.max(scale, Math.abs(analytic));
    }
    const sampled = entries.length;
    const maxScaledError = maxAbs / Math.max(scale, opt.floor);
    report.push({
      name,
      checked,
      sampled,
      skippedMasked,
      total,
      maxRelError: maxRel,
      maxAbsError: maxAbs,
      maxScaledError,
      worstIndex: worst,
    });
  }
  return { loss, params: report };
}

function sampleEntries(total: number, max: number, rng: Rng): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  if (total <= max) return all;
  rng.shuffle(all);
  return all.slice(0, max).sort((a, b) => a - b);
}

const SKIPPED = 'removed by a connectivity mask or frozen by a trainable mask';

export function formatAudit(r: AuditReport): string {
  const lines = [
    `loss ${r.loss.toExponential(6)}`,
    'param   checked  masked  sampled/total   max rel error   max abs error   scaled error',
  ];
  for (const p of r.params) {
    lines.push(
      `${p.name.padEnd(7)} ${String(p.checked).padStart(7)}  ${String(p.skippedMasked).padStart(6)}  ` +
        `${`${p.sampled}/${p.total}`.padStart(13)}   ${p.maxRelError.toExponential(3).padStart(13)}   ` +
        `${p.maxAbsError.toExponential(3).padStart(13)}   ${p.maxScaledError.toExponential(3).padStart(12)}`,
    );
  }
  const masked = r.params.reduce((a, p) => a + p.skippedMasked, 0);
  lines.push(
    `compared ${r.params.reduce((a, p) => a + p.checked, 0)} entries of ` +
      `${r.params.reduce((a, p) => a + p.sampled, 0)} ` +
      `sampled${masked ? ` (${masked} entries skipped: ${SKIPPED})` : ''}`,
  );
  for (const t of r.terms)
    lines.push(
      `term ${t.term.padEnd(6)} loss ${t.loss.toExponential(6)}   max rel error ${t.maxRelError.toExponential(3)}` +
        `   scaled error ${t.maxScaledError.toExponential(3)}`,
    );
  const worst = Math.max(r.maxRelError, ...r.terms.map((t) => t.maxRelError));
  lines.push(`max relative error over all checked entries: ${worst.toExponential(3)}`);
  const scaled = r.maxScaledError.toExponential(3);
  lines.push(`max scaled error (|analytic − numeric| over the parameter's largest gradient): ${scaled}`);
  return lines.join('\n');
}
