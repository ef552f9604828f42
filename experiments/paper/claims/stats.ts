/**
 * The statistics the claims' rules use: the exact sign test, Spearman's rank correlation, a seeded stratified
 * bootstrap, Clopper–Pearson intervals and Fisher's exact test.
 */
import { Rng } from '@rnnlab/engine';

/** Two-sided exact sign test: the probability of a split at least as uneven as k of n under p = 1/2. */
export function signTestP(k: number, n: number): number {
  const choose = (a: number, b: number) => {
    let c = 1;
    for (let i = 1; i <= b; i++) c = (c * (a - b + i)) / i;
    return c;
  };
  const tail = Math.min(k, n - k);
  let p = 0;
  for (let i = 0; i <= tail; i++) p += choose(n, i);
  return Math.min(1, (2 * p) / 2 ** n);
}

/** Spearman rank correlation (ties get their mean rank). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rank = (v: readonly number[]) => {
    const idx = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
      for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const rx = rank(x),
    ry = rank(y),
    n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n,
    my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** The mean of a list or a resampled group; NaN when it is empty. */
export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return v.length ? s / v.length : NaN;
}

/** A statistic with its confidence interval, as results.json and the page give it. */
export interface Interval {
  /** What the number is, in words (e.g. "Spearman ρ(N, mean distance)"). */
  statistic: string;
  estimate: number;
  lo: number;
  hi: number;
  /** Coverage, e.g. 0.95. */
  level: number;
  /** How the interval was made: 'bootstrap' (percentile, stratified, seeded) or 'exact' (Clopper–Pearson). */
  method: 'bootstrap' | 'exact';
  /** Resamples of a bootstrap. */
  resamples?: number;
}

export interface BootstrapOptions {
  resamples?: number;
  level?: number;
  /** The generator's seed: the same data give the same interval on every machine. */
  seed?: string;
}

/**
 * Percentile bootstrap over networks, stratified: each group (a curve point, a cell) is resampled with replacement
 * within itself, so every resample keeps the design's group sizes. `statistic` gets the resampled groups; resamples
 * where it is not finite are dropped, and more than 5 % of them make the interval NaN (the statistic is not stable).
 */
export function bootstrapInterval(
  statistic: string,
  groups: readonly (readonly number[])[],
  fn: (groups: readonly Float64Array[]) => number,
  opts: BootstrapOptions = {},
): Interval {
  const resamples = opts.resamples ?? 2000,
    level = opts.level ?? 0.95;
  const data = groups.map((g) => Float64Array.from(g));
  const estimate = fn(data);
  const rng = new Rng(opts.seed ?? 'rnnlab-claims');
  const scratch = data.map((g) => new Float64Array(g.length));
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    data.forEach((g, i) => {
      for (let k = 0; k < g.length; k++) scratch[i][k] = g[rng.int(g.length)];
    });
    const v = fn(scratch);
    if (Number.isFinite(v)) values.push(v);
  }
  const nan = { statistic, estimate, lo: NaN, hi: NaN, level, method: 'bootstrap' as const, resamples };
  if (!Number.isFinite(estimate) || values.length < 0.95 * resamples) return nan;
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return { ...nan, lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2) };
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed exactly term by term. */
function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let term = (1 - p) ** n,
    sum = term;
  for (let i = 1; i <= k; i++) {
    term *= ((n - i + 1) / i) * (p / (1 - p));
    sum += term;
  }
  return Math.min(1, sum);
}

/** The p where a decreasing function of p crosses `target`, by bisection on [0, 1]. */
function bisect(f: (p: number) => number, target: number): number {
  let lo = 0,
    hi = 1;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Clopper–Pearson exact interval for a proportion of k successes in n. */
export function proportionInterval(statistic: string, k: number, n: number, level = 0.95): Interval {
  const a = (1 - level) / 2;
  // lo: P(X ≥ k | lo) = a, i.e. P(X ≤ k − 1 | lo) = 1 − a; hi: P(X ≤ k | hi) = a (both CDFs fall as p grows).
  const lo = k === 0 ? 0 : bisect((p) => binomialCdf(k - 1, n, p), 1 - a);
  const hi = k === n ? 1 : bisect((p) => binomialCdf(k, n, p), a);
  return {
    statistic,
    estimate: n > 0 ? k / n : NaN,
    lo: n > 0 ? lo : NaN,
    hi: n > 0 ? hi : NaN,
    level,
    method: 'exact',
  };
}

/**
 * Fisher's exact test on a 2 × 2 table [[a, b], [c, d]], two-sided: the probability, with the margins fixed, of a
 * table at most as likely as the observed one.
 */
export function fisherExactP(a: number, b: number, c: number, d: number): number {
  const row1 = a + b,
    col1 = a + c,
    n = a + b + c + d;
  const logFact = (m: number) => {
    let s = 0;
    for (let i = 2; i <= m; i++) s += Math.log(i);
    return s;
  };
  const logP = (x: number) =>
    logFact(row1) +
    logFact(n - row1) +
    logFact(col1) +
    logFact(n - col1) -
    logFact(n) -
    logFact(x) -
    logFact(row1 - x) -
    logFact(col1 - x) -
    logFact(n - row1 - col1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++)
    if (logP(x) <= observed + 1e-9) p += Math.exp(logP(x));
  return Math.min(1, p);
}
