/**
 * The verdict rules of experiments/paper/claims.ts on synthetic results whose answer is known by construction:
 * a curve that falls like the authors', a flat one, a reversed one, too few networks, and damage curves.
 */
import {
  assessClaims,
  signTestP,
  spearman,
  type ClaimInputs,
  type DiversityRow,
  type PointStats,
} from '@rnnlab/experiments';

const point = (x: number, mean: number, n = 12, sd = 0.1): PointStats => ({
  x,
  n,
  solved: n,
  mean,
  sd,
  sem: sd / Math.sqrt(n),
  median: mean,
  min: mean - sd,
  max: mean + sd,
  distances: new Array(n).fill(mean),
});
const empty: ClaimInputs = { scale: 'test', size: [], delay: [], diversity: [], damage: [] };
const verdict = (r: ClaimInputs, id: string) => assessClaims(r).find((c) => c.id === id)!.verdict;

test('Spearman ρ: +1 for any increasing relation, −1 for decreasing, ties ranked by their mean', () => {
  expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
  expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  expect(spearman([1, 2, 3, 4], [1, 1, 2, 2])).toBeCloseTo(0.8944, 4);
});

test(
  'the size claim: a falling curve is reproduced, a flat one not, a reversed one not, few networks ' + 'inconclusive',
  () => {
    const Ns = [50, 70, 100, 140, 180, 250];
    const falling = Ns.map((N, i) => point(N, [1.7, 1.5, 1.3, 1.2, 1.1, 1.08][i]));
    expect(verdict({ ...empty, size: falling }, 'size')).toBe('reproduced');
    expect(verdict({ ...empty, size: Ns.map((N) => point(N, 0.6)) }, 'size')).toBe('not-reproduced');
    expect(verdict({ ...empty, size: [...falling].reverse().map((p, i) => ({ ...p, x: Ns[i] })) }, 'size')).toBe(
      'not-reproduced',
    );
    expect(verdict({ ...empty, size: falling.map((p) => ({ ...p, n: 3 })) }, 'size')).toBe('inconclusive');
    expect(verdict(empty, 'size')).toBe('inconclusive');
    expect(verdict({ ...empty, size: falling }, 'size-plateau')).toBe('reproduced');
    // A plateau's points differ in the third decimal, so its row gives three (two printed 0.59 ± 0.00 and 0.58 ± 0.00).
    const plateau = assessClaims({ ...empty, size: falling }).find((c) => c.id === 'size-plateau')!;
    expect(plateau.rnnlab).toBe('N=180: 1.100 ± 0.029 (SEM); N=250: 1.080 ± 0.029 (SEM)');
    expect(verdict({ ...empty, size: falling }, 'size-500')).toBe('inconclusive');
  },
);

test(
  'the delay claims: a graded rise with growing spread is reproduced; a level 40 % below the authors is ' + 'partly',
  () => {
    const ds = [25, 50, 75, 100, 125, 150, 170];
    const graded = ds.map((d, i) => point(d, [0.99, 1.27, 1.5, 1.74, 1.76, 1.75, 1.8][i], 12, 0.03 + 0.02 * i));
    expect(verdict({ ...empty, delay: graded }, 'delay')).toBe('reproduced');
    expect(verdict({ ...empty, delay: graded }, 'delay-spread')).toBe('reproduced');
    expect(verdict({ ...empty, delay: graded }, 'distance-level')).toBe('reproduced');
    const lower = graded.map((p) => ({ ...p, mean: p.mean * 0.6 }));
    expect(verdict({ ...empty, delay: lower }, 'distance-level')).toBe('partly');
  },
);

