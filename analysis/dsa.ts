/**
 * Dynamical similarity analysis (DSA; Ostrow, Eisen, Kozachkov & Fiete 2023, "Beyond geometry: comparing the
 * temporal structure of computation in neural circuits with dynamical similarity analysis"), following the reference
 * implementation mitchellostrow/DSA (DSA/dmd.py: embed_signal_torch, DMD.compute_svd, compute_havok_dmd;
 * DSA/simdist.py: SimilarityTransformDist). Two systems are similar when a linear model of each one's delay-embedded
 * dynamics is the other's up to an orthogonal change of coordinates:
 *
 *   1. delay embedding  H[t] = [x(t + (d−1)τ), …, x(t + τ), x(t)] per trial (dmd.py's block order), d = nDelays;
 *   2. HAVOK DMD        Hᵀ = U S Vᵀ; in the first `rank` columns of V (the eigen-time-delay coordinates) fit
 *                       V₊ = V₋ A_vᵀ by ridge regression (λ = 1e-8, the reference's default), within trials;
 *   3. Procrustes over vector fields: with Â = A/‖A‖_F, B̂ likewise, the angular distance
 *                       min over orthogonal C of arccos tr(Âᵀ C B̂ Cᵀ)  (0: the same dynamics up to rotation; ≤ π).
 *
 * The reference minimises ‖Â − C B̂ Cᵀ‖²_F by Adam over a Cayley-parametrised C from the identity and from one
 * reflection. Here the same loss is minimised by Riemannian gradient descent on the orthogonal group (Cayley
 * retraction, backtracking step) from the identity, the same reflection and seeded random rotations, keeping the
 * best: the minimum it finds is at most the reference's (spec/analysis/dsa.spec.ts checks both against the
 * reference code run on the same data). Hidden states are first projected on their own leading principal components
 * (`dims`), which DSA's invariance to orthogonal maps allows, to keep the Hankel matrix small.
 */
import { orthogonalMatrix } from '@rnnlab/engine/advanced';
import { Rng } from '@rnnlab/engine';
import { pca, solve, symmetricEigen } from './linalg';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { acos, max, min, sqrt } = Math;

export interface DsaOptions {
  /** Leading principal components kept per system before embedding (0: all units). */
  dims: number;
  nDelays: number;
  delayInterval: number;
  /** Columns of V in the regression: the size of the fitted operator. */
  rank: number;
  /** Ridge λ of the regression (the reference's default, 1e-8). */
  lambda: number;
  /** Random orthogonal starts besides the identity and the reflection. */
  restarts: number;
  iterations: number;
  seed: string;
}

export const DSA_DEFAULTS: Readonly<DsaOptions> = Object.freeze({
  dims: 10,
  nDelays: 5,
  delayInterval: 1,
  rank: 10,
  lambda: 1e-8,
  restarts: 4,
  iterations: 3000,
  seed: 'rnnlab-dsa',
});

/**
 * The delay embedding of B trials of T steps of n-dimensional states (trial-major, [B][T][n]): B·T' rows of n·d
 * columns, T' = T − (d − 1)τ; block k of a row holds x(t + (d − 1 − k)τ).
 */
export function delayEmbed(
  x: ArrayLike<number>,
  B: number,
  T: number,
  n: number,
  d: number,
  tau: number,
): Float64Array {
  const Tp = T - (d - 1) * tau;
  if (Tp < 2) throw new Error(`DSA: ${d} delays of ${tau} steps leave fewer than 2 of the ${T} steps`);
  const H = new Float64Array(B * Tp * n * d);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < Tp; t++)
      for (let k = 0; k < d; k++) {
        const src = (b * T + t + (d - 1 - k) * tau) * n,
          dst = (b * Tp + t) * n * d + k * n;
        for (let i = 0; i < n; i++) H[dst + i] = x[src + i];
      }
  return H;
}

/**
 * HAVOK DMD's operator A_v (rank × rank, row-major) of an embedding H with `rows` = B·T' rows of k columns: V from the
 * eigendecomposition of HᵀH (V = H U S⁻¹), then the least-squares fit of each step's coordinates on the previous
 * step's, within trials.
 */
