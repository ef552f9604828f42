/**
 * Dense float64 linear algebra for the analyses: eigenvalues of a general real matrix (the non-symmetric W_rec,
 * Jacobians at fixed points), the symmetric eigenproblem (covariances for PCA), and PCA itself.
 *
 * General eigenvalues follow the classic EISPACK route, with Numerical Recipes' names so a reader can look them
 * up: `balance` (balanc: diagonal similarity that equalises row and column norms, improving accuracy),
 * `toHessenberg` (elmhes: Gaussian elimination with pivoting to upper Hessenberg form), and `hessenbergQR` (hqr:
 * Francis double-shift QR on the Hessenberg matrix, deflating 1×1 and 2×2 blocks). mathjs' `eigs` was tried first
 * and fails to converge on the authors' trained 50×50 matrices.
 * All matrices are flat row-major Float64Array, n×n.
 */
import { RnnlabError } from '@rnnlab/engine';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, max, min, sqrt } = Math;

export interface Complex {
  re: number;
  im: number;
}

/** Eigenvalues of a real n×n matrix (row-major), sorted by real part, then imaginary part. `a` is not modified. */
export function eigenvalues(a: ArrayLike<number>, n: number): Complex[] {
  if (a.length !== n * n) throw new RnnlabError(`eigenvalues: matrix has ${a.length} entries, expected ${n}x${n}`);
  for (let i = 0; i < a.length; i++)
    if (!Number.isFinite(a[i])) throw new RnnlabError(`eigenvalues: matrix entry ${i} is ${a[i]}`);
  // 1-based working copy, as in the reference routines: w[i*(n+1)+j], i, j in 1..n.
  const m = n + 1;
  const w = new Float64Array(m * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[(i + 1) * m + (j + 1)] = a[i * n + j];
  balance(w, n);
  toHessenberg(w, n);
  const wr = new Float64Array(m),
    wi = new Float64Array(m);
  hessenbergQR(w, n, wr, wi);
  const out: Complex[] = [];
  for (let i = 1; i <= n; i++) out.push({ re: wr[i], im: wi[i] });
  out.sort((p, q) => p.re - q.re || p.im - q.im);
  return out;
}

const RADIX = 2;

/** balanc: scale rows/columns by powers of 2 so that their norms match (a similarity: eigenvalues unchanged). */
function balance(a: Float64Array, n: number): void {
  const m = n + 1;
  const sqrdx = RADIX * RADIX;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 1; i <= n; i++) {
      let r = 0,
        c = 0;
      for (let j = 1; j <= n; j++) {
        if (j !== i) {
          c += abs(a[j * m + i]);
          r += abs(a[i * m + j]);
        }
      }
      if (c !== 0 && r !== 0) {
        let g = r / RADIX,
          f = 1;
        const s = c + r;
        while (c < g) {
          f *= RADIX;
          c *= sqrdx;
        }
        g = r * RADIX;
        while (c > g) {
          f /= RADIX;
          c /= sqrdx;
        }
        if ((c + r) / f < 0.95 * s) {
          done = false;
          g = 1 / f;
          for (let j = 1; j <= n; j++) a[i * m + j] *= g;
          for (let j = 1; j <= n; j++) a[j * m + i] *= f;
        }
      }
    }
  }
}

