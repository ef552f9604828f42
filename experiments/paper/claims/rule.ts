/**
 * A claim of the paper as data: its id, what it says, what the authors report, the rule that judges it (the note),
 * and `assess`, which reads the merged results and gives rnnlab's numbers, their n and a grade. One helper turns a
 * grade into a verdict, so every rule states only its three conditions.
 *
 *   reproduced      the rnnlab numbers show the authors' effect within the stated margin
 *   partly          the direction holds but not the size, or only some of the cases
 *   not-reproduced  enough networks, and the effect is absent or reversed
 *   inconclusive    too few networks, or the experiment is not in this scale
 */
import { paperDataFile, readDamageTable, readScaleTable } from '../authors';
import type { ClaimInputs, Verdict } from '../rows';
import type { Interval } from './stats';

/** The authors' published tables, read once per assessment. */
export interface AuthorsTables {
  size: ReturnType<typeof readScaleTable>;
  delay: ReturnType<typeof readScaleTable>;
  damage: {
    both: ReturnType<typeof readDamageTable>;
    positive: ReturnType<typeof readDamageTable>;
    negative: ReturnType<typeof readDamageTable>;
    positiveBand: ReturnType<typeof readDamageTable>;
    negativeBand: ReturnType<typeof readDamageTable>;
  };
}

export function readAuthorsTables(): AuthorsTables {
  const damage = (name: string) => readDamageTable(paperDataFile(name));
  return {
    size: readScaleTable(paperDataFile('size_at_150_ms.txt')),
    delay: readScaleTable(paperDataFile('time_delay.txt')),
    damage: {
      both: damage('damage_01_pos_y_neg.txt'),
      positive: damage('damage_02_positivos.txt'),
      negative: damage('damage_03_negativos.txt'),
      positiveBand: damage('damage_04_franjas_pos.txt'),
      negativeBand: damage('damage_05_franjas_neg.txt'),
    },
  };
}

/**
 * Enough data to judge; the effect as the authors report it; some of it; `undecided`: the confidence interval
 * holds both no effect and the effect, so the data cannot tell.
 */
export interface Grade {
  enough: boolean;
  reproduced: boolean;
  partly?: boolean;
  undecided?: boolean;
}

export function verdictOf(g: Grade): Verdict {
  if (!g.enough || g.undecided) return 'inconclusive';
  if (g.reproduced) return 'reproduced';
  return g.partly ? 'partly' : 'not-reproduced';
}

interface Assessment {
  rnnlab: string;
  n: number;
  grade: Grade;
  /** The statistic the verdict rests on, with its confidence interval (stats.ts). */
  interval?: Interval;
}

/** How a rule reads an interval: the value of no effect, the side the authors' effect is on, its sizes. */
export interface EffectScale {
  /** The statistic when there is no effect (ρ = 0, a ratio of 1, a proportion of 1/2). */
  none: number;
  /** +1: the authors' effect makes the statistic larger than `none`; −1: smaller. */
  side: 1 | -1;
  /** The smallest effect that would count as the authors' effect at all (same units). */
  meaningful: number;
  /** The effect as large as the authors report it: reproduced when the estimate reaches it. */
  strong: number;
}

/**
 * The grade an interval gives. The interval excludes no effect, on the authors' side: reproduced when the estimate
 * reaches the authors' size, partly when it does not. It lies wholly on the no-effect side of the smallest
 * meaningful effect (or beyond no effect on the other side): not reproduced. Otherwise it holds both no effect and
 * the effect: inconclusive, whatever the estimate.
 */
export function judgeInterval(iv: Interval, e: EffectScale, enough: boolean): Grade {
  const s = e.side;
  if (!enough || !Number.isFinite(iv.lo) || !Number.isFinite(iv.hi)) return { enough: false, reproduced: false };
  const near = s > 0 ? iv.lo : iv.hi, // the interval's end nearest no effect
    far = s > 0 ? iv.hi : iv.lo;
  if (s * (near - e.none) > 0) return { enough, reproduced: s * (iv.estimate - e.strong) >= 0, partly: true };
  if (s * (far - e.meaningful) < 0) return { enough, reproduced: false, partly: false };
  return { enough, reproduced: false, undecided: true };
}

export interface ClaimRule {
  id: string;
  claim: string;
  /** What the authors report: fixed text, or built from their tables. */
  authors: string | ((a: AuthorsTables) => string);
  /** The rule, in words. */
  note: string;
  assess(r: ClaimInputs, a: AuthorsTables): Assessment;
}

// Number formatting shared by the rules' texts.
export const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
export const pct = (a: number, b: number) => (b > 0 ? `${a}/${b}` : '0');
export { mean } from './stats';
