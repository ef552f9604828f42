/** Claims about learning itself: every task and both initialisations train, spectra, weights, kinds of solution. */
import type { ClaimInputs, DiversityRow } from '../rows';
import { f, judgeInterval, mean, pct, type ClaimRule } from './rule';
import { bootstrapInterval, fisherExactP, proportionInterval } from './stats';

const networks = (rows: readonly DiversityRow[]) => rows.reduce((a, d) => a + d.networks, 0);

const tasksLearned: ClaimRule = {
  id: 'tasks-learned',
  claim: 'Small tanh RNNs (N = 50) trained with Adam on MSE learn AND, OR, XOR, NOT, flip-flop, oscillation and pulse',
  authors: 'one stored N = 50 network per task solves it (paper-spec §2.3, §5.4); 20 trained per condition',
  note:
    'reproduced: all 7 tasks, each solved (accuracy ≥ 90 % on fresh trials) by ≥ 80 % of its networks; ' +
    'inconclusive below 3 networks per task',
  assess(r) {
    const byTask = new Map<string, { solved: number; n: number }>();
    for (const d of r.diversity) {
      const t = byTask.get(d.task) ?? { solved: 0, n: 0 };
      t.solved += d.solved;
      t.n += d.networks;
      byTask.set(d.task, t);
    }
    const fracs = [...byTask.values()].map((t) => t.solved / t.n);
    const worst = [...byTask.entries()].sort(([, a], [, b]) => a.solved / a.n - b.solved / b.n)[0];
    return {
      rnnlab: [...byTask.entries()].map(([k, t]) => `${k} ${pct(t.solved, t.n)}`).join(', ') || 'no diversity records',
      n: networks(r.diversity),
      grade: {
        enough: byTask.size > 0 && [...byTask.values()].every((t) => t.n >= 3),
        reproduced: byTask.size >= 7 && fracs.every((x) => x >= 0.8),
        partly: fracs.every((x) => x > 0),
      },
      ...(worst
        ? { interval: proportionInterval(`solved, the weakest task (${worst[0]})`, worst[1].solved, worst[1].n) }
        : {}),
    };
  },
};

const initComparison: ClaimRule = {
  id: 'init-comparison',
  claim: 'Both initialisations of W_rec, random normal (σ = 1/√N) and orthogonal, train every task',
  authors: 'both used (normal: AND ran_nor_07, N = 500 AND; orthogonal: the other stored nets)',
  note:
    'reproduced: each initialisation solves ≥ 80 % of its networks; inconclusive below 5 networks per ' +
    'initialisation',
  assess(r) {
    const byInit = (init: string) => {
      const rows = r.diversity.filter((d) => d.init === init);
      return { solved: rows.reduce((a, d) => a + d.solved, 0), n: networks(rows) };
    };
    const nrm = byInit('normal'),
      ort = byInit('orthogonal');
    const [name, weaker] = nrm.solved / nrm.n <= ort.solved / ort.n ? ['normal', nrm] : ['orthogonal', ort];
    return {
      rnnlab: `normal ${pct(nrm.solved, nrm.n)} solved, orthogonal ${pct(ort.solved, ort.n)}`,
      n: nrm.n + ort.n,
      grade: {
        enough: nrm.n >= 5 && ort.n >= 5,
        reproduced: nrm.solved / nrm.n >= 0.8 && ort.solved / ort.n >= 0.8,
        partly: nrm.solved > 0 && ort.solved > 0,
      },
      interval: proportionInterval(`solved, the weaker initialisation (${name})`, weaker.solved, weaker.n),
    };
  },
};

const spectrumOutside: ClaimRule = {
  id: 'spectrum-outside',
  claim: 'From an orthogonal start (every |λ| = 1), training pushes a few eigenvalues outside the unit circle',
  authors: '0 → 2–18 outside (|λ| > 1 + 1e-6) for the stored N = 50 orthogonal nets (paper-spec §9.1)',
  note: 'means per task; reproduced: in ≥ 80 % of the tasks the mean goes from < 0.5 to between 1 and 30',
  assess(r) {
    const rows = r.diversity.filter((d) => d.init === 'orthogonal');
    const pushedOut = rows.filter((d) => d.outsideBefore < 0.5 && d.outsideAfter >= 1 && d.outsideAfter <= 30);
    return {
      rnnlab: rows.map((d) => `${d.task} ${f(d.outsideBefore, 1)} → ${f(d.outsideAfter, 1)}`).join(', ') || 'none',
      n: networks(rows),
      grade: {
        enough: rows.length > 0,
        reproduced: pushedOut.length >= 0.8 * rows.length,
        partly: pushedOut.length > 0,
      },
      interval: proportionInterval('fraction of tasks pushed out', pushedOut.length, rows.length),
    };
  },
};