export function havokOperator(
  H: Float64Array,
  B: number,
  Tp: number,
  k: number,
  rank: number,
  lambda = DSA_DEFAULTS.lambda,
): Float64Array {
  const rows = B * Tp;
  const G = new Float64Array(k * k);
  for (let s = 0; s < rows; s++)
    for (let i = 0; i < k; i++) {
      const hi = H[s * k + i];
      if (hi !== 0) for (let j = 0; j < k; j++) G[i * k + j] += hi * H[s * k + j];
    }
  const { values, vectors } = symmetricEigen(G, k);
  const r = min(rank, k);
  if (!(values[r - 1] > 1e-12 * values[0]))
    throw new Error(`DSA: the embedding has rank below ${r}; lower the rank or the delays`);
  // V[:, c] = H U[:, c] / s_c for the first r columns.
  const V = new Float64Array(rows * r);
  for (let s = 0; s < rows; s++)
    for (let c = 0; c < r; c++) {
      let v = 0;
      for (let i = 0; i < k; i++) v += H[s * k + i] * vectors[i * k + c];
      V[s * r + c] = v / sqrt(values[c]);
    }
  // Normal equations over consecutive rows of each trial: (V₋ᵀV₋) X = V₋ᵀV₊, A_v = Xᵀ.
  const MM = new Float64Array(r * r),
    MP = new Float64Array(r * r);
  for (let b = 0; b < B; b++)
    for (let t = 0; t + 1 < Tp; t++) {
      const m = (b * Tp + t) * r,
        p = m + r;
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) {
          MM[i * r + j] += V[m + i] * V[m + j];
          MP[i * r + j] += V[m + i] * V[p + j];
        }
    }
  for (let i = 0; i < r; i++) MM[i * r + i] += lambda;
  const X = solve(MM, MP, r, r);
  const A = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) A[i * r + j] = X[j * r + i];
  return A;
}

/** The DSA operator of one system's states ([B][T][n]): projection on `dims` PCs, embedding, HAVOK DMD. */
export function dsaOperator(
  states: ArrayLike<number>,
  B: number,
  T: number,
  n: number,
  opts: Partial<DsaOptions> = {},
): { A: Float64Array; rank: number } {
  const o = { ...DSA_DEFAULTS, ...opts };
  let x: ArrayLike<number> = states,
    dim = n;
  if (o.dims > 0 && o.dims < n) {
    x = pca(states, B * T, n, o.dims).scores;
    dim = o.dims;
  }
  const H = delayEmbed(x, B, T, dim, o.nDelays, o.delayInterval);
  const Tp = T - (o.nDelays - 1) * o.delayInterval;
  const rank = min(o.rank, dim * o.nDelays);
  return { A: havokOperator(H, B, Tp, dim * o.nDelays, rank, o.lambda), rank };
}

/** C B Cᵀ for r×r matrices. */
function conjugate(C: Float64Array, Bm: Float64Array, r: number): Float64Array {
  const CB = matmul(C, Bm, r),
    out = new Float64Array(r * r);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += CB[i * r + k] * C[j * r + k];
      out[i * r + j] = s;
    }
  return out;
}

function matmul(a: Float64Array, b: Float64Array, r: number): Float64Array {
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++)
    for (let k = 0; k < r; k++) {
      const aik = a[i * r + k];
      if (aik !== 0) for (let j = 0; j < r; j++) out[i * r + j] += aik * b[k * r + j];
    }
  return out;
}

const transpose = (a: Float64Array, r: number) => {
  const t = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) t[j * r + i] = a[i * r + j];
  return t;
};

function loss(A: Float64Array, Bm: Float64Array, C: Float64Array, r: number): number {
  const M = conjugate(C, Bm, r);
  let s = 0;
  for (let i = 0; i < r * r; i++) s += (A[i] - M[i]) ** 2;
  return s;
}

/**
 * L(C) = ‖A − C B Cᵀ‖²: Riemannian gradient descent from C0 on the orthogonal matrices. The Euclidean gradient
 * G = −2 (E C Bᵀ + Eᵀ C B) with E = A − C B Cᵀ; the step C ← (I + ηW/2)⁻¹ (I − ηW/2) C with the skew W = G Cᵀ − C Gᵀ
 * stays orthogonal (the Cayley curve of Wen & Yin 2013), and η is halved until L falls.
 */