test(
  'the damage claims: an onset at 12 % (as the authors) is reproduced; a curve that never doubles has no onset ' +
    'and is inconclusive',
  () => {
    const thr = [0, 0.01, 0.02, 0.03, 0.04];
    const rows = (level: (k: number) => number) =>
      thr.map((t, k) => ({
        protocol: 'both' as const,
        threshold: t,
        fractionRemoved: (6 * k) / 100,
        networks: 6,
        distance: { '00': level(k), '11': 1.2 * level(k), '10': level(k), '01': level(k) },
      }));
    const steep = rows((k) => (k < 2 ? 0.25 : 0.25 * (1 + 3 * (k - 1))));
    // first above 2× at 12 %, like the authors
    expect(verdict({ ...empty, damage: steep }, 'damage-onset')).toBe('reproduced');
    expect(verdict({ ...empty, damage: steep }, 'damage-11-fragile')).toBe('reproduced');
    // never doubles: no onset
    expect(verdict({ ...empty, damage: rows(() => 0.25) }, 'damage-onset')).toBe('inconclusive');
    expect(verdict({ ...empty, damage: steep.map((r) => ({ ...r, networks: 2 })) }, 'damage-onset')).toBe(
      'inconclusive',
    );
  },
);

test('every claim has a rule, and the experiments that were not run are inconclusive, never reproduced', () => {
  const claims = assessClaims(empty);
  expect(claims.length).toBeGreaterThanOrEqual(15);
  for (const c of claims) {
    expect(c.note.length).toBeGreaterThan(10);
    expect(c.verdict).toBe('inconclusive');
  }
  expect(new Set(claims.map((c) => c.id)).size).toBe(claims.length);
});

test(
  'the N = 500 AND claim: all solve with W_rec moving < 5 % of σ is reproduced; larger moves partly; none planned ' +
    'or too few inconclusive',
  () => {
    const row = (init: string, solved: number, relativeChange: number): DiversityRow => ({
      task: 'and',
      init,
      networks: 3,
      solved,
      epochs: 4,
      dominantReal: 2,
      dominantComplex: 1,
      radiusBefore: 1.04,
      radiusAfter: 1.08,
      outsideBefore: 7,
      outsideAfter: 5,
      lateBehaviour: { '00:OSC 01:OSC 10:OSC 11:FP': 3 },
      divergedAfterLearning: 0,
      learning: [],
      degeneracy: null,
      weights: { stdBefore: 0.0447, stdAfter: 0.0447, kurtosisBefore: 3, kurtosisAfter: 3, relativeChange },
    });
    const large = (rows: DiversityRow[]) => ({ ...empty, large: { size: 500, rows } });
    expect(verdict(large([row('normal', 3, 0.02), row('orthogonal', 3, 0.03)]), 'and-500')).toBe('reproduced');
    expect(verdict(large([row('normal', 3, 0.02), row('orthogonal', 3, 0.12)]), 'and-500')).toBe('partly');
    expect(verdict(large([row('normal', 1, 0.2), row('orthogonal', 0, 0.12)]), 'and-500')).toBe('not-reproduced');
    expect(verdict(large([{ ...row('normal', 1, 0.02), networks: 1 }]), 'and-500')).toBe('inconclusive');
    expect(verdict({ ...empty, large: { size: 500, rows: [] } }, 'and-500')).toBe('inconclusive');
    expect(assessClaims(empty).find((c) => c.id === 'and-500')!.rnnlab).toBe('no large AND networks in the test scale');
  },
);

