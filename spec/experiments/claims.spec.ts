/**
 * The verdict rules of experiments/paper/claims.ts on synthetic results whose answer is known by construction:
 * a curve that falls like the authors', a flat one, a reversed one, too few networks, and damage curves.
 */
import {
  assessClaims,
  bootstrapInterval,
  fisherExactP,
  judgeInterval,
  noiseFloor,
  proportionInterval,
  signTestP,
  spearman,
  type ClaimInputs,
  type DiversityRow,
  type PointStats,
  type TransferRow,
} from '@rnnlab/experiments';

/** n networks' distances evenly spread around `mean` with sample SD exactly `sd`. */
function spread(mean: number, n: number, sd: number): number[] {
  const z = Array.from({ length: n }, (_, k) => k - (n - 1) / 2);
  const s = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / (n - 1));
  return z.map((v) => mean + (sd * v) / s);
}
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
  distances: spread(mean, n, sd),
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
    const claim = assessClaims({ ...empty, size: falling }).find((c) => c.id === 'size')!;
    expect(claim.interval!.hi).toBeLessThan(0);
    // Six points drawn from one distribution: ρ of the means could be anything, so the interval holds 0 and −0.6.
    const flat = Ns.map((N) => point(N, 0.6, 12, 0.3));
    expect(verdict({ ...empty, size: flat }, 'size')).toBe('inconclusive');
    expect(verdict({ ...empty, size: [...falling].reverse().map((p, i) => ({ ...p, x: Ns[i] })) }, 'size')).toBe(
      'not-reproduced',
    );
    expect(verdict({ ...empty, size: falling.map((p) => ({ ...p, n: 3 })) }, 'size')).toBe('inconclusive');
    expect(verdict(empty, 'size')).toBe('inconclusive');
    // Two points at N ≥ 180 are not a plateau; three within ±10 % are, three that keep falling are not.
    expect(verdict({ ...empty, size: falling }, 'size-plateau')).toBe('inconclusive');
    const plateau = assessClaims({ ...empty, size: falling }).find((c) => c.id === 'size-plateau')!;
    expect(plateau.rnnlab).toBe(
      'N=180: 1.100 ± 0.029 (SEM); N=250: 1.080 ± 0.029 (SEM); 2 point(s) at N ≥ 180 in this scale',
    );
    const three = (m: number[]) => [...falling.slice(0, 4), ...[180, 250, 350].map((N, i) => point(N, m[i], 12, 0.02))];
    expect(verdict({ ...empty, size: three([1.1, 1.09, 1.08]) }, 'size-plateau')).toBe('reproduced');
    expect(verdict({ ...empty, size: three([1.1, 0.9, 0.7]) }, 'size-plateau')).toBe('not-reproduced');
    expect(verdict({ ...empty, size: falling }, 'size-500')).toBe('inconclusive');
  },
);

test(
  'the delay claims: a graded rise with growing spread is reproduced; a level 40 % below the authors (outside ' +
    'their mean ± error) is not',
  () => {
    const ds = [25, 50, 75, 100, 125, 150, 170];
    const graded = ds.map((d, i) => point(d, [0.99, 1.27, 1.5, 1.74, 1.76, 1.75, 1.8][i], 12, 0.03 + 0.02 * i));
    expect(verdict({ ...empty, delay: graded }, 'delay')).toBe('reproduced');
    expect(verdict({ ...empty, delay: graded }, 'delay-spread')).toBe('reproduced');
    expect(verdict({ ...empty, delay: graded }, 'distance-level')).toBe('reproduced');
    const lower = graded.map((p) => ({ ...p, mean: p.mean * 0.6 }));
    expect(verdict({ ...empty, delay: lower.map((p) => point(p.x, p.mean, 12, p.sd)) }, 'distance-level')).toBe(
      'not-reproduced',
    );
    // A spread that does not grow: equal SDs everywhere, the interval of ρ(delay, SD) holds 0 and 0.5.
    const even = ds.map((d, i) => point(d, 1 + 0.1 * i, 12, 0.1));
    expect(verdict({ ...empty, delay: even }, 'delay-spread')).toBe('inconclusive');
  },
);

