/** Claims about the large AND networks (the authors' N = 500), on the protocol's final weights and read early. */
import { PAPER_INITS, SOLVED_ACCURACY } from '../plan';
import type { DiversityRow } from '../rows';
import { f, type ClaimRule } from './rule';
import { proportionInterval } from './stats';

/** "diverged after learning k/n" and, when k > 0, each such network's best epoch and its loss there. */
function divergedText(d: DiversityRow): string {
  const gone = d.learning.filter((l) => l.diverged);
  const best = gone.map((l) => `epoch ${l.bestEpoch} at ${l.bestLoss.toExponential(1)}`).join(', ');
  const finals = gone.map((l) => l.finalLoss.toExponential(1)).join(', ');
  return (
    `diverged after learning ` +
    `${gone.length}/${d.networks}${gone.length ? ` (best ${best}; final loss ${finals})` : ''}`
  );
}

/** The networks replayed to their best epoch, read there: how many solve, and their weight change. */
function bestEpochText(d: DiversityRow): string {
  const at = d.learning.flatMap((l) => (l.atBestEpoch ? [l.atBestEpoch] : []));
  if (at.length === 0) return '';
  const solved = at.filter((a) => a.accuracy >= SOLVED_ACCURACY).length;
  const change = at.map((a) => f(100 * a.relativeChange, 1)).join(', ');
  const distance = at.map((a) => f(a.meanDistance)).join(', ');
  return (
    `; replayed to the best epoch, ${solved}/${at.length} solve with rms ΔW ${change} % of σ and distance ` +
    `${distance}`
  );
}

/** One initialisation's large networks, as the and-500 row prints them. */
function largeText(d: DiversityRow): string {
  return (
    `${d.init}: solved ${d.solved}/${d.networks} after ${f(d.epochs, 1)} epochs, ${divergedText(d)}, ` +
    `rms ΔW ${f(100 * d.weights.relativeChange, 1)} % of σ = ${f(d.weights.stdBefore, 4)}, ` +
    `|λ| > 1: ${f(d.outsideBefore, 1)} → ${f(d.outsideAfter, 1)}, radius ${f(d.radiusBefore, 3)} → ` +
    `${f(d.radiusAfter, 3)}, λ* real ${d.dominantReal} / complex ${d.dominantComplex}${bestEpochText(d)}`
  );
}

const and500: ClaimRule = {
  id: 'and-500',
  claim: 'Large AND networks (N = 500) solve the task while W_rec barely moves',
  authors:
    'one stored N = 500 AND network per init, early checkpoints (epoch 5 normal, 2 orthogonal): both solve AND; ' +
    'rms ΔW 0.0009 = 2 % of σ = 0.0447, σ and kurtosis unchanged; normal 7 → 5 eigenvalues outside the unit circle ' +
    '(radius 1.044 → 1.087), λ* real; orthogonal λ* complex; 00/10/01 oscillate, 11 fixed point; input noise ' +
    'σ = 0 → 0.1: normal 0.273 → 0.293, orthogonal 0.232 → 2.347 (§4.2, §4.3, §9.1, §9.3)',
  note:
    'reproduced: every large network solves AND and its W_rec moves by less than 5 % of σ (rms), where N = 50 ' +
    'networks move 6–13 %. The authors stored one network per initialisation; their files are early checkpoints ' +
    "(epoch 5 normal, 2 orthogonal) and have a recurrent bias, which the current AND script (rnnlab's recipe) does " +
    "not (paper-spec §7.2). rnnlab's are the protocol's final weights after 20 epochs, and a network that learned " +
    'and then diverged counts as unsolved. The interval is that of the fraction of networks doing both (exact); the ' +
    'verdict asks for all of them',
  assess(r) {
    const large = r.large?.rows ?? [];
    const noise = (r.robustness?.noise ?? []).filter((row) => row.size !== undefined);
    const n = large.reduce((a, d) => a + d.networks, 0);
    const allSolve = large.every((d) => d.solved === d.networks);
    const barelyMoves = large.every((d) => d.weights.relativeChange < 0.05);
    const both = large
      .flatMap((d) => d.learning)
      .filter((l) => l.accuracy >= SOLVED_ACCURACY && l.relativeChange < 0.05);
    const interval = proportionInterval(
      'fraction of large networks that solve AND with rms ΔW < 5 % of σ',
      both.length,
      large.reduce((a, d) => a + d.learning.length, 0),
    );
    const noiseText = noise.length
      ? '; distance at input noise σ = 0 → 0.1: ' +
        noise.map((row) => `${row.init} ${f(row.distance['0'])} → ${f(row.distance['0.1'])}`).join(', ')
      : '';
    const rnnlab = !r.large?.size
      ? `no large AND networks in the ${r.scale} scale`
      : large.length === 0
        ? `N = ${r.large.size} planned, no records yet`
        : large.map(largeText).join('; ') + noiseText;
    return {
      rnnlab,
      n,
      grade: { enough: n >= 2, reproduced: allSolve && barelyMoves, partly: allSolve || barelyMoves },
      interval,
    };
  },
};

