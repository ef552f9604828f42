/**
 * A verdict per claim of the paper, computed from the merged results: what the authors report (from their data
 * tables where they published one, else the value the paper's code and stored networks give, paper-spec §4–§9),
 * what this run gives, with its n, and a verdict by the rule stated in each row's note. The claims are data
 * (rule.ts: ClaimRule), grouped by area in the files beside this one and listed here in the page's order.
 *
 * Every verdict is a function of the numbers (nothing is asserted by hand), so it changes as records arrive.
 */
import type { Claim, ClaimInputs } from '../rows';
import { DAMAGE_CLAIMS } from './damage';
import { LARGE_CLAIMS } from './large';
import { LEARNING_CLAIMS } from './learning';
import { DELAY_CLAIMS, SIZE_CLAIMS } from './curves';
import { ROBUSTNESS_CLAIMS } from './robustness';
import { readAuthorsTables, verdictOf, type ClaimRule } from './rule';

export { bootstrapInterval, fisherExactP, type Interval, proportionInterval, signTestP, spearman } from './stats';
export { judgeInterval } from './rule';

export const CLAIM_RULES: readonly ClaimRule[] = [
  ...LEARNING_CLAIMS,
  ...SIZE_CLAIMS,
  ...LARGE_CLAIMS,
  ...DELAY_CLAIMS,
  ...DAMAGE_CLAIMS,
  ...ROBUSTNESS_CLAIMS,
];

export function assessClaims(r: ClaimInputs): Claim[] {
  const authors = readAuthorsTables();
  return CLAIM_RULES.map((rule) => {
    const { rnnlab, n, grade, interval } = rule.assess(r, authors);
    return {
      id: rule.id,
      claim: rule.claim,
      authors: typeof rule.authors === 'string' ? rule.authors : rule.authors(authors),
      rnnlab,
      n,
      verdict: verdictOf(grade),
      // A statistic that could not be computed (no data for it in this scale) has no interval to show.
      interval: interval && Number.isFinite(interval.estimate) ? interval : null,
      note: rule.note,
    };
  });
}
