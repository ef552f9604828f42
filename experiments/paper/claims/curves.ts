/** Claims about the curves: distance against network size and against delay, their spread and their level. */
import type { ClaimInputs, PointStats } from '../rows';
import { f, mean, type AuthorsTables, type ClaimRule } from './rule';
import { spearman } from './stats';

/** Networks a curve point needs before its mean counts (the authors pooled 14–97; 12 is the medium scale's). */
const MIN_PER_POINT = 6;
const curveOk = (p: PointStats[]) => p.length >= 4 && p.every((q) => q.n >= MIN_PER_POINT);
const rho = (p: PointStats[], y: (q: PointStats) => number) =>
  p.length > 2
    ? spearman(
        p.map((q) => q.x),
        p.map(y),
      )
    : NaN;
const total = (p: PointStats[]) => p.reduce((a, q) => a + q.n, 0);

const authorsPlateau = (a: AuthorsTables) =>
  mean(a.size.filter((q) => q.x >= 180 && q.x <= 450).map((q) => q.distance));
const rnnlabPlateau = (r: ClaimInputs) => mean(r.size.filter((q) => q.x >= 180).map((q) => q.mean));
const atDelay = (a: AuthorsTables, ms: number) => a.delay.find((q) => q.x === ms)!;

const size: ClaimRule = {
  id: 'size',
  claim: `Performance degrades gracefully as the network shrinks (pulse task, ${150} ms delay)`,
  authors: (a) => {
    const small = a.size.find((q) => q.x === 50)!.distance,
      plateau = authorsPlateau(a);
    return (
      `distance ${f(small)} at N = 50 → plateau ${f(plateau)} (mean over N = 180–450); ratio ` + `${f(small / plateau)}`
    );
  },
  note:
    'reproduced: ρ < −0.6 and d(smallest N)/d(N ≥ 180) > 1.2; inconclusive with fewer than 4 points or ' +
    `${MIN_PER_POINT} networks per point`,
  assess(r) {
    const rhoSize = rho(r.size, (q) => q.mean);
    const ratio = (r.size[0]?.mean ?? NaN) / rnnlabPlateau(r);
    const points = r.size.map((q) => `N=${q.x}: ${f(q.mean)} (n ${q.n}, solved ${q.solved})`).join('; ');
    return {
      rnnlab: r.size.length ? `${points}; ratio ${f(ratio)}, Spearman ρ(N, d) = ${f(rhoSize)}` : 'no size records yet',
      n: total(r.size),
      grade: {
        enough: curveOk(r.size),
        reproduced: rhoSize < -0.6 && ratio > 1.2,
        partly: rhoSize < -0.3 || ratio > 1.05,
      },
    };
  },
};

const sizePlateau: ClaimRule = {
  id: 'size-plateau',
  claim: 'Beyond N ≈ 180 the distance plateaus',
  authors: (a) =>
    `${a.size
      .filter((q) => q.x >= 180 && q.x <= 450)
      .map((q) => f(q.distance))
      .join(', ')} for N = 180–450`,
  note: 'reproduced: the first and last points at N ≥ 180 differ by ≤ 10 %',
  assess(r) {
    const big = r.size.filter((q) => q.x >= 180);
    return {
      rnnlab: big.length
        ? big.map((q) => `N=${q.x}: ${f(q.mean, 3)} ± ${f(q.sem, 3)} (SEM)`).join('; ')
        : 'no point at N ≥ 180',
      n: total(big),
      grade: {
        enough: big.length >= 2 && big.every((q) => q.n >= MIN_PER_POINT),
        reproduced: big.length >= 2 && Math.abs(big[big.length - 1].mean - big[0].mean) <= 0.1 * big[0].mean,
      },
    };
  },
};

