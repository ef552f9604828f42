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
import { rnnBackward, rnnForward } from '../step/rnn';
import { createWorkspace, loadTrials } from '../step/workspace';
import { maskedMseBackward, maskedMseForward, type LossNormalization } from '../step/loss';
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
  /** Sampled W_rec entries not compared because the connectivity mask removes them (they are not parameters). */
  skippedMasked: number;
  total: number;
  maxRelError: number;
  maxAbsError: number;
  /** Flat index (within the parameter) of the worst entry. */
  worstIndex: number;
}

export interface AuditReport {
  loss: number;
  params: ParamAudit[];
  maxRelError: number;
}

export function gradientAudit(model: RnnModel, trials: Trials, options: Partial<AuditOptions> = {}): AuditReport {
  const opt: AuditOptions = { ...AUDIT_DEFAULTS, ...options };
  validateTrials(trials);
  const m64 = cloneModel(model, 'float64');
  const ws = createWorkspace(m64.config, trials.nTrials, trials.nSteps);
  loadTrials(ws, trials);
  const rng = new Rng(opt.seed);
  // Draw the noise once; every later forward pass reuses it (rng = null).
  rnnForward(m64, ws, opt.backend, m64.config.noiseStd > 0 ? rng : null);
  const lossAt = (): number => {
    rnnForward(m64, ws, opt.backend, null);
    return maskedMseForward(ws, m64.config.nOut, opt.loss);
  };
  const loss = lossAt();
  const grads = allocParamSet(m64.config, 'float64');
  maskedMseBackward(ws, m64.config.nOut, opt.loss);
  rnnBackward(m64, ws, grads, opt.backend);

  const offs = paramOffsets(m64.config);
  const theta = m64.params.flat;
  const report: ParamAudit[] = [];
  for (const name of PARAM_NAMES) {
    const [start, end] = offs[name];
    const total = end - start;
    const entries = sampleEntries(total, opt.maxEntriesPerParam, rng);
    let maxRel = 0,
      maxAbs = 0,
      worst = -1,
      checked = 0,
      skippedMasked = 0;
    for (const e of entries) {
      const i = start + e;
      if (name === 'W_rec' && m64.recMask && m64.recMask[e] === 0) {
        skippedMasked++;
        continue;
      } // a removed connection is not a parameter
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
    }
    report.push({
      name,
      checked,
      sampled: entries.length,
      skippedMasked,
      total,
      maxRelError: maxRel,
      maxAbsError: maxAbs,
      worstIndex: worst,
    });
  }
  return { loss, params: report, maxRelError: Math.max(...report.map((r) => r.maxRelError)) };
}

function sampleEntries(total: number, max: number, rng: Rng): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  if (total <= max) return all;
  rng.shuffle(all);
  return all.slice(0, max).sort((a, b) => a - b);
}

export function formatAudit(r: AuditReport): string {
  const lines = [
    `loss ${r.loss.toExponential(6)}`,
    'param   checked  masked  sampled/total   max rel error   max abs error',
  ];
  for (const p of r.params) {
    lines.push(
      `${p.name.padEnd(7)} ${String(p.checked).padStart(7)}  ${String(p.skippedMasked).padStart(6)}  ` +
        `${`${p.sampled}/${p.total}`.padStart(13)}   ${p.maxRelError.toExponential(3).padStart(13)}   ` +
        `${p.maxAbsError.toExponential(3).padStart(13)}`,
    );
  }
  const masked = r.params.reduce((a, p) => a + p.skippedMasked, 0);
  lines.push(
    `compared ${r.params.reduce((a, p) => a + p.checked, 0)} entries of ` +
      `${r.params.reduce((a, p) => a + p.sampled, 0)} ` +
      `sampled${masked ? ` (${masked} W_rec entries skipped: removed by the connectivity mask)` : ''}`,
  );
  lines.push(`max relative error over all checked entries: ${r.maxRelError.toExponential(3)}`);
  return lines.join('\n');
}