test('the N = 500 AND claim names the networks that learned and then diverged, with their best epoch', () => {
  const learned = {
    id: 'a',
    bestEpoch: 7,
    bestLoss: 8.7e-4,
    finalLoss: 0.139,
    diverged: true,
    accuracy: 0.7,
    relativeChange: 0.06,
    atBestEpoch: null,
  };
  const kept = {
    id: 'b',
    bestEpoch: 20,
    bestLoss: 1e-3,
    finalLoss: 1e-3,
    diverged: false,
    accuracy: 1,
    relativeChange: 0.03,
    atBestEpoch: null,
  };
  const row = (init: string, learning: DiversityRow['learning']): DiversityRow => ({
    task: 'and',
    init,
    networks: learning.length,
    solved: learning.filter((l) => !l.diverged).length,
    epochs: 20,
    dominantReal: 1,
    dominantComplex: 1,
    radiusBefore: 1.02,
    radiusAfter: 1.4,
    outsideBefore: 9,
    outsideAfter: 11,
    lateBehaviour: {},
    divergedAfterLearning: learning.filter((l) => l.diverged).length,
    learning,
    degeneracy: null,
    weights: { stdBefore: 0.0447, stdAfter: 0.05, kurtosisBefore: 3, kurtosisAfter: 3, relativeChange: 0.3 },
  });
  const c = assessClaims({
    ...empty,
    large: { size: 500, rows: [row('normal', [learned, kept]), row('orthogonal', [kept, kept])] },
  }).find((x) => x.id === 'and-500')!;
  expect(c.rnnlab).toContain(
    'normal: solved 1/2 after 20.0 epochs, diverged after learning 1/2 (best epoch 7 at 8.7e-4; final loss 1.4e-1)',
  );
  expect(c.rnnlab).toContain('orthogonal: solved 2/2 after 20.0 epochs, diverged after learning 0/2,');
  expect(c.verdict).toBe('not-reproduced');

  // Read early, as the authors' files are: a diverged network needs its best-epoch replay, the others count as they
  // end.
  const early = (learning: DiversityRow['learning']) =>
    assessClaims({
      ...empty,
      large: { size: 500, rows: [row('normal', learning), row('orthogonal', [kept, kept])] },
    }).find((x) => x.id === 'and-500-early')!;
  const notYet = early([learned, kept]);
  expect(notYet.verdict).toBe('inconclusive');
  expect(notYet.rnnlab).toContain('1 diverged network(s) not replayed yet');
  const replay = (accuracy: number, relativeChange: number) => ({
    ...learned,
    atBestEpoch: {
      id: 'a',
      epoch: 7,
      loss: 8.7e-4,
      seconds: 1,
      accuracy,
      meanDistance: 0.36,
      distanceByCondition: {},
      spectrum: { radius: 1.08, outside: 9, kind: 'real' as const },
      relativeChange,
    },
  });
  const good = early([replay(1, 0.03), kept]);
  expect(good.verdict).toBe('reproduced');
  expect(good.n).toBe(4);
  expect(good.rnnlab).toBe(
    'normal: 2/2 solve (epoch 7, final weights), rms ΔW 3.0, 3.0 % of σ; orthogonal: 2/2 solve (final weights, final ' +
      'weights), rms ΔW 3.0, 3.0 % of σ',
  );
  expect(early([replay(1, 0.3), kept]).verdict).toBe('partly');
  expect(early([replay(0.5, 0.03), kept]).verdict).toBe('partly');
  expect(early([replay(0.5, 0.3), { ...kept, accuracy: 0.5, relativeChange: 0.2 }]).verdict).toBe('not-reproduced');
});

test('the two-sided sign test: exact binomial tails (10 of 10: 2/1024; 8 of 10: 112/1024; an even split: 1)', () => {
  expect(signTestP(10, 10)).toBeCloseTo(2 / 1024, 15);
  expect(signTestP(0, 10)).toBeCloseTo(2 / 1024, 15);
  expect(signTestP(8, 10)).toBeCloseTo(112 / 1024, 15);
  expect(signTestP(5, 10)).toBe(1);
  expect(signTestP(3, 7)).toBe(1);
});

test('the damage-sign claim reports the per-network count and its sign test beside the means', () => {
  const rows = ['positive', 'negative'].map((protocol, k) => ({
    protocol: protocol as 'positive' | 'negative',
    threshold: 0.04,
    fractionRemoved: 0.2,
    networks: 10,
    distance: { '00': 5 + k, '11': 5 + k, '10': 5 + k, '01': 5 + k },
  }));
  const c = assessClaims({ ...empty, damage: rows, damageSign: { networks: 10, positiveWorse: 4 } }).find(
    (x) => x.id === 'damage-sign',
  )!;
  expect(c.rnnlab).toBe(
    'positive-only 5.00, negative-only 6.00; positive-only worse in 4 of 10 networks (sign test p = 0.754)',
  );
});
