/**
 * Psychometric curves: the fraction of choices for one option against the signed evidence, with a fitted
 * cumulative curve, as neurogym/utils/psychometric.py draws them (a probit, there by least squares on the raw
 * choices) and as experimenters fit them (maximum likelihood, with a lapse rate):
 *
 *   P(choice = 1 | x) = λ/2 + (1 − λ) F((x − μ)/σ)        F = Φ (probit) or the logistic
 *
 * μ is the bias (the point of subjective equality), 1/σ the slope, λ ∈ [0, 0.5) the lapse rate (guesses on a
 * fraction λ of the trials, whatever the evidence). The negative log-likelihood
 *   L(μ, σ, λ) = −Σ_levels [k log P(x) + (n − k) log(1 − P(x))]
 * is minimised by Nelder–Mead over (μ, log σ, logit 2λ), started from the moments of the data; trials with no
 * choice (fixation kept) are counted apart and left out of the fit.
 */
import { normalCdf } from '@rnnlab/tasks';

export type Link = 'probit' | 'logistic';

export interface PsychometricLevel {
  evidence: number;
  /** Trials at this evidence that made a choice. */
  n: number;
  /** Of those, the choices for option 1 (the option positive evidence favours). */
  k: number;
  /** Trials at this evidence that made no choice. */
  noChoice: number;
}

export interface PsychometricFit {
  link: Link;
  /** Bias: the evidence at which both options are chosen equally often. */
  mu: number;
  /** Spread: 1/σ is the slope of F at μ in units of evidence. */
  sigma: number;
  lapse: number;
  /** The minimised negative log-likelihood. */
  nll: number;
  /** Whether Nelder–Mead met its tolerance within its iteration budget. */
  converged: boolean;
}

export interface Psychometric {
  levels: PsychometricLevel[];
  /**
   * null when the data cannot fix a curve: fewer than two evidence levels with choices, or choices separated
   * perfectly by the evidence (all 0 below a point, all 1 above it: the slope's estimate is unbounded).
   */
  fit: PsychometricFit | null;
}

/** The curve's probability of choice 1 at evidence x. */
export function psychometricCurve(fit: Pick<PsychometricFit, 'link' | 'mu' | 'sigma' | 'lapse'>, x: number): number {
  const z = (x - fit.mu) / fit.sigma;
  const F = fit.link === 'probit' ? normalCdf(z) : 1 / (1 + Math.exp(-z));
  return fit.lapse / 2 + (1 - fit.lapse) * F;
}

/** Count choices per evidence level (levels sorted ascending). */
export function psychometricLevels(evidence: ArrayLike<number>, choices: ArrayLike<0 | 1 | null>): PsychometricLevel[] {
  const by = new Map<number, PsychometricLevel>();
  for (let i = 0; i < evidence.length; i++) {
    const x = evidence[i];
    const lv = by.get(x) ?? { evidence: x, n: 0, k: 0, noChoice: 0 };
    by.set(x, lv);
    const c = choices[i];
    if (c === null) lv.noChoice++;
    else {
      lv.n++;
      lv.k += c;
    }
  }
  return [...by.values()].sort((a, b) => a.evidence - b.evidence);
}

/** The negative log-likelihood of counts under a curve (probabilities kept off 0 and 1 by 1e-12). */
export function psychometricNll(levels: readonly PsychometricLevel[], fit: Omit<PsychometricFit, 'nll' | 'converged'>) {
  let nll = 0;
  for (const lv of levels) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, psychometricCurve(fit, lv.evidence)));
    nll -= lv.k * Math.log(p) + (lv.n - lv.k) * Math.log(1 - p);
  }
  return nll;
}

/** Nelder–Mead on f over R^d from x0 with initial steps `step`; standard coefficients (1, 2, ½, ½). */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  step: number[],
  opts: { maxIter?: number; tol?: number } = {},
): { x: number[]; f: number; converged: boolean } {
  const d = x0.length,
    maxIter = opts.maxIter ?? 2000,
    tol = opts.tol ?? 1e-10;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step[i] : v)))].map((x) => ({ x, f: f(x) }));
  for (let it = 0; it < maxIter; it++) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0],
      worst = simplex[d];
    if (Math.abs(worst.f - best.f) <= tol * (Math.abs(best.f) + tol)) return { ...best, converged: true };
    const centroid = x0.map((_, j) => simplex.slice(0, d).reduce((s, p) => s + p.x[j], 0) / d);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const r = { x: along(-1), f: 0 };
    r.f = f(r.x);
    if (r.f < best.f) {
      const e = { x: along(-2), f: 0 };
      e.f = f(e.x);
      simplex[d] = e.f < r.f ? e : r;
    } else if (r.f < simplex[d - 1].f) simplex[d] = r;
    else {
      const c = { x: along(r.f < worst.f ? -0.5 : 0.5), f: 0 };
      c.f = f(c.x);
      if (c.f < Math.min(r.f, worst.f)) simplex[d] = c;
      else
        simplex = simplex
          .map((p, i) => (i === 0 ? p : { x: p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])), f: 0 }))
          .map((p, i) => (i === 0 ? p : { ...p, f: f(p.x) }));
    }
  }
  simplex.sort((a, b) => a.f - b.f);
  return { ...simplex[0], converged: false };
}