const size500: ClaimRule = {
  id: 'size-500',
  claim: 'N = 500 is slightly worse than the plateau',
  authors: (a) => {
    const a500 = a.size.find((q) => q.x === 500)!;
    return (
      `${f(a500.distance)} ± ${f(a500.error)} at N = 500 (${a500.networks} networks) ` +
      `vs plateau ${f(authorsPlateau(a))}`
    );
  },
  note: 'needs the full scale (55 min per N = 500 network on one core)',
  assess(r) {
    const r500 = r.size.find((q) => q.x === 500);
    return {
      rnnlab: r500 ? `${f(r500.mean)} (n ${r500.n})` : `N = 500 is not in the ${r.scale} scale`,
      n: r500?.n ?? 0,
      grade: { enough: !!r500 && r500.n >= MIN_PER_POINT, reproduced: !!r500 && r500.mean > rnnlabPlateau(r) },
    };
  },
};

const delay: ClaimRule = {
  id: 'delay',
  claim: 'Performance degrades gracefully as the interval grows (pulse task, N = 50)',
  authors: (a) => {
    const d25 = atDelay(a, 25).distance,
      d100 = atDelay(a, 100).distance;
    return `distance ${f(d25)} at 25 ms → ${f(d100)} at 100 ms (ratio ${f(d100 / d25)}), then saturates ≈ 1.7–1.86`;
  },
  note:
    'reproduced: ρ(delay, d) > 0.6 and d(≤ 100 ms)/d(shortest) > 1.3; inconclusive with fewer than 4 points or ' +
    `${MIN_PER_POINT} networks per point`,
  assess(r) {
    const to100 = r.delay.filter((q) => q.x <= 100);
    const rhoDelay = rho(r.delay, (q) => q.mean);
    const ratio = (to100[to100.length - 1]?.mean ?? NaN) / (r.delay[0]?.mean ?? NaN);
    const points = r.delay.map((q) => `${q.x} ms: ${f(q.mean)} (n ${q.n}, solved ${q.solved})`).join('; ');
    return {
      rnnlab: r.delay.length ? `${points}; ratio to ≤ 100 ms ${f(ratio)}, ρ = ${f(rhoDelay)}` : 'no delay records yet',
      n: total(r.delay),
      grade: {
        enough: curveOk(r.delay),
        reproduced: rhoDelay > 0.6 && ratio > 1.3,
        partly: rhoDelay > 0.3 || ratio > 1.05,
      },
    };
  },
};

const delaySpread: ClaimRule = {
  id: 'delay-spread',
  claim: 'The spread between networks grows with the delay',
  authors: (a) => `error column ${f(atDelay(a, 25).error, 3)} at 25 ms → ${f(atDelay(a, 170).error, 3)} at 170 ms`,
  note: 'reproduced: Spearman ρ(delay, SD over networks) > 0.5',
  assess(r) {
    const rhoSpread = rho(r.delay, (q) => q.sd);
    return {
      rnnlab: r.delay.length
        ? `SD ${r.delay.map((q) => `${q.x} ms: ${f(q.sd, 3)}`).join('; ')}; ρ = ${f(rhoSpread)}`
        : 'no delay records yet',
      n: total(r.delay),
      grade: { enough: curveOk(r.delay), reproduced: rhoSpread > 0.5, partly: rhoSpread > 0 },
    };
  },
};

const distanceLevel: ClaimRule = {
  id: 'distance-level',
  claim: "Solved networks reach the authors' distance level (pulse, 25 ms, N = 50)",
  authors: (a) => `${f(atDelay(a, 25).distance)} (time_delay.txt)`,
  note:
    'reproduced within ±20 %, partly within ±50 %. The distance is not normalised by T and counts target noise ' +
    '(paper-spec §4.6), so generator details move it',
  assess(r, a) {
    const level = r.delay.find((q) => q.x === 25);
    const off = level ? Math.abs(level.mean / atDelay(a, 25).distance - 1) : NaN;
    return {
      rnnlab: level ? `${f(level.mean)} (n ${level.n}, solved ${level.solved})` : 'no 25-ms records yet',
      n: level?.n ?? 0,
      grade: { enough: !!level && level.n >= MIN_PER_POINT, reproduced: off <= 0.2, partly: off <= 0.5 },
    };
  },
};

export const SIZE_CLAIMS: readonly ClaimRule[] = [size, sizePlateau, size500];
export const DELAY_CLAIMS: readonly ClaimRule[] = [delay, delaySpread, distanceLevel];
