/**
 * Connectivity damage (paper-spec §4.8, the authors' files_damage): recurrent weights of a trained network are set to
 * zero by magnitude, without retraining, and the distance ‖y − target‖₂ is measured per trial type.
 *
 *   'both'          |w| < thr                       (01_pos_y_neg: the weakest weights of both signs)
 *   'positive'      0 < w < thr                     (02_positivos)
 *   'negative'      −thr < w < 0                    (03_negativos)
 *   'positive-band' thr_{k−1} ≤ w < thr_k            (04_franjas_pos: one slice at a time, not cumulative)
 *   'negative-band' −thr_k < w ≤ −thr_{k−1}          (05_franjas_neg)
 * For W ~ N(0, 0.1414²) the thresholds below remove 0, 2, 4, …, 36 % of all weights under 'both'.
 */
import { type Backend, cloneModel, effectiveWeights, type RnnModel, simulate } from '@rnnlab/engine';
import { meanByCondition, trialDistances, type GeneratedTrials } from '@rnnlab/tasks';

export const DAMAGE_THRESHOLDS = [
  0, 0.003, 0.0075, 0.01, 0.014, 0.017, 0.0205, 0.025, 0.028, 0.032, 0.037, 0.04, 0.044, 0.049, 0.052, 0.056, 0.059,
  0.063, 0.067,
] as const;

export type DamageProtocol = 'both' | 'positive' | 'negative' | 'positive-band' | 'negative-band';
export const DAMAGE_PROTOCOLS: readonly DamageProtocol[] = [
  'both',
  'positive',
  'negative',
  'positive-band',
  'negative-band',
];

/** Whether weight w is removed at threshold index k (thresholds[k]; the band's lower edge is thresholds[k−1]). */
export function removed(
  protocol: DamageProtocol,
  w: number,
  k: number,
  thresholds: readonly number[] = DAMAGE_THRESHOLDS,
): boolean {
  const thr = thresholds[k],
    prev = k > 0 ? thresholds[k - 1] : 0;
  switch (protocol) {
    case 'both':
      return Math.abs(w) < thr;
    case 'positive':
      return w > 0 && w < thr;
    case 'negative':
      return w < 0 && w > -thr;
    case 'positive-band':
      return w > 0 && w >= prev && w < thr;
    case 'negative-band':
      return w < 0 && w <= -prev && w > -thr;
  }
}

/** A copy of `model` with the removed recurrent weights set to zero; also returns the fraction removed. */
export function damage(
  model: RnnModel,
  protocol: DamageProtocol,
  k: number,
  thresholds: readonly number[] = DAMAGE_THRESHOLDS,
): { model: RnnModel; fractionRemoved: number } {
  const m = cloneModel(model);
  const w = m.params.W_rec;
  // Which weights go is decided on the effective W_rec* (under Dale's law its signs are the units' types, the raw
  // signs mean nothing); zeroing the raw entry removes the effective one.
  const eff = effectiveWeights(model).W_rec;
  let n = 0;
  for (let i = 0; i < w.length; i++)
    if (removed(protocol, eff[i], k, thresholds)) {
      w[i] = 0;
      n++;
    }
  return { model: m, fractionRemoved: n / w.length };
}

export interface DamageRow {
  protocol: DamageProtocol;
  threshold: number;
  fractionRemoved: number;
  /** Mean distance per condition name (e.g. '00', '11', '10', '01' for AND). */
  distance: Record<string, number>;
}

/** Distances per condition for every protocol and threshold, on fixed test trials. */
export function damageSweep(
  model: RnnModel,
  trials: GeneratedTrials,
  conditionNames: readonly string[],
  backend: Backend,
  thresholds: readonly number[] = DAMAGE_THRESHOLDS,
  protocols: readonly DamageProtocol[] = DAMAGE_PROTOCOLS,
): DamageRow[] {
  const rows: DamageRow[] = [];
  for (const protocol of protocols) {
    for (let k = 0; k < thresholds.length; k++) {
      const { model: dm, fractionRemoved } = damage(model, protocol, k, thresholds);
      const d = trialDistances(trials, simulate(dm, trials, backend).outputs);
      rows.push({
        protocol,
        threshold: thresholds[k],
        fractionRemoved,
        distance: meanByCondition(trials, d, conditionNames),
      });
    }
  }
  return rows;
}
