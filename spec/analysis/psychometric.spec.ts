/** Psychometric fits: recovery of known curves from seeded choices, and the optimum's vanishing gradient. */
import { Rng } from '@rnnlab/engine';
import {
  chronometric,
  normalCdf,
  psychometric,
  psychometricCurve,
  psychometricLevels,
  psychometricNll,
  type PsychometricFit,
} from '@rnnlab/analysis';

function simulate(truth: Omit<PsychometricFit, 'nll' | 'converged'>, levels: number[], perLevel: number, seed: number) {
  const rng = new Rng(seed);
  const evidence: number[] = [],
    choices: Array<0 | 1 | null> = [];
  for (const x of levels)
    for (let i = 0; i < perLevel; i++) {
      evidence.push(x);
      choices.push(rng.uniform() < psychometricCurve(truth, x) ? 1 : 0);
    }
  return { evidence, choices };
}

const LEVELS = [-51.2, -25.6, -12.8, -6.4, 0, 6.4, 12.8, 25.6, 51.2];

test('Φ matches known values to 1e-7', () => {
  expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  expect(normalCdf(1)).toBeCloseTo(0.841344746068543, 7);
  expect(normalCdf(-1.96)).toBeCloseTo(0.0249978951482204, 7);
  expect(normalCdf(3)).toBeCloseTo(0.99865010196837, 7);
});

test.each([
  ['probit', { mu: 3, sigma: 10, lapse: 0.06 }],
  ['logistic', { mu: -4, sigma: 6, lapse: 0.02 }],
] as const)('a %s curve is recovered from 20 000 seeded choices', (link, p) => {
  const truth = { link, ...p };
  const { evidence, choices } = simulate(truth, LEVELS, 2000, 17);
  const { fit } = psychometric(evidence, choices, { link });
  expect(fit!.converged).toBe(true);
  expect(Math.abs(fit!.mu - p.mu)).toBeLessThan(1);
  expect(Math.abs(fit!.sigma / p.sigma - 1)).toBeLessThan(0.1);
  expect(Math.abs(fit!.lapse - p.lapse)).toBeLessThan(0.02);
});

test('at the fit the likelihood is stationary: the Newton step from central differences is negligible', () => {
  const { evidence, choices } = simulate({ link: 'probit', mu: 2, sigma: 12, lapse: 0.1 }, LEVELS, 300, 5);
  const { levels, fit } = psychometric(evidence, choices);
  const f = fit!;
  const h = 1e-4;
  for (const key of ['mu', 'sigma', 'lapse'] as const) {
    const up = psychometricNll(levels, { ...f, [key]: f[key] + h });
    const down = psychometricNll(levels, { ...f, [key]: f[key] - h });
    const gradient = (up - down) / (2 * h),
      curvature = (up + down - 2 * f.nll) / (h * h);
    expect(curvature).toBeGreaterThan(0); // a minimum along every axis
    // The distance to the optimum along this axis, g/H, is below 1e-4 of the parameter.
    expect(Math.abs(gradient / curvature)).toBeLessThan(1e-4 * Math.abs(f[key]));
  }
});

test('no-choice trials are counted apart; one evidence level fixes no curve', () => {
  const lv = psychometricLevels([1, 1, -1, -1, -1], [1, null, 0, 0, 1]);
  expect(lv).toEqual([
    { evidence: -1, n: 3, k: 1, noChoice: 0 },
    { evidence: 1, n: 1, k: 1, noChoice: 1 },
  ]);
  expect(psychometric([2, 2, 2], [1, 0, 1]).fit).toBeNull();
});

test('perfectly separated choices have no maximum-likelihood curve, and none is reported', () => {
  expect(psychometric([-2, -1, 1, 2], [0, 0, 1, 1]).fit).toBeNull();
  expect(psychometric([-2, -1, -1, 2, 2], [1, 1, 1, 1, 1]).fit).toBeNull();
  expect(psychometric([-2, -1, 1, 2, 2], [0, 0, 1, 1, 0]).fit).not.toBeNull();
  // Continuous evidence, one trial per level, overlapping choices: a curve exists.
  expect(psychometric([-2, -1, 0.5, 1, 2], [0, 1, 0, 1, 1]).fit).not.toBeNull();
});

test('chronometric: mean decision time per strength, correct choices and errors apart, none at zero strength', () => {
  const evidence = [-6, -6, 6, 6, 6, 0, 0, 12, 12];
  const choices: Array<0 | 1 | null> = [0, 1, 1, 1, null, 1, 0, 1, 1];
  const times = [100, 300, 200, 400, 50, 500, 700, 80, null];
  const levels = chronometric(evidence, choices, times);
  expect(levels.map((l) => l.strength)).toEqual([0, 6, 12]);
  expect(levels[0]).toMatchObject({ all: { n: 2, mean: 600 }, correct: null, error: null });
  expect(levels[0].all!.se).toBeCloseTo(Math.sqrt(20000 / 2), 9); // sample variance (100² + 100²)/1, over n = 2
  // Strength 6: correct are −6 → 0 (100) and +6 → 1 (200, 400); the error is −6 → 1 (300); no-choice left out.
  expect(levels[1].correct).toMatchObject({ n: 3, mean: 700 / 3 });
  expect(levels[1].error).toEqual({ n: 1, mean: 300, se: null });
  expect(levels[1].all!.n).toBe(4);
  // Strength 12: the trial without a time is left out.
  expect(levels[2]).toMatchObject({ all: { n: 1, mean: 80 }, correct: { n: 1, mean: 80 }, error: null });
});

test('chronometric: continuous evidence is pooled into 10 bins of equal counts at their mean strength', () => {
  // 100 trials at 50 strengths 0.1 … 5.0 (each twice: once each sign), all choosing option 1, time = 100 × strength.
  const evidence = Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1) * 0.1 * (1 + Math.floor(i / 2)));
  const choices = evidence.map(() => 1 as const);
  const times = evidence.map((x) => 100 * Math.abs(x));
  const levels = chronometric(evidence, choices, times);
  expect(levels).toHaveLength(10);
  for (const l of levels) {
    expect(l.all!.n).toBe(10);
    expect(l.all!.mean).toBeCloseTo(100 * l.strength, 9);
    expect([l.correct!.n, l.error!.n]).toEqual([5, 5]); // positive evidence chose right, negative wrong
  }
  expect(levels[0].strength).toBeCloseTo(0.3, 12); // 0.1, 0.1, 0.2, 0.2, …, 0.5, 0.5
});