test(
  'the damage claims: per-network onsets around 12 % (as the authors) are reproduced, onsets around 22 % are not; ' +
    'no onsets is inconclusive',
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
    const around12 = [10, 12, 14, 11, 13, 12];
    expect(verdict({ ...empty, damage: steep, damageOnsets: around12 }, 'damage-onset')).toBe('reproduced');
    expect(verdict({ ...empty, damage: steep, damageOnsets: around12.map((x) => x + 10) }, 'damage-onset')).toBe(
      'not-reproduced',
    );
    // 11 most fragile per network: 7 of 8 is above 1/4 (no level special); 2 of 8 holds it; 0 of 20 is below it.
    const nets = (k: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ fragile: i < k ? '11' : '00', bands: 0.3, cumulative: 1 }));
    expect(verdict({ ...empty, damage: steep, damageNetworks: nets(7, 8) }, 'damage-11-fragile')).toBe('reproduced');
    expect(verdict({ ...empty, damage: steep, damageNetworks: nets(2, 8) }, 'damage-11-fragile')).toBe('inconclusive');
    expect(verdict({ ...empty, damage: steep, damageNetworks: nets(0, 20) }, 'damage-11-fragile')).toBe(
      'not-reproduced',
    );
    expect(verdict({ ...empty, damage: steep, damageNetworks: nets(4, 4) }, 'damage-11-fragile')).toBe('inconclusive');
    const fragileClaim = assessClaims({ ...empty, damage: steep, damageNetworks: nets(7, 8) }).find(
      (c) => c.id === 'damage-11-fragile',
    )!;
    expect(fragileClaim.interval).toEqual(proportionInterval(fragileClaim.interval!.statistic, 7, 8));
    // no per-network onsets (every network never doubled, or none measured)
    expect(verdict({ ...empty, damage: rows(() => 0.25) }, 'damage-onset')).toBe('inconclusive');
    expect(
      verdict({ ...empty, damage: steep.map((r) => ({ ...r, networks: 2 })), damageOnsets: [12, 12] }, 'damage-onset'),
    ).toBe('inconclusive');
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

/** Damage rows at the largest threshold: positive-only removal 5, negative-only 6 at every level. */
const signRows = (networks: number) =>
  ['positive', 'negative'].map((protocol, k) => ({
    protocol: protocol as 'positive' | 'negative',
    threshold: 0.04,
    fractionRemoved: 0.2,
    networks,
    distance: { '00': 5 + k, '11': 5 + k, '10': 5 + k, '01': 5 + k },
  }));

test('the damage-sign claim reports the per-network count and its sign test beside the means', () => {
  const rows = signRows(10);
  const c = assessClaims({ ...empty, damage: rows, damageSign: { networks: 10, positiveWorse: 4 } }).find(
    (x) => x.id === 'damage-sign',
  )!;
  expect(c.rnnlab).toBe(
    'positive-only 5.00, negative-only 6.00; positive-only worse in 4 of 10 networks (sign test p = 0.754)',
  );
});

