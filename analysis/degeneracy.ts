/**
 * Solution degeneracy: how different are networks that solve the same task? Measured at three levels, after
 * "Measuring and Controlling Solution Degeneracy across Task-Trained RNNs" (2024):
 *
 *   behaviour  d_beh(A, B) = mean over trials of ‖y_A − y_B‖₂ over all steps (the paper's distance, between networks)
 *   dynamics   1 − CKA(H_A, H_B): linear centred kernel alignment of the hidden trajectories (all trials × steps as
 *              samples, units as features), CKA = ‖H_Aᵀ H_B‖²_F / (‖H_Aᵀ H_A‖_F ‖H_Bᵀ H_B‖_F) on column-centred H.
 *              Invariant to rotations and isotropic scaling of either state space, so it compares the geometry of
 *              the dynamics, not the unit labels; 0 for the same trajectories up to rotation, up to 1.
 *   dsa        dynamical similarity analysis (dsa.ts): the angular Procrustes distance between linear models of the
 *              delay-embedded hidden dynamics (0: the same dynamics in rotated coordinates, up to π)
 *   weights    the distance between the recurrent matrices after the best matching of units:
 *              min over permutations P and signs S of ‖W_A − (SP) W_B (SP)ᵀ‖_F / ‖W_A‖_F. A tanh network is unchanged
 *              by renumbering its units and, without recurrent bias, by flipping a unit's sign (tanh is odd), so
 *              both are factored out. Units are matched by the Hungarian algorithm on the distance between their
 *              weight profiles (incoming, outgoing, input and readout weights), each up to sign.
 */
import { effectiveModel, forward, type RnnModel, type Trials } from '@rnnlab/engine';
import { DSA_DEFAULTS, dsaOperator, type DsaOptions, procrustesVectorFields } from './dsa';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { max, min, sqrt } = Math;

/** Linear CKA between two sample × feature matrices (rows = samples), centred here. */
export function linearCka(a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number, samples: number): number {
  const A = centred(a, samples, na),
    B = centred(b, samples, nb);
  const cross = gram(A, na, B, nb, samples),
    aa = gram(A, na, A, na, samples),
    bb = gram(B, nb, B, nb, samples);
  const fro2 = (m: Float64Array) => m.reduce((s, v) => s + v * v, 0);
  const den = sqrt(fro2(aa) * fro2(bb));
  return den === 0 ? 0 : fro2(cross) / den;
}

function centred(x: ArrayLike<number>, samples: number, n: number): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  for (let j = 0; j < n; j++) {
    let m = 0;
    for (let s = 0; s < samples; s++) m += out[s * n + j];
    m /= samples;
    for (let s = 0; s < samples; s++) out[s * n + j] -= m;
  }
  return out;
}

/** Xᵀ Y for sample-major X (samples × nx) and Y (samples × ny): an nx × ny matrix. */
function gram(x: Float64Array, nx: number, y: Float64Array, ny: number, samples: number): Float64Array {
  const g = new Float64Array(nx * ny);
  for (let s = 0; s < samples; s++) {
    const xo = s * nx,
      yo = s * ny;
    for (let i = 0; i < nx; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      for (let j = 0; j < ny; j++) g[i * ny + j] += xi * y[yo + j];
    }
  }
  return g;
}

/**
 * Minimum-cost assignment (Hungarian algorithm, O(n³), the potentials form): `cost` is n × n row-major; returns
 * `match[i]` = the column assigned to row i.
 */
export function hungarian(cost: ArrayLike<number>, n: number): Int32Array {
  const INF = Infinity;
  const u = new Float64Array(n + 1),
    v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1),
    way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(INF);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = INF,
        j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Int32Array(n);
  for (let j = 1; j <= n; j++) if (p[j] > 0) match[p[j] - 1] = j - 1;
  return match;
}

export interface UnitMatch {
  /** `perm[i]` = the unit of B matched to unit i of A. */
  perm: Int32Array;
  /** `sign[i]` = ±1, the sign B's matched unit is flipped by (always +1 when either network has a recurrent bias). */
  sign: Int8Array;
  /** ‖W_A − (SP) W_B (SP)ᵀ‖_F / ‖W_A‖_F under this matching: an upper bound on the minimum over all matchings. */
  distance: number;
}

