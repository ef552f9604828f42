/**
 * Weight initialisers, all seeded. The paper (Keras 2.0.6) uses glorot_uniform for W_in and W_out, zeros for the
 * biases, and for W_rec either RandomNormal(0, 1/√N) ("random normal", g = 1) or orthogonal(gain 1).
 */
import { RnnlabError } from './tensor';
import { Rng } from './random';
import { applyRecMask, type RnnModel } from './model';

export type RecInit = 'normal' | 'orthogonal' | 'glorot' | 'identity';
export const REC_INITS: readonly RecInit[] = ['normal', 'orthogonal', 'glorot', 'identity'];

export interface InitConfig {
  /** W_rec initialiser. */
  rec: RecInit;
  /** Gain g: W_rec std is g/√N for 'normal'; orthogonal and identity are scaled by g. */
  gain: number;
  seed: number | string;
}

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
  applyRecMask(model);
  return init;
}
