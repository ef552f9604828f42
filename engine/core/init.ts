/**
 * Weight initialisers, all seeded. The paper (Keras 2.0.6) uses glorot_uniform for W_in and W_out, zeros for the
 * biases, and for W_rec either RandomNormal(0, 1/√N) ("random normal", g = 1) or orthogonal(gain 1).
 */
import { RnnlabError } from './tensor';
import { Rng } from './random';
import { type RnnModel } from './model';
import { applyConnectivity, excitatoryCount } from './constraints';

export type RecInit = 'normal' | 'orthogonal' | 'glorot' | 'identity';
export const REC_INITS: readonly RecInit[] = ['normal', 'orthogonal', 'glorot', 'identity'];

export interface InitConfig {
  /** W_rec initialiser. */
  rec: RecInit;
  /** Gain g: W_rec std is g/√N for 'normal'; orthogonal and identity are scaled by g. */
  gain: number;
  seed: number | string;
  /**
   * Dale's law only: how E and I weights are balanced after the draw. 'psychrnn': PsychRNN's balance_dale_ratio
   * (psychrnn/backend/initializations.py): column j scaled by v_j/‖row j of M·diag(v)‖, v = 1 (E) or
   * ratio/(1 − ratio) (I). 'row-zero': the I weights of each row scaled so that every row of W_rec* sums to zero (no
   * outlier eigenvalue). Absent or 'none': the draw as it is.
   */
  daleBalance?: DaleBalance;
}

export type DaleBalance = 'none' | 'psychrnn' | 'row-zero';
export const DALE_BALANCES: readonly DaleBalance[] = ['none', 'psychrnn', 'row-zero'];

export const INIT_DEFAULTS: Readonly<InitConfig> = Object.freeze({ rec: 'normal', gain: 1, seed: 1 });

/** Glorot/Xavier uniform U(-a, a), a = √(6 / (fanIn + fanOut)). */
export function glorotUniform(
  out: { length: number; [i: number]: number },
  fanIn: number,
  fanOut: number,
  rng: Rng,
): void {
  const a = Math.sqrt(6 / (fanIn + fanOut));
  rng.fillUniform(out, -a, a);
}

/**
 * A Haar-random orthogonal n×n matrix (row-major, float64), times `gain`: QR of a standard-normal matrix by
 * modified Gram-Schmidt run twice (re-orthogonalisation keeps ‖QᵀQ − I‖ near 1e-15 for N up to thousands).
 * Gram-Schmidt yields the QR factorisation whose R has a positive diagonal, which is the one that makes Q uniform
 * (Haar) over O(N) (Mezzadri 2007); no sign correction is needed.
 */
export function orthogonalMatrix(n: number, gain: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  rng.fillNormal(a);
  // Work on columns: column j of the result is q_j. col(j)[i] = a[i*n + j].
  const q = new Float64Array(n * n);
  const v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) v[i] = a[i * n + j];
    let rjj = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + k] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * q[i * n + k];
      }
    }
    for (let i = 0; i < n; i++) rjj += v[i] * v[i];
    rjj = Math.sqrt(rjj);
    if (rjj < 1e-12)
      throw new RnnlabError('orthogonal init: degenerate Gaussian draw (rank-deficient); use another seed');
    for (let i = 0; i < n; i++) q[i * n + j] = v[i] / rjj;
  }
  if (gain !== 1) for (let i = 0; i < q.length; i++) q[i] *= gain;
  return q;
}

/**
 * Initialise every parameter of `model` in place. Draw order (fixed, part of the reproducibility contract):
 * W_in, W_rec, W_out from one stream seeded by `seed`; b, b_out and h0 are zero.
 */
export function initialize(model: RnnModel, options: Partial<InitConfig> = {}): InitConfig {
  const init: InitConfig = { ...INIT_DEFAULTS, ...options };
  if (!REC_INITS.includes(init.rec))
    throw new RnnlabError(`unknown recurrent initialiser "${init.rec}" (known: ${REC_INITS.join(', ')})`);
  if (!(typeof init.gain === 'number' && Number.isFinite(init.gain) && init.gain > 0))
    throw new RnnlabError(`init gain must be a positive number, got ${JSON.stringify(init.gain)}`);
  const { nIn, nRec, nOut } = model.config;
  const p = model.params;
  const rng = new Rng(init.seed);
  p.flat.fill(0);
  glorotUniform(p.W_in, nIn, nRec, rng);
  switch (init.rec) {
    case 'normal':
      rng.fillNormal(p.W_rec, init.gain / Math.sqrt(nRec));
      break;
    case 'orthogonal':
      p.W_rec.set(orthogonalMatrix(nRec, init.gain, rng));
      break;
    case 'glorot':
      glorotUniform(p.W_rec, nRec, nRec, rng);
      break;
    case 'identity':
      for (let i = 0; i < nRec; i++) p.W_rec[i * nRec + i] = init.gain;
      break;
  }
  glorotUniform(p.W_out, nRec, nOut, rng);
  p.alpha.fill(model.config.alpha);
  applyConnectivity(model);
  balanceDale(model, init.daleBalance ?? 'none');
  return init;
}

/** The E/I balancing of InitConfig.daleBalance, on the raw W_rec (masked entries stay zero). */
function balanceDale(model: RnnModel, how: DaleBalance): void {
  if (!DALE_BALANCES.includes(how))
    throw new RnnlabError(`unknown Dale balance "${how}" (known: ${DALE_BALANCES.join(', ')})`);
  const c = model.config;
  if (how === 'none') return;
  if (c.daleRatio === null) throw new RnnlabError(`Dale balance "${how}" needs Dale's law (config.daleRatio)`);
  const N = c.nRec,
    nE = excitatoryCount(c),
    w = model.params.W_rec,
    m = model.recMask;
  const mask = (i: number) => (m ? m[i] : 1);
  if (how === 'psychrnn') {
    const v = Float64Array.from({ length: N }, (_, j) => (j < nE ? 1 : c.daleRatio! / (1 - c.daleRatio!)));
    const norm = Float64Array.from({ length: N }, (_, r) => {
      let ss = 0;
      for (let k = 0; k < N; k++) ss += (mask(r * N + k) * v[k]) ** 2;
      return Math.sqrt(ss);
    });
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) w[i * N + j] *= v[j] / norm[j];
    return;
  }
  for (let i = 0; i < N; i++) {
    let sE = 0,
      sI = 0;
    for (let j = 0; j < nE; j++) sE += Math.abs(w[i * N + j]);
    for (let j = nE; j < N; j++) sI += Math.abs(w[i * N + j]);
    if (sI > 0) for (let j = nE; j < N; j++) w[i * N + j] *= sE / sI;
  }
}