/** ‖W_A − (SP) W_B (SP)ᵀ‖_F / ‖W_A‖_F for one matching. */
function matchedDistance(a: RnnModel, b: RnnModel, perm: Int32Array, sign: Int8Array): number {
  const N = a.config.nRec;
  let diff = 0,
    norm = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const wa = a.params.W_rec[i * N + j];
      diff += (wa - sign[i] * sign[j] * b.params.W_rec[perm[i] * N + perm[j]]) ** 2;
      norm += wa * wa;
    }
  }
  return sqrt(diff / norm);
}

/**
 * The best matching found of B's units to A's (permutation and, where it is a symmetry, sign flips). Exact matching
 * of weighted graphs is NP-hard, so this is the usual alternation: start from the units' own input and readout
 * weights (label-free), then repeatedly re-assign every unit by the Hungarian algorithm on the cost of its whole
 * profile (its W_rec row and column, read through the current matching of the other units, plus its input and
 * readout weights), keeping the best distance. A relabelled (and sign-flipped) copy is matched exactly.
 */
export function matchUnits(a: RnnModel, b: RnnModel, iterations = 20): UnitMatch {
  const { nRec: N, nIn: I, nOut: O } = a.config;
  if (b.config.nRec !== N || b.config.nIn !== I || b.config.nOut !== O) {
    throw new Error(`matchUnits: networks of different shapes (N ${N} vs ${b.config.nRec})`);
  }
  const flips =
    !a.config.recurrentBias &&
    !b.config.recurrentBias &&
    a.config.activation === 'tanh' &&
    b.config.activation === 'tanh';
  const Wa = a.params.W_rec,
    Wb = b.params.W_rec;
  const cost = new Float64Array(N * N),
    flip = new Int8Array(N * N);
  const assign = (unitCost: (i: number, j: number, s: number) => number) => {
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const plus = unitCost(i, j, 1),
          minus = flips ? unitCost(i, j, -1) : Infinity;
        cost[i * N + j] = min(plus, minus);
        flip[i * N + j] = minus < plus ? -1 : 1;
      }
    }
    const perm = hungarian(cost, N);
    return { perm, sign: Int8Array.from(perm, (j, i) => flip[i * N + j]) };
  };
  // Label-free start: each unit's input and readout weights.
  const ownCost = (i: number, j: number, s: number) => {
    let c = 0;
    for (let k = 0; k < I; k++) c += (a.params.W_in[i * I + k] - s * b.params.W_in[j * I + k]) ** 2;
    for (let o = 0; o < O; o++) c += (a.params.W_out[o * N + i] - s * b.params.W_out[o * N + j]) ** 2;
    return c;
  };
  let cur = assign(ownCost);
  let best: UnitMatch = { ...cur, distance: matchedDistance(a, b, cur.perm, cur.sign) };
  for (let it = 0; it < iterations; it++) {
    const { perm, sign } = cur;
    const next = assign((i, j, s) => {
      let c = ownCost(i, j, s);
      for (let k = 0; k < N; k++) {
        if (k === i) continue;
        const sk = s * sign[k],
          pk = perm[k];
        c += (Wa[i * N + k] - sk * Wb[j * N + pk]) ** 2 + (Wa[k * N + i] - sk * Wb[pk * N + j]) ** 2;
      }
      return c + (Wa[i * N + i] - Wb[j * N + j]) ** 2;
    });
    const d = matchedDistance(a, b, next.perm, next.sign);
    const same = next.perm.every((j, i) => j === perm[i]) && next.sign.every((v, i) => v === sign[i]);
    if (d < best.distance) best = { ...next, distance: d };
    cur = next;
    if (same) break;
  }
  return best;
}

export interface DegeneracyPair {
  a: number;
  b: number;
  behaviour: number;
  dynamics: number;
  dsa: number;
  weights: number;
  /**
   * With `initial` networks: ‖ΔW_A − (SP) ΔW_B (SP)ᵀ‖_F / ‖ΔW_A‖_F, the training changes ΔW = W − W_initial compared
   * under the matching found for the trained matrices (√2 for independent changes of equal size, 0 for the same
   * change); NaN without.
   */
  deltaWeights: number;
}

