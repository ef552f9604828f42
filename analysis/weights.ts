/**
 * Weight statistics of paper-spec §4.3: histograms of the recurrent weights, the Gaussian fit (scipy.stats.norm.fit:
 * the maximum-likelihood μ and σ, i.e. σ with 1/n), excess-free kurtosis and skewness of the weights themselves
 * (not of the fitted pdf, a bug of the companion code), and the counts above +0.001 / below −0.001.
 */
export interface WeightStats {
  n: number;
  mean: number;
  std: number;
  skewness: number;
  /** Pearson kurtosis (3 for a Gaussian). */
  kurtosis: number;
  positive: number;
  negative: number;
}

export function weightStats(w: ArrayLike<number>, signThreshold = 0.001): WeightStats {
  const n = w.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += w[i] / n;
  let m2 = 0,
    m3 = 0,
    m4 = 0,
    pos = 0,
    neg = 0;
  for (let i = 0; i < n; i++) {
    const d = w[i] - mean;
    m2 += (d * d) / n;
    m3 += (d * d * d) / n;
    m4 += (d * d * d * d) / n;
    if (w[i] > signThreshold) pos++;
    else if (w[i] < -signThreshold) neg++;
  }
  return {
    n,
    mean,
    std: Math.sqrt(m2),
    skewness: m3 / m2 ** 1.5,
    kurtosis: m4 / (m2 * m2),
    positive: pos,
    negative: neg,
  };
}

/**
 * Density-normalised histogram on [lo, hi) with `bins` equal bins (values outside are dropped, as numpy's range does).
 */
export function histogram(
  w: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number,
): { edges: Float64Array; density: Float64Array } {
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  let inside = 0;
  for (let i = 0; i < w.length; i++) {
    const k = Math.floor((w[i] - lo) / width);
    if (k >= 0 && k < bins) {
      counts[k]++;
      inside++;
    } else if (w[i] === hi) {
      counts[bins - 1]++;
      inside++;
    }
  }
  const density = counts.map((c) => (inside > 0 ? c / (inside * width) : 0));
  const edges = Float64Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, density };
}

export function gaussianPdf(x: number, mean: number, std: number): number {
  return Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI));
}
