/** Claims about damage: trained AND networks with their weakest recurrent weights removed, without retraining. */
import type { ClaimInputs } from '../rows';
import { f, mean, type AuthorsTables, type ClaimRule } from './rule';
import { signTestP } from './stats';

/** Damage rows need this many AND networks before a verdict. */
const MIN_NETWORKS = 5;
const damaged = (r: ClaimInputs) => r.damage[0]?.networks ?? 0;
const protocol = (r: ClaimInputs, p: string) =>
  r.damage.filter((d) => d.protocol === p).sort((a, b) => a.threshold - b.threshold);
/** Protocol "both" as % removed against the distance per trial type. */
const bothCurve = (r: ClaimInputs) =>
  protocol(r, 'both').map((d) => ({ percent: 100 * d.fractionRemoved, distance: d.distance }));
const meanLevels = (d?: { distance: Record<string, number> }) => (d ? mean(Object.values(d.distance)) : NaN);
/** Mean over levels at the largest threshold of a protocol. */
const atTop = (r: ClaimInputs, p: string) => meanLevels(protocol(r, p).at(-1));
const authorsSign = (a: AuthorsTables) => ({
  pos: meanLevels(a.damage.positive.at(-1)),
  neg: meanLevels(a.damage.negative.at(-1)),
});

/** First % removed (protocol "both") at which the mean distance over trial types exceeds twice its undamaged value. */
function onsetPercent(rows: Array<{ percent: number; distance: Record<string, number> }>): number {
  const sorted = [...rows].sort((a, b) => a.percent - b.percent);
  const base = mean(Object.values(sorted[0]?.distance ?? {}));
  return sorted.find((r) => mean(Object.values(r.distance)) > 2 * base)?.percent ?? NaN;
}

const fragile = (d: Record<string, number>) => Object.entries(d).sort((a, b) => b[1] - a[1])[0]?.[0];

const onset: ClaimRule = {
  id: 'damage-onset',
  claim: 'Removing the weakest recurrent weights degrades gracefully, then steeply',
  authors: (a) =>
    `mean distance first exceeds twice its undamaged value at ${f(onsetPercent(a.damage.both), 0)} % removed ` +
    '(damage_01)',
  note: 'reproduced within ±4 percentage points, partly within ±8; inconclusive below 5 AND networks',
  assess(r, a) {
    const both = bothCurve(r);
    const rOnset = onsetPercent(both),
      gap = Math.abs(rOnset - onsetPercent(a.damage.both));
    return {
      rnnlab: both.length ? `at ${f(rOnset, 1)} % removed` : 'no damage rows yet',
      n: damaged(r),
      grade: { enough: damaged(r) >= MIN_NETWORKS && Number.isFinite(rOnset), reproduced: gap <= 4, partly: gap <= 8 },
    };
  },
};

const fragile11: ClaimRule = {
  id: 'damage-11-fragile',
  claim: 'The "11" response (output high) is the most fragile',
  authors: (a) => {
    const last = a.damage.both[a.damage.both.length - 1];
    return (
      `at ${f(last.percent, 0)} % removed the largest distance is level ${fragile(last.distance)} ` +
      `(${f(last.distance['11'])})`
    );
  },
  note: 'compares the four AND levels at the largest threshold',
  assess(r) {
    const last = bothCurve(r).at(-1);
    const levels = last
      ? Object.entries(last.distance)
          .map(([k, v]) => `${k} ${f(v)}`)
          .join(', ')
      : '';
    return {
      rnnlab: last
        ? `at ${f(last.percent, 1)} % removed: level ${fragile(last.distance)} (${levels})`
        : 'no damage rows yet',
      n: damaged(r),
      grade: { enough: damaged(r) >= MIN_NETWORKS && !!last, reproduced: !!last && fragile(last.distance) === '11' },
    };
  },
};

const sign: ClaimRule = {
  id: 'damage-sign',
  claim: 'Removing positive weights hurts more than removing negative ones',
  authors: (a) => {
    const { pos, neg } = authorsSign(a);
    return `at the largest threshold, mean over levels: positive-only ${f(pos)}, negative-only ${f(neg)}`;
  },
  note:
    'same sign of the difference of the means at the largest threshold; the per-network count and its two-sided ' +
    'sign test say how firm that sign is',
  assess(r, a) {
    const rPos = atTop(r, 'positive'),
      rNeg = atTop(r, 'negative');
    const { pos, neg } = authorsSign(a);
    const s = r.damageSign;
    const count = s?.networks
      ? `; positive-only worse in ${s.positiveWorse} of ${s.networks} networks ` +
        `(sign test p = ${f(signTestP(s.positiveWorse, s.networks), 3)})`
      : '';
    return {
      rnnlab: Number.isFinite(rPos)
        ? `positive-only ${f(rPos)}, negative-only ${f(rNeg)}${count}`
        : 'no damage rows yet',
      n: damaged(r),
      grade: {
        enough: damaged(r) >= MIN_NETWORKS && Number.isFinite(rPos),
        reproduced: Math.sign(rPos - rNeg) === Math.sign(pos - neg),
      },
    };
  },
};

const bands: ClaimRule = {
  id: 'damage-bands',
  claim: 'Removing a band of weights is far milder than removing all weights below a threshold',
  authors: (a) => {
    const { pos, neg } = authorsSign(a);
    const aBands = mean([meanLevels(a.damage.positiveBand.at(-1)), meanLevels(a.damage.negativeBand.at(-1))]);
    return `largest threshold: bands ${f(aBands)} vs cumulative sign-only ${f(mean([pos, neg]))}`;
  },
  note: 'reproduced: bands below 60 % of the cumulative cuts',
  assess(r) {
    const cumulative = mean([atTop(r, 'positive'), atTop(r, 'negative')]);
    const rBands = mean([atTop(r, 'positive-band'), atTop(r, 'negative-band')]);
    return {
      rnnlab: Number.isFinite(rBands)
        ? `bands ${f(rBands)} vs cumulative sign-only ${f(cumulative)}`
        : 'no damage rows yet',
      n: damaged(r),
      grade: {
        enough: damaged(r) >= MIN_NETWORKS && Number.isFinite(rBands),
        reproduced: rBands < 0.6 * cumulative,
        partly: rBands < cumulative,
      },
    };
  },
};

export const DAMAGE_CLAIMS: readonly ClaimRule[] = [onset, fragile11, sign, bands];