/**
 * The same claim read the way the authors' files are: early. A network that learned and then diverged is read at
 * its best epoch (its replay); the others at their final weights. Without a replay of every diverged network the
 * reading is incomplete and the verdict inconclusive.
 */
const and500Early: ClaimRule = {
  id: 'and-500-early',
  claim: "Large AND networks (N = 500), read early as the authors' files are, solve the task while W_rec barely moves",
  authors:
    'the stored N = 500 AND networks are epoch-5 (normal) and epoch-2 (orthogonal) checkpoints: both solve AND, ' +
    'rms ΔW 2 % of σ',
  note:
    'a network that learned and then diverged is read at its best epoch (rnnlab paper --replay-best, losses ' +
    'reproduced bit for bit), the others at their final weights; reproduced: all solve with rms ΔW < 5 % of σ; ' +
    'inconclusive while a diverged network has no replay; the interval is that of the fraction doing both (exact)',
  assess(r) {
    const early = (r.large?.rows ?? []).flatMap((d) =>
      d.learning.map((l) =>
        l.diverged
          ? l.atBestEpoch
            ? {
                init: d.init,
                epoch: l.bestEpoch,
                accuracy: l.atBestEpoch.accuracy,
                change: l.atBestEpoch.relativeChange,
              }
            : null
          : { init: d.init, epoch: null, accuracy: l.accuracy, change: l.relativeChange },
      ),
    );
    const read = early.filter((e): e is NonNullable<typeof e> => e !== null);
    const perInit = (init: string) => {
      const es = read.filter((e) => e.init === init);
      const when = es.map((e) => (e.epoch === null ? 'final weights' : `epoch ${e.epoch}`)).join(', ');
      const solved = es.filter((e) => e.accuracy >= SOLVED_ACCURACY).length;
      return (
        `${init}: ${solved}/${es.length} solve (${when}), rms ΔW ` +
        `${es.map((e) => f(100 * e.change, 1)).join(', ')} % of σ`
      );
    };
    const missing = early.length - read.length;
    const rnnlab =
      read.length === 0
        ? 'no large AND network read yet'
        : PAPER_INITS.filter((init) => read.some((e) => e.init === init))
            .map(perInit)
            .join('; ') + (missing > 0 ? `; ${missing} diverged network(s) not replayed yet` : '');
    const solve = read.every((e) => e.accuracy >= SOLVED_ACCURACY),
      still = read.every((e) => e.change < 0.05);
    const interval = proportionInterval(
      'fraction of large networks, read early, that solve AND with rms ΔW < 5 % of σ',
      read.filter((e) => e.accuracy >= SOLVED_ACCURACY && e.change < 0.05).length,
      read.length,
    );
    return {
      rnnlab,
      n: read.length,
      grade: { enough: read.length >= 2 && missing === 0, reproduced: solve && still, partly: solve || still },
      interval,
    };
  },
};

export const LARGE_CLAIMS: readonly ClaimRule[] = [and500, and500Early];