test('the intervals: Clopper–Pearson and Fisher against R (binom.test(3, 10), the tea-tasting table)', () => {
  // R 4: binom.test(3, 10)$conf.int = 0.06673951 0.65245285; fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857
  const iv = proportionInterval('p', 3, 10);
  expect(iv.lo).toBeCloseTo(0.06673951, 7);
  expect(iv.hi).toBeCloseTo(0.65245285, 7);
  expect(proportionInterval('p', 0, 10).lo).toBe(0);
  expect(proportionInterval('p', 10, 10).hi).toBe(1);
  expect(fisherExactP(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
  expect(fisherExactP(10, 0, 0, 10)).toBeLessThan(1e-4);
});

test('the bootstrap: seeded (same interval twice), stratified, and covering the mean of a spread sample', () => {
  const g = spread(5, 20, 1);
  const mean = (gs: readonly Float64Array[]) => gs[0].reduce((a, b) => a + b, 0) / gs[0].length;
  const a = bootstrapInterval('mean', [g], mean),
    b = bootstrapInterval('mean', [g], mean);
  expect(a).toEqual(b);
  expect(a.lo).toBeLessThan(5);
  expect(a.hi).toBeGreaterThan(5);
  // the standard error is 1/√20 ≈ 0.224: the 95 % interval is about ±0.44 wide
  expect(a.hi - a.lo).toBeGreaterThan(0.6);
  expect(a.hi - a.lo).toBeLessThan(1.1);
  const sizes: number[][] = [];
  const record = (gs: readonly Float64Array[]) => (sizes.push(gs.map((x) => x.length)), 0);
  bootstrapInterval('sizes', [g, [1, 2, 3]], record, { resamples: 5 });
  expect(sizes.every((s) => s[0] === 20 && s[1] === 3)).toBe(true);
  expect(Number.isNaN(bootstrapInterval('nan', [g], () => NaN).lo)).toBe(true);
});

test('judgeInterval: an effect on the authors side, no effect, and an interval that holds both', () => {
  const scale = { none: 0, side: 1 as const, meaningful: 0.3, strong: 0.6 };
  const iv = (estimate: number, lo: number, hi: number) =>
    ({ statistic: 's', estimate, lo, hi, level: 0.95, method: 'bootstrap' }) as const;
  expect(judgeInterval(iv(0.8, 0.5, 0.9), scale, true)).toMatchObject({ reproduced: true });
  expect(judgeInterval(iv(0.4, 0.1, 0.7), scale, true)).toMatchObject({ reproduced: false, partly: true });
  expect(judgeInterval(iv(0.0, -0.2, 0.2), scale, true)).toMatchObject({ reproduced: false, partly: false });
  expect(judgeInterval(iv(0.3, -0.1, 0.7), scale, true)).toMatchObject({ undecided: true });
  expect(judgeInterval(iv(0.8, 0.5, 0.9), scale, false)).toMatchObject({ enough: false });
});

type Entry = Partial<DiversityRow['learning'][number]>;
/** A diversity cell whose per-network learning entries are given (the rest fixed, plausible values). */
const learningRow = (task: string, init: string, entries: Entry[]): DiversityRow => ({
  task,
  init,
  networks: entries.length,
  solved: entries.length,
  epochs: 20,
  dominantReal: entries.filter((e) => e.lambdaKind === 'real').length,
  dominantComplex: entries.filter((e) => e.lambdaKind !== 'real').length,
  radiusBefore: 1,
  radiusAfter: 1.1,
  outsideBefore: 0,
  outsideAfter: 5,
  lateBehaviour: {},
  divergedAfterLearning: 0,
  learning: entries.map((e, i) => ({
    id: `${task}-${init}-${i}`,
    bestEpoch: 20,
    bestLoss: 1e-3,
    finalLoss: 1e-3,
    diverged: false,
    accuracy: 1,
    relativeChange: 0.1,
    atBestEpoch: null,
    ...e,
  })),
  degeneracy: null,
  weights: { stdBefore: 0.14, stdAfter: 0.14, kurtosisBefore: 3, kurtosisAfter: 3, relativeChange: 0.1 },
});

test('dynamics-classes tests the association of λ* kind and late behaviour per network', () => {
  const nets = (kind: 'real' | 'complex', osc: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ lambdaKind: kind, oscillates: i < osc }));
  const row = (learning: Entry[]) => learningRow('and', 'normal', learning);
  const associated = [row([...nets('complex', 19, 20), ...nets('real', 1, 20)])];
  expect(verdict({ ...empty, diversity: associated }, 'dynamics-classes')).toBe('reproduced');
  // the medium run's table: 12 of 22 complex and 20 of 48 real oscillate (Fisher p ≈ 0.44)
  const medium = [row([...nets('complex', 12, 22), ...nets('real', 20, 48)])];
  const c = assessClaims({ ...empty, diversity: medium }).find((x) => x.id === 'dynamics-classes')!;
  expect(c.verdict).toBe('inconclusive');
  expect(c.rnnlab).toMatch(/Fisher's exact p = 0\.4/);
  // no association, and enough networks (100 of each kind) that the interval excludes a difference of 0.2
  const none = [row([...nets('complex', 50, 100), ...nets('real', 50, 100)])];
  expect(verdict({ ...empty, diversity: none }, 'dynamics-classes')).toBe('not-reproduced');
});

test('ff-states counts the flip-flop networks holding one final state on a fixed point, the other oscillating', () => {
  const ff = (lateBehaviour: Record<string, number>) => ({
    ...learningRow(
      'ff',
      'orthogonal',
      Array.from({ length: 6 }, () => ({})),
    ),
    lateBehaviour,
  });
  const r = (...cells: Array<Record<string, number>>) => ({ ...empty, diversity: cells.map(ff) });
  const some = r({ 'ends 1:FP ends 0:OSC': 2, 'ends 1:FP ends 0:FP': 3 }, { 'ends 1:OSC ends 0:FP': 1 });
  const c = assessClaims(some).find((x) => x.id === 'ff-states')!;
  expect(c.verdict).toBe('reproduced');
  expect(c.rnnlab).toMatch(/^3 of 6 networks mix a fixed point and an oscillation \(2 as #06/);
  expect(c.rnnlab).toMatch(/after Set 5 FP, 1 OSC; after Reset 4 FP, 2 OSC$/);
  const iv = c.interval!,
    want = proportionInterval('', 3, 6);
  expect([iv.estimate, iv.lo, iv.hi]).toEqual([want.estimate, want.lo, want.hi]);
  expect(verdict(r({ 'ends 1:FP ends 0:FP': 6 }), 'ff-states')).toBe('not-reproduced');
  expect(verdict(r({ 'ends 1:FP ends 0:OSC': 4 }), 'ff-states')).toBe('inconclusive'); // 4 networks: too few
  expect(verdict(r({ 'sequence:FP': 6 }), 'ff-states')).toBe('inconclusive'); // not split by final state
});

test('robustness-noise compares the noise-free control with the noise-trained networks, per network', () => {
  const noiseRow = (trainedNoise: number, d0: number[], d1: number[]) => ({
    task: 'and',
    init: 'normal',
    networks: d0.length,
    trainedNoise,
    distance: { '0': d0[0], '0.1': d1[0], '0.2': d1[0] },
    perNetwork: { '0': d0, '0.1': d1, '0.2': d1 },
  });
  // six networks each; the second list is shuffled against the first, so the per-network ratios spread
  const five = (v: number) => [v, v * 1.05, v * 0.95, v * 1.1, v * 0.9, v];
  const mixed = (v: number) => [v * 1.1, v * 0.9, v, v * 1.05, v, v * 0.95];
  const withNoise = noiseRow(0.1, five(0.4), mixed(0.6));
  const collapse = noiseRow(0, five(0.35), mixed(6.9));
  const r = (noise: ReturnType<typeof noiseRow>[]) => ({ ...empty, robustness: { noise, transfer: [] } });
  expect(verdict(r([withNoise, collapse]), 'robustness-noise')).toBe('reproduced');
  expect(verdict(r([withNoise, noiseRow(0, five(0.4), mixed(0.62))]), 'robustness-noise')).toBe('not-reproduced');
  expect(verdict(r([withNoise]), 'robustness-noise')).toBe('inconclusive');
});

test('damage-sign reads the exact interval of the fraction: 3 of 10 holds 1/2, 18 of 20 does not', () => {
  const rows = signRows(20);
  const v = (positiveWorse: number, networks: number) =>
    verdict({ ...empty, damage: rows, damageSign: { networks, positiveWorse } }, 'damage-sign');
  expect(v(3, 10)).toBe('inconclusive');
  expect(['reproduced', 'not-reproduced']).toContain(v(18, 20));
  expect(v(18, 20)).not.toBe(v(2, 20));
});

test('delay-saturation: a curve that flattens after 100 ms is reproduced, a straight rise is not', () => {
  const ds = [25, 50, 75, 100, 125, 150, 170];
  const flattening = ds.map((d, i) => point(d, [1, 1.25, 1.5, 1.75, 1.77, 1.78, 1.8][i], 12, 0.05));
  const straight = ds.map((d) => point(d, 1 + 0.01 * (d - 25), 12, 0.05));
  expect(verdict({ ...empty, delay: flattening }, 'delay-saturation')).toBe('reproduced');
  expect(verdict({ ...empty, delay: straight }, 'delay-saturation')).toBe('not-reproduced');
  expect(verdict({ ...empty, delay: flattening.filter((p) => p.x !== 100) }, 'delay-saturation')).toBe('inconclusive');
});

describe('rows built from per-network learning entries', () => {
  const row = learningRow;

  test('osc-period: λ* periods around the 35-ms target are reproduced; around 50 ms they are not', () => {
    const periods = (c: number) => [c - 1, c, c + 0.5, c + 1, c - 0.5, c + 2].map((p) => ({ lambdaPeriodMs: p }));
    const r = (c: number) => ({ ...empty, oscTargetPeriodMs: 35, diversity: [row('osc', 'orthogonal', periods(c))] });
    expect(verdict(r(35.5), 'osc-period')).toBe('reproduced');
    expect(verdict(r(50), 'osc-period')).toBe('not-reproduced');
    const realOnly = { ...r(35), diversity: [row('osc', 'normal', [{ lambdaPeriodMs: null }])] };
    expect(verdict(realOnly, 'osc-period')).toBe('inconclusive');
  });

  test('init-outcomes: equal distances under both initialisations are reproduced, twice as far is not', () => {
    const nets = (d: number) => [0.9, 1, 1.1, 0.95, 1.05].map((k) => ({ meanDistance: k * d }));
    const cells = (ratio: number) =>
      ['and', 'xor', 'pulse'].flatMap((t) => [row(t, 'normal', nets(ratio)), row(t, 'orthogonal', nets(1))]);
    expect(verdict({ ...empty, diversity: cells(1) }, 'init-outcomes')).toBe('reproduced');
    expect(verdict({ ...empty, diversity: cells(2.5) }, 'init-outcomes')).toBe('not-reproduced');
    expect(verdict({ ...empty, diversity: cells(1).slice(0, 4) }, 'init-outcomes')).toBe('inconclusive');
  });
});

test('the noise floor E‖n‖₂ of N(0, σ² I_T): exact for T = 1 and 2, and √(T − 1/2)·σ to 1e-3 for large T', () => {
  expect(noiseFloor(1, 1)).toBeCloseTo(Math.sqrt(2 / Math.PI), 12); // E|n| of a standard normal
  expect(noiseFloor(1, 2)).toBeCloseTo(Math.sqrt(Math.PI / 2), 12); // the Rayleigh mean
  expect(noiseFloor(0.03, 300) / (0.03 * Math.sqrt(299.5))).toBeCloseTo(1, 3);
  expect(noiseFloor(0.1, 100)).toBeCloseTo(0.9975, 4);
});

test('the count rules carry the exact interval of what they count (learning, spectra, weights, diversity)', () => {
  const calm = { stdBefore: 0.14, stdAfter: 0.14, kurtosisBefore: 3, kurtosisAfter: 3, relativeChange: 0.1 };
  const cell = (task: string, init: string, over: Partial<DiversityRow>): DiversityRow => ({
    task,
    init,
    networks: 10,
    solved: 10,
    epochs: 4,
    dominantReal: 10,
    dominantComplex: 0,
    radiusBefore: 1,
    radiusAfter: 1.1,
    outsideBefore: 0,
    outsideAfter: 4,
    lateBehaviour: { FP: 10 },
    divergedAfterLearning: 0,
    learning: [],
    degeneracy: null,
    weights: calm,
    ...over,
  });
  const diversity = [
    cell('and', 'orthogonal', { solved: 7 }), // the weakest task, and the weaker initialisation: 7 + 10 of 20
    cell('or', 'orthogonal', { outsideAfter: 0 }), // not pushed out
    cell('and', 'normal', { radiusAfter: 0.9, lateBehaviour: { FP: 5, OSC: 5 } }), // shrank; diverse
    cell('or', 'normal', {
      weights: { stdBefore: 0.14, stdAfter: 0.1, kurtosisBefore: 3, kurtosisAfter: 3, relativeChange: 0.1 },
    }),
  ];
  const claims = assessClaims({ ...empty, diversity });
  const iv = (id: string) => claims.find((c) => c.id === id)!.interval!;
  const same = (id: string, k: number, n: number) => {
    const want = proportionInterval('', k, n);
    const got = iv(id);
    expect([got.estimate, got.lo, got.hi, got.method]).toEqual([want.estimate, want.lo, want.hi, 'exact']);
  };
  same('tasks-learned', 17, 20); // and: 7 + 10 solved of 20
  expect(iv('tasks-learned').statistic).toContain('(and)');
  same('init-comparison', 17, 20); // orthogonal: 7 + 10
  expect(iv('init-comparison').statistic).toContain('(orthogonal)');
  same('spectrum-outside', 1, 2); // of the two orthogonal cells, 'and' goes from 0 to 4
  same('spectrum-radius', 1, 2); // of the two normal cells, 'or' grew
  same('weights', 3, 4); // one cell's σ moved by 29 %
  same('diversity', 1, 4); // one cell holds two late behaviours
});

test('damage-bands: the ratio of band to cumulative cuts over networks, with its bootstrap interval', () => {
  const thr = [0, 0.02, 0.04];
  const curve = (protocol: 'positive' | 'negative' | 'positive-band' | 'negative-band', top: number) =>
    thr.map((t, k) => ({
      protocol,
      threshold: t,
      fractionRemoved: t,
      networks: 6,
      distance: { '00': k === 2 ? top : 0.25, '11': k === 2 ? top : 0.25, '10': 0.25, '01': 0.25 },
    }));
  const damage = [
    ...curve('positive', 1),
    ...curve('negative', 1),
    ...curve('positive-band', 0.4),
    ...curve('negative-band', 0.4),
  ];
  const nets = (ratios: number[]) => ratios.map((q) => ({ fragile: '11', bands: q, cumulative: 1 }));
  const mild = nets([0.3, 0.35, 0.4, 0.45, 0.5, 0.3]);
  expect(verdict({ ...empty, damage, damageNetworks: mild }, 'damage-bands')).toBe('reproduced');
  const band = assessClaims({ ...empty, damage, damageNetworks: mild }).find((c) => c.id === 'damage-bands')!;
  expect(band.interval!.estimate).toBeCloseTo(2.3 / 6, 12);
  expect(band.interval!.hi).toBeLessThan(1);
  expect(verdict({ ...empty, damage, damageNetworks: nets([0.7, 0.75, 0.8, 0.85, 0.9, 0.8]) }, 'damage-bands')).toBe(
    'partly',
  );
  expect(verdict({ ...empty, damage, damageNetworks: nets([1.5, 1.6, 1.4, 1.7, 1.5, 1.6]) }, 'damage-bands')).toBe(
    'not-reproduced',
  );
  expect(verdict({ ...empty, damage, damageNetworks: nets([0.3, 1.8, 0.4, 1.7, 0.5, 1.6]) }, 'damage-bands')).toBe(
    'inconclusive',
  );
  expect(verdict({ ...empty, damage, damageNetworks: nets([0.3, 0.3]) }, 'damage-bands')).toBe('inconclusive');
});

test('robustness-delay: per network, other delays over its own, pooled over trained delays, with an interval', () => {
  const row = (trainedAt: number, own: number[], other: number[]) => ({
    trainedAt,
    networks: own.length,
    distance: { [trainedAt]: mean(own), 999: mean(other) },
    perNetwork: { [trainedAt]: own, 999: other },
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const r = (transfer: TransferRow[]) => ({ ...empty, robustness: { noise: [], transfer } });
  const own = [1, 1.1, 0.9, 1, 1.05];
  const far = [
    row(
      20,
      own,
      own.map((d) => 2.6 * d),
    ),
    row(
      50,
      own,
      own.map((d) => 2.4 * d),
    ),
  ];
  expect(verdict(r(far), 'robustness-delay')).toBe('reproduced');
  const claim = assessClaims(r(far)).find((c) => c.id === 'robustness-delay')!;
  expect(claim.interval!.estimate).toBeCloseTo(Math.sqrt(2.6 * 2.4), 12);
  const same = [row(20, own, [1.02, 1.08, 0.93, 0.98, 1.04]), row(50, own, [0.98, 1.12, 0.9, 1.02, 1.03])];
  expect(verdict(r(same), 'robustness-delay')).toBe('not-reproduced');
  expect(verdict(r(far.slice(0, 1)), 'robustness-delay')).toBe('inconclusive');
  // A merge without per-network rows (before this rule) gives no interval and no verdict.
  expect(verdict(r(far.map(({ perNetwork: _p, ...rest }) => rest)), 'robustness-delay')).toBe('inconclusive');
});

test('size-500 compares N = 500 with the N = 180–450 plateau, networks pooled, with a bootstrap interval', () => {
  const base = [50, 100, 180, 250, 350, 450].map((N) => point(N, N < 180 ? 1.5 : 1, 12, 0.05));
  expect(verdict({ ...empty, size: [...base, point(500, 1.2, 12, 0.05)] }, 'size-500')).toBe('reproduced');
  expect(verdict({ ...empty, size: [...base, point(500, 0.8, 12, 0.05)] }, 'size-500')).toBe('not-reproduced');
  expect(verdict({ ...empty, size: [...base, point(500, 1.0, 12, 0.3)] }, 'size-500')).toBe('inconclusive');
  expect(verdict({ ...empty, size: [...base, point(500, 1.2, 3, 0.05)] }, 'size-500')).toBe('inconclusive');
});

test('a claim whose statistic cannot be computed (nothing measured in this scale) shows no interval', () => {
  for (const c of assessClaims(empty)) if (c.interval) expect(Number.isFinite(c.interval.estimate)).toBe(true);
  expect(assessClaims(empty).find((c) => c.id === 'size-500')!.interval).toBeNull();
});