const spectrumRadius: ClaimRule = {
  id: 'spectrum-radius',
  claim: 'From a random-normal start (radius ≈ 1), training leaves the bulk and enlarges the spectral radius a little',
  authors: 'AND ran_nor_07: 1.116 → 1.227; N = 500: 1.044 → 1.087 (paper-spec §9.1)',
  note: 'mean radius per task; reproduced: it grows in ≥ 80 % of the tasks',
  assess(r) {
    const rows = r.diversity.filter((d) => d.init === 'normal');
    const grew = rows.filter((d) => d.radiusAfter > d.radiusBefore);
    return {
      rnnlab: rows.map((d) => `${d.task} ${f(d.radiusBefore, 3)} → ${f(d.radiusAfter, 3)}`).join(', ') || 'none',
      n: networks(rows),
      grade: { enough: rows.length > 0, reproduced: grew.length >= 0.8 * rows.length, partly: grew.length > 0 },
      interval: proportionInterval('fraction of tasks whose radius grew', grew.length, rows.length),
    };
  },
};

const weights: ClaimRule = {
  id: 'weights',
  claim: 'Training barely changes the weight distribution: near-Gaussian, σ unchanged, small rms changes',
  authors: 'N = 50 stored nets: rms ΔW 6–13 % of σ = 0.1414, σ after 0.138–0.143, kurtosis 2.8–3.1 (paper-spec §4.3)',
  note: 'reproduced: in every cell the rms change is 3–20 % of σ and σ moves by < 5 %',
  assess(r) {
    const cells = r.diversity.filter((d) => d.weights && Number.isFinite(d.weights.relativeChange));
    const calm = cells.filter(
      (d) =>
        d.weights.relativeChange >= 0.03 &&
        d.weights.relativeChange <= 0.2 &&
        Math.abs(d.weights.stdAfter / d.weights.stdBefore - 1) < 0.05,
    );
    const range = (v: number[], scale: number, digits: number) =>
      `${f(scale * Math.min(...v), digits)}–${f(scale * Math.max(...v), digits)}`;
    const w = (k: keyof DiversityRow['weights']) => cells.map((d) => d.weights[k]);
    return {
      rnnlab: cells.length
        ? `rms ΔW ${range(w('relativeChange'), 100, 1)} % of σ; σ after ${range(w('stdAfter'), 1, 3)}; ` +
          `kurtosis after ${range(w('kurtosisAfter'), 1, 2)}`
        : 'no diversity records',
      n: networks(cells),
      grade: { enough: cells.length > 0, reproduced: calm.length === cells.length, partly: calm.length > 0 },
      interval: proportionInterval('fraction of cells within the bounds', calm.length, cells.length),
    };
  },
};

const dynamicsClasses: ClaimRule = {
  id: 'dynamics-classes',
  claim:
    'Solutions come in two kinds: λ* = argmax Re λ real goes with fixed points, complex with oscillations ' +
    '(the association, per network)',
  authors:
    'among the 11 stored nets, λ* real for 6 and complex for 5; fixed points and oscillations per trial type (§4.2)',
  note:
    'per network of the diversity experiment: P(some trial type oscillates | λ* complex) − P(… | λ* real), with its ' +
    "bootstrap interval (stratified by λ* kind) and Fisher's exact p: reproduced when the interval lies above 0 " +
    'and the difference reaches 0.5; partly above 0 otherwise; not reproduced when it lies below 0.2; inconclusive ' +
    'between',
  assess(r) {
    const nets = r.diversity.flatMap((d) => d.learning).filter((l) => l.lambdaKind !== undefined);
    const osc = (kind: string) => nets.filter((l) => l.lambdaKind === kind).map((l) => (l.oscillates ? 1 : 0));
    const complex = osc('complex'),
      real = osc('real');
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    const interval = bootstrapInterval(
      'P(oscillates | λ* complex) − P(oscillates | λ* real)',
      complex.length && real.length ? [complex, real] : [],
      (gs) => (gs.length === 2 ? mean(gs[0]) - mean(gs[1]) : NaN),
    );
    const c1 = sum(complex),
      r1 = sum(real);
    const p = fisherExactP(c1, complex.length - c1, r1, real.length - r1);
    return {
      rnnlab:
        `λ* complex: ${pct(c1, complex.length)} oscillate after some trial type; λ* real: ${pct(r1, real.length)} ` +
        `(Fisher's exact p = ${f(p, 3)})`,
      n: nets.length,
      grade: judgeInterval(
        interval,
        { none: 0, side: 1, meaningful: 0.2, strong: 0.5 },
        complex.length >= 5 && real.length >= 5,
      ),
      interval,
    };
  },
};