/** ‖ΔA − (SP) ΔB (SP)ᵀ‖_F / ‖ΔA‖_F under a given matching. */
function matchedChange(
  a: RnnModel,
  a0: RnnModel,
  b: RnnModel,
  b0: RnnModel,
  m: Pick<UnitMatch, 'perm' | 'sign'>,
): number {
  const N = a.config.nRec;
  const A = a.params.W_rec,
    A0 = a0.params.W_rec,
    Bw = b.params.W_rec,
    B0 = b0.params.W_rec;
  let diff = 0,
    norm = 0;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const da = A[i * N + j] - A0[i * N + j];
      const q = m.perm[i] * N + m.perm[j];
      diff += (da - m.sign[i] * m.sign[j] * (Bw[q] - B0[q])) ** 2;
      norm += da * da;
    }
  return sqrt(diff / norm);
}

export interface Degeneracy {
  networks: number;
  pairs: DegeneracyPair[];
  /** Means over all pairs. */
  mean: { behaviour: number; dynamics: number; dsa: number; weights: number; deltaWeights: number };
}

export interface DegeneracyOptions {
  /** The same networks before training (same order), for the matched training changes. */
  initial?: readonly RnnModel[];
  /** DSA's settings (dsa.ts: DSA_DEFAULTS); `false`: no DSA (NaN). */
  dsa?: Partial<DsaOptions> | false;
}

/** The measures for every pair of `models` on the same `trials` (noise-free trials are the usual choice). */
export function degeneracy(models: readonly RnnModel[], trials: Trials, opts: DegeneracyOptions = {}): Degeneracy {
  const runs = models.map((m) => forward(m, trials)); // forward computes in float64 on its own copy
  const eff = models.map(effectiveModel); // units are matched on the weights the networks compute with
  const { nTrials: B, nSteps: T, nOut: O } = trials;
  const dsaOpts = opts.dsa === false ? null : { ...DSA_DEFAULTS, restarts: 2, ...opts.dsa };
  // One operator per network; the distance per pair.
  const ops = dsaOpts ? runs.map((r, i) => dsaOperator(r.hidden, B, T, models[i].config.nRec, dsaOpts)) : null;
  const initialEff = opts.initial?.map(effectiveModel);
  const pairs: DegeneracyPair[] = [];
  for (let a = 0; a < models.length; a++) {
    for (let b = a + 1; b < models.length; b++) {
      let beh = 0;
      for (let s = 0; s < B; s++) {
        let d = 0;
        for (let i = s * T * O; i < (s + 1) * T * O; i++) d += (runs[a].outputs[i] - runs[b].outputs[i]) ** 2;
        beh += sqrt(d) / B;
      }
      const cka = linearCka(runs[a].hidden, models[a].config.nRec, runs[b].hidden, models[b].config.nRec, B * T);
      const match = models[a].config.nRec === models[b].config.nRec ? matchUnits(eff[a], eff[b]) : null;
      const dsa =
        ops && dsaOpts && ops[a].rank === ops[b].rank
          ? procrustesVectorFields(ops[a].A, ops[b].A, ops[a].rank, dsaOpts).angular
          : NaN;
      const delta = match && initialEff ? matchedChange(eff[a], initialEff[a], eff[b], initialEff[b], match) : NaN;
      pairs.push({
        a,
        b,
        behaviour: beh,
        dynamics: 1 - cka,
        dsa,
        weights: match?.distance ?? NaN,
        deltaWeights: delta,
      });
    }
  }
  const mean = (k: keyof Degeneracy['mean']) => pairs.reduce((s, p) => s + p[k], 0) / max(pairs.length, 1);
  return {
    networks: models.length,
    pairs,
    mean: {
      behaviour: mean('behaviour'),
      dynamics: mean('dynamics'),
      dsa: mean('dsa'),
      weights: mean('weights'),
      deltaWeights: mean('deltaWeights'),
    },
  };
}