function descend(
  A: Float64Array,
  Bm: Float64Array,
  C0: Float64Array,
  r: number,
  iterations: number,
): { C: Float64Array; L: number } {
  let C = C0,
    L = loss(A, Bm, C, r),
    eta = 1;
  const Bt = transpose(Bm, r);
  for (let it = 0; it < iterations; it++) {
    const M = conjugate(C, Bm, r);
    const E = new Float64Array(r * r);
    for (let i = 0; i < r * r; i++) E[i] = A[i] - M[i];
    const G1 = matmul(matmul(E, C, r), Bt, r),
      G2 = matmul(matmul(transpose(E, r), C, r), Bm, r);
    const G = new Float64Array(r * r);
    for (let i = 0; i < r * r; i++) G[i] = -2 * (G1[i] + G2[i]);
    const GCt = matmul(G, transpose(C, r), r);
    const W = new Float64Array(r * r);
    let norm = 0;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        W[i * r + j] = GCt[i * r + j] - GCt[j * r + i];
        norm += W[i * r + j] ** 2;
      }
    if (sqrt(norm) < 1e-12) break;
    // Backtracking: halve η until the loss falls (at most 40 halvings); stop when it no longer does.
    let tries = 0,
      next: Float64Array | null = null,
      Ln = L;
    for (; tries < 40; tries++, eta /= 2) {
      const P = new Float64Array(r * r),
        Q = new Float64Array(r * r);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) {
          const w = (eta / 2) * W[i * r + j],
            id = i === j ? 1 : 0;
          P[i * r + j] = id + w;
          Q[i * r + j] = id - w;
        }
      next = solve(P, matmul(Q, C, r), r, r);
      Ln = loss(A, Bm, next, r);
      if (Ln < L) break;
    }
    if (tries === 40 || !next) break;
    const gain = L - Ln;
    C = next;
    L = Ln;
    if (gain <= 1e-12 * L) break; // converged: the loss no longer moves in its 12th digit
    eta *= 2; // the next step may be longer
  }
  return { C, L };
}

/**
 * The angular Procrustes distance over vector fields between two r×r operators: min over orthogonal C of
 * arccos tr(Âᵀ C B̂ Cᵀ), Â and B̂ normalised to unit Frobenius norm; with the C found and ‖Â − C B̂ Cᵀ‖_F (euclidean).
 */
export function procrustesVectorFields(
  A: ArrayLike<number>,
  Bm: ArrayLike<number>,
  r: number,
  opts: Partial<DsaOptions> = {},
): { angular: number; euclidean: number; C: Float64Array } {
  const o = { ...DSA_DEFAULTS, ...opts };
  const unit = (m: ArrayLike<number>) => {
    const v = Float64Array.from(m);
    const f = sqrt(v.reduce((s, x) => s + x * x, 0));
    return v.map((x) => x / f);
  };
  const a = unit(A),
    b = unit(Bm);
  const eye = new Float64Array(r * r);
  for (let i = 0; i < r; i++) eye[i * r + i] = 1;
  const starts: Float64Array[] = [eye];
  if (r > 1) {
    const P = Float64Array.from(eye); // the reference's reflection: rows 0 and 1 swapped
    P[0] = 0;
    P[1] = 1;
    P[r] = 1;
    P[r + 1] = 0;
    starts.push(P);
  }
  const rng = new Rng(o.seed);
  for (let k = 0; k < o.restarts; k++) starts.push(Float64Array.from(orthogonalMatrix(r, 1, rng)));
  let best: { C: Float64Array; L: number } = { C: eye, L: Infinity };
  for (const C0 of starts) {
    const run = descend(a, b, C0, r, o.iterations);
    if (run.L < best.L) best = run;
  }
  const cos = min(1, max(-1, 1 - best.L / 2)); // tr(Âᵀ C B̂ Cᵀ) = 1 − L/2 for unit norms
  return { angular: acos(cos), euclidean: sqrt(best.L), C: best.C };
}

/** DSA between two systems' states (each [B][T][n], the same trials): fits both operators and compares them. */
export function dsaDistance(
  a: ArrayLike<number>,
  na: number,
  b: ArrayLike<number>,
  nb: number,
  B: number,
  T: number,
  opts: Partial<DsaOptions> = {},
): number {
  const fa = dsaOperator(a, B, T, na, opts),
    fb = dsaOperator(b, B, T, nb, opts);
  if (fa.rank !== fb.rank) throw new Error(`DSA: operators of different ranks (${fa.rank}, ${fb.rank})`);
  return procrustesVectorFields(fa.A, fb.A, fa.rank, opts).angular;
}