const median = (v: Float64Array) => {
  const s = Array.from(v).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const oscPeriod: ClaimRule = {
  id: 'osc-period',
  claim: "The oscillation network's λ* sets its rhythm: the period 2π/arg λ* matches the target's (OSC, N = 50)",
  authors: 'OSC orthogonal #01: λ* = 1.089 + 0.190i, period 36 ms against the 35-ms target (paper-spec §4.2)',
  note:
    'over the OSC networks with complex λ*, the median period and its bootstrap interval: reproduced when the ' +
    'interval meets the target ± 10 %, not reproduced when it does not; the networks with real λ* are counted',
  assess(r) {
    const nets = r.diversity.filter((d) => d.task === 'osc').flatMap((d) => d.learning);
    const periods = nets.flatMap((l) => (typeof l.lambdaPeriodMs === 'number' ? [l.lambdaPeriodMs] : []));
    const target = r.oscTargetPeriodMs ?? NaN;
    const interval = bootstrapInterval('median λ* period [ms]', periods.length ? [periods] : [], (gs) =>
      gs.length ? median(gs[0]) : NaN,
    );
    const within = periods.filter((p) => Math.abs(p / target - 1) <= 0.1).length;
    return {
      rnnlab: nets.length
        ? `target ${f(target, 1)} ms; ${periods.length} of ${nets.length} networks have a complex λ*, periods ` +
          `${[...periods]
            .sort((a, b) => a - b)
            .map((p) => f(p, 1))
            .join(', ')} ms; ${within} within ±10 %`
        : 'no OSC networks yet',
      n: nets.length,
      grade: {
        enough: periods.length >= 5 && Number.isFinite(target),
        reproduced: interval.hi >= 0.9 * target && interval.lo <= 1.1 * target,
      },
      interval,
    };
  },
};

/** Each flip-flop network's late behaviour per final state ("ends 1": FP …), read off its cell's patterns. */
function flipFlopStates(r: ClaimInputs): Array<Record<string, string>> {
  return r.diversity
    .filter((d) => d.task === 'ff')
    .flatMap((d) =>
      Object.entries(d.lateBehaviour).flatMap(([pattern, n]) => {
        const states = Object.fromEntries(
          [...pattern.matchAll(/(ends [^:]+):(FP|OSC|CHAOS)/g)].map((m) => [m[1], m[2]]),
        );
        return Array.from({ length: n }, () => states);
      }),
    );
}

const ffStates: ClaimRule = {
  id: 'ff-states',
  claim:
    'One network can hold one trial type on a fixed point and another on an oscillation the output ignores ' +
    '(the flip-flop, per trial type)',
  authors: 'FF orthogonal #06: after Set a fixed point (output 0.95), after Reset an oscillation (output 0) (§4.2)',
  note:
    'per flip-flop network, free runs after a noise-free trial ending Set (1) and one ending Reset (0); the ' +
    'statistic is the fraction of networks whose two states differ in kind (one fixed point, one oscillation), ' +
    'with its exact interval: reproduced when some network does, not reproduced when none of at least 5 does',
  assess(r) {
    const nets = flipFlopStates(r).filter((s) => 'ends 1' in s && 'ends 0' in s);
    const kinds = (s: Record<string, string>) => new Set([s['ends 1'], s['ends 0']]);
    const mixed = nets.filter((s) => kinds(s).has('FP') && kinds(s).has('OSC')).length;
    const count = (state: string, kind: string) => nets.filter((s) => s[state] === kind).length;
    const asAuthors = nets.filter((s) => s['ends 1'] === 'FP' && s['ends 0'] === 'OSC').length;
    return {
      rnnlab: nets.length
        ? `${mixed} of ${nets.length} networks mix a fixed point and an oscillation (${asAuthors} as #06: Set FP, ` +
          `Reset OSC); after Set ${count('ends 1', 'FP')} FP, ${count('ends 1', 'OSC')} OSC; after Reset ` +
          `${count('ends 0', 'FP')} FP, ${count('ends 0', 'OSC')} OSC`
        : 'no flip-flop networks with their late behaviour per final state',
      n: nets.length,
      grade: { enough: nets.length >= 5, reproduced: mixed > 0 },
      interval: proportionInterval('fraction of flip-flop networks mixing FP and OSC', mixed, nets.length),
    };
  },
};

/** Per task with both initialisations, the networks' mean distances under each. */
function initPairs(r: ClaimInputs): Array<{ task: string; normal: number[]; orthogonal: number[] }> {
  const d = (task: string, init: string) =>
    r.diversity
      .filter((row) => row.task === task && row.init === init)
      .flatMap((row) => row.learning.flatMap((l) => (l.meanDistance === undefined ? [] : [l.meanDistance])));
  return [...new Set(r.diversity.map((row) => row.task))]
    .map((task) => ({ task, normal: d(task, 'normal'), orthogonal: d(task, 'orthogonal') }))
    .filter((p) => p.normal.length > 0 && p.orthogonal.length > 0);
}

const initOutcomes: ClaimRule = {
  id: 'init-outcomes',
  claim: "The two initialisations give solutions of the same quality on every task (the title's comparison)",
  authors: 'no comparison published: the stored N = 50 networks are orthogonal except one normal AND (paper-spec §1.3)',
  note:
    'per task, the ratio of mean distances normal / orthogonal; the statistic is its geometric mean over tasks with ' +
    'a bootstrap interval (stratified by task and initialisation): reproduced when the interval lies within ' +
    '[0.67, 1.5], not reproduced when it lies outside, inconclusive otherwise; the per-task ratios are listed',
  assess(r) {
    const pairs = initPairs(r);
    const geometric = (gs: readonly Float64Array[]) => {
      let s = 0;
      for (let i = 0; i < gs.length; i += 2) s += Math.log(mean(gs[i]) / mean(gs[i + 1]));
      return Math.exp(s / (gs.length / 2));
    };
    const interval = bootstrapInterval(
      'geometric mean over tasks of d(normal) / d(orthogonal)',
      pairs.flatMap((p) => [p.normal, p.orthogonal]),
      (gs) => (gs.length ? geometric(gs) : NaN),
    );
    const per = pairs.map((p) => `${p.task} ${f(mean(p.normal) / mean(p.orthogonal))}`);
    const inside = interval.lo >= 1 / 1.5 && interval.hi <= 1.5,
      outside = interval.lo > 1.5 || interval.hi < 1 / 1.5;
    return {
      rnnlab: pairs.length
        ? `d(normal)/d(orthogonal) per task: ${per.join(', ')}`
        : 'no task with both initialisations',
      n: r.diversity.reduce((a, d) => a + d.networks, 0),
      grade: { enough: pairs.length >= 3, reproduced: inside, undecided: !inside && !outside },
      interval,
    };
  },
};

const diversity: ClaimRule = {
  id: 'diversity',
  claim: 'Networks trained on the same task reach different dynamics (diversity of solutions)',
  authors: 'AND #04 (10/01 oscillate) vs #14 (all fixed points) vs ran_nor_07 (§4.2)',
  note: 'cells with ≥ 3 networks; reproduced: at least half of them are diverse; see also the degeneracy columns',
  assess(r) {
    const cells = r.diversity.filter((d) => d.networks >= 3);
    const diverse = cells.filter(
      (d) => Object.keys(d.lateBehaviour).length >= 2 || (d.dominantReal > 0 && d.dominantComplex > 0),
    );
    const which = diverse.map((d) => `${d.task}/${d.init}`).join(', ') || 'none';
    return {
      rnnlab:
        `${diverse.length} of ${cells.length} task × initialisation cells hold more than one late-behaviour ` +
        `pattern or both kinds of λ*: ${which}`,
      n: networks(cells),
      grade: {
        enough: cells.length >= 2,
        reproduced: diverse.length >= cells.length / 2,
        partly: diverse.length > 0,
      },
      interval: proportionInterval('fraction of cells that are diverse', diverse.length, cells.length),
    };
  },
};

export const LEARNING_CLAIMS: readonly ClaimRule[] = [
  tasksLearned,
  initComparison,
  spectrumOutside,
  spectrumRadius,
  weights,
  dynamicsClasses,
  ffStates,
  oscPeriod,
  initOutcomes,
  diversity,
];