/** Levels and the maximum-likelihood curve of choices against evidence. */
export function psychometric(
  evidence: ArrayLike<number>,
  choices: ArrayLike<0 | 1 | null>,
  opts: { link?: Link; lapse?: boolean } = {},
): Psychometric {
  const levels = psychometricLevels(evidence, choices);
  const used = levels.filter((l) => l.n > 0);
  // Perfectly separated data (every choice 0 below some evidence, every choice 1 above it) have no maximum: the
  // likelihood grows without bound as the slope steepens. One trial per level (continuous evidence) is not that.
  const lastZero = Math.max(...used.filter((l) => l.k < l.n).map((l) => l.evidence));
  const firstOne = Math.min(...used.filter((l) => l.k > 0).map((l) => l.evidence));
  if (used.length < 2 || lastZero < firstOne) return { levels, fit: null };
  const link = opts.link ?? 'probit';
  const xs = used.map((l) => l.evidence);
  const span = Math.max(...xs) - Math.min(...xs);
  const withLapse = opts.lapse ?? true;
  const unpack = (v: number[]) => ({
    link,
    mu: v[0],
    sigma: Math.exp(v[1]),
    lapse: withLapse ? 0.5 / (1 + Math.exp(-v[2])) : 0,
  });
  const start = [0, Math.log(span / 4), -4].slice(0, withLapse ? 3 : 2);
  const nll = (v: number[]) => psychometricNll(used, unpack(v));
  let r = nelderMead(nll, start, [span / 4, 0.5, 1].slice(0, start.length));
  // Restarts from the best point with a fresh simplex: a collapsed simplex can stop short of the optimum.
  for (let i = 0; i < 3; i++)
    r = nelderMead(
      nll,
      r.x,
      r.x.map((v) => 0.05 * Math.abs(v) + 0.01),
    );
  return { levels, fit: { ...unpack(r.x), nll: r.f, converged: r.converged } };
}

/** Mean decision time (ms) of some trials, with its standard error (null when fewer than two). */
export interface TimeStat {
  n: number;
  mean: number;
  se: number | null;
}

export interface ChronometricLevel {
  /** The evidence's strength |x|. */
  strength: number;
  /** Every trial at this strength that made a choice. */
  all: TimeStat | null;
  /** Those whose choice the evidence's sign favours, and the others; null at zero strength (no right answer). */
  correct: TimeStat | null;
  error: TimeStat | null;
}

function timeStat(xs: readonly number[]): TimeStat | null {
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { n: 1, mean, se: null };
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { n: xs.length, mean, se: Math.sqrt(v / xs.length) };
}

/**
 * Chronometric curve: the mean decision time against the evidence's strength |x|, over the trials that made a
 * choice, for all of them and apart for correct choices (choice 1 on positive evidence, 0 on negative) and errors,
 * as reaction-time studies plot them (Roitman & Shadlen 2002: faster and more accurate with stronger evidence).
 * Continuous evidence (over 20 distinct strengths among the trials with a choice) is pooled into 10 bins of about
 * equal counts, each at its trials' mean strength.
 */
export function chronometric(
  evidence: ArrayLike<number>,
  choices: ArrayLike<0 | 1 | null>,
  times: ArrayLike<number | null>,
): ChronometricLevel[] {
  const used: number[] = [];
  for (let i = 0; i < evidence.length; i++) if (choices[i] !== null && times[i] !== null) used.push(i);
  const strengths = [...new Set(used.map((i) => Math.abs(evidence[i])))];
  // Each trial's level: its strength, or the mean strength of its bin.
  const levelOf = new Map<number, number>();
  if (strengths.length <= 20) for (const i of used) levelOf.set(i, Math.abs(evidence[i]));
  else {
    const sorted = [...used].sort((a, b) => Math.abs(evidence[a]) - Math.abs(evidence[b]));
    const per = Math.ceil(sorted.length / 10);
    for (let k = 0; k < sorted.length; k += per) {
      const bin = sorted.slice(k, k + per);
      const m = bin.reduce((a, i) => a + Math.abs(evidence[i]), 0) / bin.length;
      for (const i of bin) levelOf.set(i, m);
    }
  }
  const by = new Map<number, { all: number[]; correct: number[]; error: number[] }>();
  for (const i of used) {
    const c = choices[i];
    const t = times[i]!;
    const x = evidence[i];
    const s = levelOf.get(i)!;
    let e = by.get(s);
    if (!e) by.set(s, (e = { all: [], correct: [], error: [] }));
    e.all.push(t);
    // A trial without evidence has no right answer: it counts among all choices only.
    if (x !== 0) (x > 0 === (c === 1) ? e.correct : e.error).push(t);
  }
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([strength, e]) => ({
      strength,
      all: timeStat(e.all),
      correct: strength > 0 ? timeStat(e.correct) : null,
      error: strength > 0 ? timeStat(e.error) : null,
    }));
}