/** elmhes: reduce to upper Hessenberg form by stabilised elementary similarity transforms; zero the multipliers. */
function toHessenberg(a: Float64Array, n: number): void {
  const m1 = n + 1;
  for (let m = 2; m < n; m++) {
    let x = 0,
      i = m;
    for (let j = m; j <= n; j++) {
      if (abs(a[j * m1 + m - 1]) > abs(x)) {
        x = a[j * m1 + m - 1];
        i = j;
      }
    }
    if (i !== m) {
      for (let j = m - 1; j <= n; j++) {
        const t = a[i * m1 + j];
        a[i * m1 + j] = a[m * m1 + j];
        a[m * m1 + j] = t;
      }
      for (let j = 1; j <= n; j++) {
        const t = a[j * m1 + i];
        a[j * m1 + i] = a[j * m1 + m];
        a[j * m1 + m] = t;
      }
    }
    if (x !== 0) {
      for (i = m + 1; i <= n; i++) {
        let y = a[i * m1 + m - 1];
        if (y !== 0) {
          y /= x;
          a[i * m1 + m - 1] = y;
          for (let j = m; j <= n; j++) a[i * m1 + j] -= y * a[m * m1 + j];
          for (let j = 1; j <= n; j++) a[j * m1 + m] += y * a[j * m1 + i];
        }
      }
    }
  }
  for (let i = 1; i <= n; i++) for (let j = 1; j < i - 1; j++) a[i * m1 + j] = 0;
}

const sign = (a: number, b: number) => (b >= 0 ? abs(a) : -abs(a));

