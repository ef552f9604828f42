/** Claims about the metric on the authors' own network, and about robustness to noise and to other delays. */
import type { ClaimInputs } from '../rows';
import { f, judgeInterval, mean, type ClaimRule } from './rule';
import { bootstrapInterval } from './stats';

/**
 * paper-spec §4.6: pulse #03 on the figure-time generator at 20 ms, an independent numpy re-run of the authors' code:
 * mean 0.95, no-pulse trials 0.79, pulse trials 1.15. Per trial type, so that the mix of types drawn does not matter.
 */
const AUTHORS_PULSE: Readonly<Record<string, number>> = { 'no-pulse': 0.79, pulse: 1.15 };

const distanceMetric: ClaimRule = {
  id: 'distance-metric',
  claim: "rnnlab's distance, generator and evaluation give the authors' numbers on the authors' own network",
  authors:
    'pulse orthogonal #03: no-pulse trials 0.79, pulse trials 1.15, mean 0.95 (paper-spec §4.6, independent numpy ' +
    're-run)',
  note:
    "reproduced: both trial types within ±5 %; then a gap between rnnlab's networks and the authors' comes from the " +
    'networks (training), not from the metric or the generator. One network on fixed trials: a check of the code, ' +
    'with no sample of networks to put an interval on',
  assess(r) {
    const anchor = r.anchors?.find((a) => a.task === 'pulse');
    const perType = anchor
      ? Object.entries(AUTHORS_PULSE).map(([k, v]) => (anchor.distanceByCondition[k] ?? NaN) / v - 1)
      : [];
    const own = anchor?.rnnlab ? `${f(anchor.rnnlab.meanDistance, 3)} (n ${anchor.rnnlab.networks})` : 'none yet';
    return {
      rnnlab: anchor
        ? `no-pulse ${f(anchor.distanceByCondition['no-pulse'] ?? NaN, 3)}, ` +
          `pulse ${f(anchor.distanceByCondition.pulse ?? NaN, 3)}, mean ${f(anchor.meanDistance, 3)}; ` +
          `rnnlab's own pulse networks on the same trials: ${own}`
        : 'not evaluated',
      n: anchor ? 1 : 0,
      grade: { enough: !!anchor, reproduced: perType.every((d) => Math.abs(d) <= 0.05) },
    };
  },
};

/** Per network of the N = 50 AND cells trained at σ: log(d(0.1) / d(0)), the degradation when tested with noise. */
function logDegradation(r: ClaimInputs, trainedNoise: number): number[] {
  return (r.robustness?.noise ?? [])
    .filter((row) => row.task === 'and' && row.size === undefined && (row.trainedNoise ?? 0.1) === trainedNoise)
    .flatMap((row) => (row.perNetwork?.['0'] ?? []).map((d0, i) => Math.log(row.perNetwork!['0.1'][i] / d0)));
}

const robustnessNoise: ClaimRule = {
  id: 'robustness-noise',
  claim:
    'Networks trained with input noise degrade mildly when tested with it; networks trained without it collapse ' +
    '(AND, N = 50)',
  authors:
    'AND #04 0.331 → 0.549 and #14 0.553 → 0.790 from σ = 0 to 0.1 (×1.4–1.7); a net trained without noise ' +
    'collapses (0.367 → 6.95, ×19) (paper-spec §9.3)',
  note:
    'per network, the degradation d(σ = 0.1)/d(σ = 0); the statistic is the ratio of its geometric means, trained ' +
    'without noise over trained with it, with its bootstrap interval (stratified by training noise): reproduced ' +
    'when the interval lies above 1 and the ratio reaches 3; partly above 1 otherwise; not reproduced when it lies ' +
    'below 1.5; inconclusive between. Needs the noise-free control (5 networks or more)',
  assess(r) {
    const noise = (r.robustness?.noise ?? []).filter((row) => row.size === undefined); // the N = 50 cells
    const free = logDegradation(r, 0),
      noisy = logDegradation(r, 0.1);
    const interval = bootstrapInterval(
      'degradation ratio, trained without noise / with noise',
      free.length && noisy.length ? [free, noisy] : [],
      (gs) => (gs.length === 2 ? Math.exp(mean(gs[0]) - mean(gs[1])) : NaN),
    );
    const cell = (row: (typeof noise)[number]) =>
      `${row.task}/${row.init}${(row.trainedNoise ?? 0.1) === 0 ? ' (trained at σ = 0)' : ''} ` +
      `${f(row.distance['0'])} → ${f(row.distance['0.1'])} → ${f(row.distance['0.2'])}`;
    return {
      rnnlab: noise.length ? noise.map(cell).join('; ') : 'no decision-task networks yet',
      n: noise.reduce((a, row) => a + row.networks, 0),
      grade: judgeInterval(
        interval,
        { none: 1, side: 1, meaningful: 1.5, strong: 3 },
        free.length >= 5 && noisy.length >= 5,
      ),
      interval,
    };
  },
};

const robustnessDelay: ClaimRule = {
  id: 'robustness-delay',
  claim: 'A network trained at one delay does not transfer to other delays',
  authors: 'pulse #03 trained at 20 ms: 0.95 at 20 ms, 2.63 at 50, 100 and 150 ms (paper-spec §9.4)',
  note:
    'per network, its mean distance at the delays it was not trained at over its distance at its own; the geometric ' +
    'mean of that ratio over the networks of every trained delay with ≥ 3 networks, with its bootstrap interval ' +
    '(stratified by trained delay): reproduced when the interval lies above 1 and the ratio reaches 1.5, partly ' +
    'above 1 otherwise, not reproduced when it lies below 1.2, inconclusive between or with fewer than 2 such delays',
  assess(r) {
    const transfer = r.robustness?.transfer ?? [];
    const others = (row: (typeof transfer)[number]) =>
      mean(
        Object.entries(row.distance)
          .filter(([k]) => k !== String(row.trainedAt))
          .map(([, v]) => v),
      );
    const used = transfer.filter((row) => row.networks >= 3 && Object.keys(row.distance).length > 1);
    // Per network: log(mean distance at the other delays / at its own delay), grouped by trained delay.
    const logRatios = used.flatMap((row) => {
      const per = row.perNetwork;
      if (!per) return [];
      const own = per[String(row.trainedAt)];
      const off = Object.keys(per).filter((k) => k !== String(row.trainedAt));
      return [own.map((d, i) => Math.log(mean(off.map((k) => per[k][i])) / d))];
    });
    const interval = bootstrapInterval(
      'geometric-mean ratio, distance at other delays / at the trained delay',
      logRatios,
      (gs) => Math.exp(mean(gs.flatMap((g) => Array.from(g)))),
    );
    const text = transfer
      .map(
        (row) => `trained ${row.trainedAt} ms: own ${f(row.distance[String(row.trainedAt)])}, others ${f(others(row))}`,
      )
      .join('; ');
    return {
      rnnlab: transfer.length ? text : 'no delay-sweep networks yet',
      n: transfer.reduce((a, row) => a + row.networks, 0),
      grade: judgeInterval(interval, { none: 1, side: 1, meaningful: 1.2, strong: 1.5 }, logRatios.length >= 2),
      interval,
    };
  },
};

export const ROBUSTNESS_CLAIMS: readonly ClaimRule[] = [distanceMetric, robustnessNoise, robustnessDelay];
