/**
 * Waveforms for stimuli and targets, reproducing the authors' generators exactly (paper-spec §2.2):
 * scipy.signal.windows.hann (symmetric), scipy.signal.gaussian, and scipy.signal.convolve(a, k, 'same').
 */

/** Symmetric Hann window: w[n] = 0.5 − 0.5 cos(2πn/(M−1)), n = 0..M−1. */
export function hann(M: number): Float64Array {
  const w = new Float64Array(M);
  if (M === 1) {
    w[0] = 1;
    return w;
  }
  for (let n = 0; n < M; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (M - 1));
  return w;
}

/** scipy.signal.gaussian(M, std): exp(−½ ((n − (M−1)/2) / std)²). */
export function gaussian(M: number, std: number): Float64Array {
  const w = new Float64Array(M);
  for (let n = 0; n < M; n++) {
    const u = (n - (M - 1) / 2) / std;
    w[n] = Math.exp(-0.5 * u * u);
  }
  return w;
}

/**
 * scipy.signal.convolve(a, k, mode='same'): the full convolution (length |a| + |k| − 1) cropped to |a| samples
 * starting at index (|k| − 1) // 2.  out[i] = Σ_j a[j] k[i + c − j], c = (|k| − 1) // 2, terms outside k dropped.
 */
export function convolveSame(a: ArrayLike<number>, k: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  const c = Math.floor((k.length - 1) / 2);
  for (let i = 0; i < a.length; i++) {
    let s = 0;
    for (let j = 0; j < a.length; j++) {
      const ki = i + c - j;
      if (ki >= 0 && ki < k.length) s += a[j] * k[ki];
    }
    out[i] = s;
  }
  return out;
}

export function scale(a: Float64Array, s: number): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] *= s;
  return a;
}

/** The kernel divided by its sum (the authors' `hann(M)/sum(hann(M))`). */
export function normalized(k: ArrayLike<number>): Float64Array {
  const s = sum(k);
  return Float64Array.from(k, (v) => v / s);
}

export function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/**
 * The shape of a segment: given the segment's value (the amplitude from the condition), its length in steps and the
 * trial length, the samples to write. `box` (the default) is a constant.
 */
export type Waveform = (value: number, steps: number, trialSteps: number) => Float64Array;

export const box: Waveform = (value, steps) => new Float64Array(steps).fill(value);

/** A box of height `value` smoothed by `kernel` with convolve(…, 'same') (the authors' Hann/Gaussian stimuli). */
export function smoothedBox(kernel: ArrayLike<number>): Waveform {
  return (value, steps) => convolveSame(box(value, steps, 0), kernel);
}

/**
 * The authors' finite oscillation: convolve(value·ones(L), sin(2π·cycles·n/T), 'same') with n = 0..T−1, i.e. a
 * sinusoid of period T/cycles steps whose amplitude is set by L (paper-spec §2.2 OSC).
 */
export function convolvedSine(cycles: number, amplitude: number): Waveform {
  return (value, steps, T) => {
    const k = new Float64Array(T);
    for (let n = 0; n < T; n++) k[n] = Math.sin((2 * Math.PI * cycles * n) / T);
    return scale(convolveSame(box(value, steps, T), k), amplitude);
  };
}