/** hqr: all eigenvalues of an upper Hessenberg matrix by the Francis double-shift QR algorithm. Destroys `a`. */
function hessenbergQR(a: Float64Array, n: number, wr: Float64Array, wi: Float64Array): void {
  const m1 = n + 1;
  const A = (i: number, j: number) => a[i * m1 + j];
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = max(i - 1, 1); j <= n; j++) anorm += abs(A(i, j));
  let nn = n,
    t = 0;
  let p = 0,
    q = 0,
    r = 0,
    s = 0,
    w = 0,
    x = 0,
    y = 0,
    z = 0;
  while (nn >= 1) {
    let its = 0,
      l: number;
    do {
      for (l = nn; l >= 2; l--) {
        s = abs(A(l - 1, l - 1)) + abs(A(l, l));
        if (s === 0) s = anorm;
        if (abs(A(l, l - 1)) + s === s) {
          a[l * m1 + l - 1] = 0;
          break;
        }
      }
      x = A(nn, nn);
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn--] = 0;
      } else {
        y = A(nn - 1, nn - 1);
        w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = sqrt(abs(q));
          x += t;
          if (q >= 0) {
            z = p + sign(z, p);
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -(wi[nn] = z);
          }
          nn -= 2;
        } else {
          if (its === 60) throw new RnnlabError('eigenvalues: QR iteration did not converge');
          if (its === 10 || its === 20 || its === 40) {
            // exceptional shifts
            t += x;
            for (let i = 1; i <= nn; i++) a[i * m1 + i] -= x;
            s = abs(A(nn, nn - 1)) + abs(A(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = x - z;
            s = y - z;
            p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s;
            r = A(m + 2, m + 1);
            s = abs(p) + abs(q) + abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = abs(A(m, m - 1)) * (abs(q) + abs(r));
            const v = abs(p) * (abs(A(m - 1, m - 1)) + abs(z) + abs(A(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i * m1 + i - 2] = 0;
            if (i !== m + 2) a[i * m1 + i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = 0;
              if (k !== nn - 1) r = A(k + 2, k - 1);
              if ((x = abs(p) + abs(q) + abs(r)) !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            if ((s = sign(sqrt(p * p + q * q + r * r), p)) !== 0) {
              if (k === m) {
                if (l !== m) a[k * m1 + k - 1] = -A(k, k - 1);
              } else a[k * m1 + k - 1] = -s * x;
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = A(k, j) + q * A(k + 1, j);
                if (k !== nn - 1) {
                  p += r * A(k + 2, j);
                  a[(k + 2) * m1 + j] -= p * z;
                }
                a[(k + 1) * m1 + j] -= p * y;
                a[k * m1 + j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * A(i, k) + y * A(i, k + 1);
                if (k !== nn - 1) {
                  p += z * A(i, k + 2);
                  a[i * m1 + k + 2] -= p * r;
                }
                a[i * m1 + k + 1] -= p * q;
                a[i * m1 + k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
}

/**
 * Symmetric eigendecomposition by cyclic Jacobi rotations: S = V diag(λ) Vᵀ, eigenvalues descending, eigenvectors
 * as the columns of V (row-major n×n). Accurate to machine precision; O(n³) per sweep, fine for n ≲ 300.
 */
export function symmetricEigen(s: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(s);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (abs(theta) + sqrt(theta * theta + 1));
        const c = 1 / sqrt(t * t + 1),
          sn = t * c;
        for (let k = 0; k < n; k++) {
          // columns p, q
          const akp = a[k * n + p],
            akq = a[k * n + q];
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p, q
          const apk = a[p * n + k],
            aqk = a[q * n + k];
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p],
            vkq = v[k * n + q];
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

export interface Pca {
  /** Principal axes as rows, [k][n], unit norm, sign fixed so the largest-|.| entry is positive. */
  components: Float64Array;
  /** Variance along each axis (descending) and the total variance. */
  explainedVariance: Float64Array;
  totalVariance: number;
  /** Projections of the centred data onto the axes, [T][k]. */
  scores: Float64Array;
  mean: Float64Array;
}

/**
 * Standard PCA of a T×n data matrix (rows = time points, columns = units), centred per unit: the convention of
 * scikit-learn on Hᵀ. (The authors' code fits PCA on the n×T matrix, centring across units; see paper-spec §4.4.)
 */
export function pca(x: ArrayLike<number>, T: number, n: number, k: number): Pca {
  if (x.length !== T * n) throw new RnnlabError(`pca: data has ${x.length} entries, expected ${T}x${n}`);
  k = min(k, n);
  const mean = new Float64Array(n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) mean[i] += x[t * n + i] / T;
  const cov = new Float64Array(n * n);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i++) {
      const di = x[t * n + i] - mean[i];
      if (di === 0) continue;
      for (let j = i; j < n; j++) cov[i * n + j] += (di * (x[t * n + j] - mean[j])) / max(T - 1, 1);
    }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) cov[i * n + j] = cov[j * n + i];
  const { values, vectors } = symmetricEigen(cov, n);
  const components = new Float64Array(k * n);
  for (let c = 0; c < k; c++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (abs(vectors[i * n + c]) > abs(big)) big = vectors[i * n + c];
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) components[c * n + i] = sgn * vectors[i * n + c];
  }
  const scores = new Float64Array(T * k);
  for (let t = 0; t < T; t++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (x[t * n + i] - mean[i]) * components[c * n + i];
      scores[t * k + c] = s;
    }
  let total = 0;
  for (let i = 0; i < n; i++) total += cov[i * n + i];
  return { components, explainedVariance: values.slice(0, k), totalVariance: total, scores, mean };
}

/**
 * X = A⁻¹ B for a square n×n A and an n×m B (row-major), by Gaussian elimination with partial pivoting. Throws on a
 * singular A. For the small systems of DSA (normal equations, Cayley maps).
 */
export function solve(a: ArrayLike<number>, b: ArrayLike<number>, n: number, m: number): Float64Array {
  const A = Float64Array.from(a),
    X = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (abs(A[r * n + c]) > abs(A[p * n + c])) p = r;
    if (A[p * n + c] === 0) throw new Error('solve: the matrix is singular');
    if (p !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[p * n + k]] = [A[p * n + k], A[c * n + k]];
      for (let k = 0; k < m; k++) [X[c * m + k], X[p * m + k]] = [X[p * m + k], X[c * m + k]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = A[r * n + c] / A[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] -= f * A[c * n + k];
      for (let k = 0; k < m; k++) X[r * m + k] -= f * X[c * m + k];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    for (let k = 0; k < m; k++) {
      let s = X[c * m + k];
      for (let j = c + 1; j < n; j++) s -= A[c * n + j] * X[j * m + k];
      X[c * m + k] = s / A[c * n + c];
    }
  }
  return X;
}
