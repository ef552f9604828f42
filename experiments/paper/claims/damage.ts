/** Claims about damage: trained AND networks with their weakest recurrent weights removed, without retraining. */
import type { ClaimInputs } from '../rows';
import { f, judgeInterval, mean, type AuthorsTables, type ClaimRule } from './rule';
import { bootstrapInterval, proportionInterval, signTestP } from './stats';

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
  note:
    "each network's onset (the % removed where its mean distance first exceeds twice its own undamaged value; the " +
    "authors' undamaged level differs from ours, so the onset is relative to each one's own) and the bootstrap " +
    "interval of their mean: reproduced when it meets the authors' onset ± 4 percentage points, not reproduced " +
    'otherwise; inconclusive below 5 AND networks',
  assess(r, a) {
    const both = bothCurve(r);
    const pooled = onsetPercent(both),
      theirs = onsetPercent(a.damage.both);
    const onsets = (r.damageOnsets ?? []).filter((x) => x !== null && Number.isFinite(x));
    const never = (r.damageOnsets ?? []).length - onsets.length;
    const interval = bootstrapInterval('mean per-network onset [% removed]', onsets.length ? [onsets] : [], (gs) =>
      gs.length ? mean(gs[0]) : NaN,
    );
    const base = both[0] ? mean(Object.values(both[0].distance)) : NaN;
    const range = onsets.length ? `${f(Math.min(...onsets), 1)}–${f(Math.max(...onsets), 1)} %` : 'n/a';
    return {
      rnnlab: both.length
        ? `mean curve at ${f(pooled, 1)} % removed (undamaged distance ${f(base)}); per network ${range}, mean ` +
          `${f(interval.estimate, 1)} %${never ? `; ${never} network(s) never doubled` : ''}`
        : 'no damage rows yet',
      n: damaged(r),
      grade: {
        enough: damaged(r) >= MIN_NETWORKS && onsets.length >= MIN_NETWORKS && Number.isFinite(interval.lo),
        reproduced: interval.hi >= theirs - 4 && interval.lo <= theirs + 4,
      },
      interval,
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
  note:
    'per network, the level with the largest distance at the largest threshold (protocol "both"); the fraction of ' +
    'networks where it is 11, with its exact interval: reproduced when the interval lies above 1/4 (no level ' +
    'special) and the fraction reaches 1/2, partly above 1/4 otherwise, not reproduced when it lies below 1/4, ' +
    'inconclusive when it holds 1/4 or below 5 networks',
  assess(r) {
    const last = bothCurve(r).at(-1);
    const levels = last
      ? Object.entries(last.distance)
          .map(([k, v]) => `${k} ${f(v)}`)
          .join(', ')
      : '';
    const nets = r.damageNetworks ?? [];
    const eleven = nets.filter((d) => d.fragile === '11').length;
    const interval = proportionInterval('fraction of networks whose most fragile level is 11', eleven, nets.length);
    const perNetwork = nets.length ? `; 11 most fragile in ${eleven} of ${nets.length} networks` : '';
    return {
      rnnlab: last
        ? `mean curve at ${f(last.percent, 1)} % removed: level ${fragile(last.distance)} (${levels})${perNetwork}`
        : 'no damage rows yet',
      n: damaged(r),
      grade: judgeInterval(
        interval,
        { none: 0.25, side: 1, meaningful: 0.25, strong: 0.5 },
        nets.length >= MIN_NETWORKS && !!last,
      ),
      interval,
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
    'the fraction of networks in which positive-only removal is worse (largest threshold, mean over levels), with ' +
    "its exact interval: reproduced when it lies above 1/2 on the authors' side, not reproduced when it lies on " +
    'the other, inconclusive when it holds 1/2',
  assess(r, a) {
    const rPos = atTop(r, 'positive'),
      rNeg = atTop(r, 'negative');
    const { pos, neg } = authorsSign(a);
    const s = r.damageSign;
    const count = s?.networks
      ? `; positive-only worse in ${s.positiveWorse} of ${s.networks} networks ` +
        `(sign test p = ${f(signTestP(s.positiveWorse, s.networks), 3)})`
      : '';
    const interval = proportionInterval(
      'fraction of networks where positive-only removal is worse',
      s?.positiveWorse ?? 0,
      s?.networks ?? 0,
    );
    const side = pos > neg ? 1 : -1; // the authors' sign: positive-only worse (> 1/2) or better (< 1/2)
    return {
      rnnlab: Number.isFinite(rPos)
        ? `positive-only ${f(rPos)}, negative-only ${f(rNeg)}${count}`
        : 'no damage rows yet',
      n: damaged(r),
      grade: judgeInterval(
        interval,
        { none: 0.5, side, meaningful: 0.5, strong: 0.5 },
        damaged(r) >= MIN_NETWORKS && Number.isFinite(rPos),
      ),
      interval,
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
  note:
    'the ratio of the mean distances after the band cuts and after the cumulative sign-only cuts (largest ' +
    'thresholds), with its bootstrap interval over networks: reproduced when the interval lies below 1 and the ratio ' +
    'is below 0.6, partly below 1 otherwise, not reproduced when it lies above 1, inconclusive when it holds 1 or ' +
    'below 5 networks',
  assess(r) {
    const cumulative = mean([atTop(r, 'positive'), atTop(r, 'negative')]);
    const rBands = mean([atTop(r, 'positive-band'), atTop(r, 'negative-band')]);
    const nets = r.damageNetworks ?? [];
    const interval = bootstrapInterval(
      'mean distance, band cuts / cumulative sign-only cuts',
      nets.length ? [nets.map((_, i) => i)] : [],
      (gs) => {
        let b = 0,
          c = 0;
        for (const i of gs[0] ?? []) {
          b += nets[i].bands;
          c += nets[i].cumulative;
        }
        return gs.length ? b / c : NaN;
      },
    );
    return {
      rnnlab: Number.isFinite(rBands)
        ? `bands ${f(rBands)} vs cumulative sign-only ${f(cumulative)} (ratio ${f(rBands / cumulative)})`
        : 'no damage rows yet',
      n: damaged(r),
      grade: judgeInterval(
        interval,
        { none: 1, side: -1, meaningful: 1, strong: 0.6 },
        nets.length >= MIN_NETWORKS && Number.isFinite(rBands),
      ),
      interval,
    };
  },
};

export const DAMAGE_CLAIMS: readonly ClaimRule[] = [onset, fragile11, sign, bands];
