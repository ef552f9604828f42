/**
 * The eigenvalue analysis of paper-spec §4.1-4.2: the spectrum of W_rec, λ* = argmax Re λ, how many eigenvalues lie
 * outside the unit circle, and the linear-theory reading of λ*: real → fixed-point solution, complex → oscillation
 * with period 2π / arg λ* steps.
 */
import { effectiveWeights, type RnnModel } from '@rnnlab/engine';
import { eigenvalues, type Complex } from './linalg';

export interface SpectrumSummary {
  eigenvalues: Complex[];
  spectralRadius: number;
  /** λ* = the eigenvalue of largest real part (the authors' marked eigenvalue). */
  dominant: Complex;
  dominantKind: 'real' | 'complex';
  /** 2π / |arg λ*| in steps (ms in the paper) when λ* is complex, else null. */
  dominantPeriod: number | null;
  /** Eigenvalues with |λ| > 1 + tol (tol removes the round-off of orthogonal matrices, paper-spec §9.1). */
  outsideUnitCircle: number;
}

export function summarizeSpectrum(ev: Complex[], tol = 1e-6, imagTol = 1e-9): SpectrumSummary {
  let dominant = ev[0];
  for (const e of ev) if (e.re > dominant.re || (e.re === dominant.re && e.im > dominant.im)) dominant = e;
  const complex = Math.abs(dominant.im) > imagTol;
  return {
    eigenvalues: ev,
    spectralRadius: Math.max(...ev.map((e) => Math.hypot(e.re, e.im))),
    dominant,
    dominantKind: complex ? 'complex' : 'real',
    dominantPeriod: complex ? (2 * Math.PI) / Math.abs(Math.atan2(dominant.im, dominant.re)) : null,
    outsideUnitCircle: ev.filter((e) => Math.hypot(e.re, e.im) > 1 + tol).length,
  };
}

export function recurrentSpectrum(model: RnnModel): SpectrumSummary {
  // the effective W_rec* (Dale's law and masks applied): the matrix the network computes with
  return summarizeSpectrum(eigenvalues(effectiveWeights(model).W_rec, model.config.nRec));
}
