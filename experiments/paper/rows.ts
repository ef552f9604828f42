/**
 * The shapes of the merged results (results.json): the rows that aggregation builds, the claims judge and the page
 * draws. They live here, apart from the code that makes or reads them, so merge, claims and page import types and
 * not each other.
 */
import type { DamageRow } from '@rnnlab/analysis';
import type { KernelBuild } from '@rnnlab/engine';
import type { AnchorRow } from './anchors';
import type { Scale } from './plan';
import type { BestEpochReplay } from './replay';
import type { Interval } from './claims/stats';
import type { NoiseRow, TransferRow } from './robustness';

export interface DegeneracyLevels {
  behaviour: number;
  dynamics: number;
  /** Absent in results merged before DSA. */
  dsa?: number;
  weights: number;
}

export interface PointStats {
  x: number;
  /** Networks at this point, and how many solve the task (accuracy ≥ 90 % on fresh trials). */
  n: number;
  solved: number;
  mean: number;
  sd: number;
  sem: number;
  median: number;
  min: number;
  max: number;
  /** Every network's mean distance, in plan order (the distribution, not only its mean). */
  distances: number[];
}

export interface DiversityRow {
  task: string;
  init: string;
  networks: number;
  solved: number;
  /** Mean epochs trained (fewer than the protocol's when early stopping was reached). */
  epochs: number;
  dominantReal: number;
  dominantComplex: number;
  /** Means over networks: spectral radius and eigenvalues outside the unit circle, before and after training. */
  radiusBefore: number;
  radiusAfter: number;
  outsideBefore: number;
  outsideAfter: number;
  /** Late behaviour per trial type: pattern → number of networks. */
  lateBehaviour: Record<string, number>;
  divergedAfterLearning: number;
  /**
   * Per network, in record order: the epoch with the lowest mean training loss, that loss, and the final epoch's
   * (the record's weights are the final ones; a network flagged as diverged had learned at its best epoch).
   */
  learning: {
    id: string;
    bestEpoch: number;
    bestLoss: number;
    finalLoss: number;
    diverged: boolean;
    /** The final weights' accuracy on the evaluation trials, and their rms W_rec change relative to σ. */
    accuracy: number;
    relativeChange: number;
    /** The network at its best epoch, replayed (`rnnlab paper --replay-best`); null: not replayed. */
    atBestEpoch: BestEpochReplay | null;
    /** λ* real or complex, and whether any trial type ends oscillating (free run after the trial). */
    lambdaKind?: 'real' | 'complex';
    oscillates?: boolean;
    /** Mean distance on the evaluation trials. */
    meanDistance?: number;
    /** λ*'s period in ms (2π/arg λ* steps × dt), when λ* is complex. */
    lambdaPeriodMs?: number | null;
  }[];
  /**
   * Solution degeneracy among the networks of the cell that solve the task (analysis/degeneracy.ts), means over
   * pairs on 32 noise-free trials: behaviour (output distance), dynamics (1 − linear CKA of the hidden
   * trajectories), dsa (DSA's angular distance), weights (W_rec distance after the best unit matching found), and
   * deltaWeights (the training changes under that matching). Beside them the baselines: the same measures between
   * the same networks before training (`initial`) and between untrained networks of independent seeds (`random`).
   * Null with fewer than 2 solvers.
   */
  degeneracy:
    | (DegeneracyLevels & {
        networks: number;
        pairs: number;
        deltaWeights?: number;
        initial?: DegeneracyLevels;
        random?: DegeneracyLevels;
      })
    | null;
  /**
   * W_rec statistics before (regenerated from the recorded seed) and after training, means over networks: Gaussian-fit
   * σ, kurtosis (3 for a Gaussian), and the rms change of the weights relative to σ before (paper-spec §4.3).
   */
  weights: {
    stdBefore: number;
    stdAfter: number;
    kurtosisBefore: number;
    kurtosisAfter: number;
    relativeChange: number;
  };
}

export interface PaperResults {
  scale: Scale;
  protocol: string;
  /** True when rendered with --partial: some networks are missing and listed in `missing`. */
  partial: boolean;
  missing: string[];
  planned: number;
  sizeDelay: number;
  size: PointStats[];
  delay: PointStats[];
  diversity: DiversityRow[];
  /**
   * The large AND networks (the authors' N = 500), per initialisation, read like the diversity cells; size null: none
   * planned.
   */
  large: { size: number | null; rows: DiversityRow[] };
  damage: Array<DamageRow & { networks: number }>;
  /** Per damaged network, at the largest threshold: in how many is positive-only removal worse than negative-only. */
  damageSign: { networks: number; positiveWorse: number };
  /** Robustness to the task's parameterisation without retraining (robustness.ts): input noise, and delays. */
  robustness: { noise: NoiseRow[]; transfer: TransferRow[] };
  /**
   * W_rec pooled over the diversity networks of each initialisation, before and after training: density on 100 bins of
   * [−0.5, 0.5].
   */
  weightHistograms: Array<{
    init: string;
    stage: 'initial' | 'trained';
    networks: number;
    std: number;
    density: number[];
  }>;
  /** The authors' networks through the same evaluation, beside rnnlab's networks of the same task (anchors.ts). */
  anchors: AnchorRow[];
  /** A verdict per claim of the paper, computed from the numbers above (claims.ts). */
  claims: Claim[];
  /**
   * The builds that made the records (kernels/provenance.ts), each with how many networks it trained; `build` null:
   * records made before records named their build.
   */
  kernelBuilds: Array<{ build: KernelBuild | null; networks: number }>;
  /** Not part of the science: compute spent (summed over records). Excluded when comparing runs. */
  timing: { networkSeconds: number };
}

export type Verdict = 'reproduced' | 'partly' | 'not-reproduced' | 'inconclusive';

export interface Claim {
  id: string;
  claim: string;
  authors: string;
  rnnlab: string;
  n: number;
  verdict: Verdict;
  /** The statistic the verdict rests on, with its 95 % interval; null: the rule counts or compares without one. */
  interval: Interval | null;
  note: string;
}

/** One damaged network at the largest thresholds, mean distance over the four AND levels. */
export interface DamageOfNetwork {
  /** The level with the largest distance under protocol "both". */
  fragile: string;
  /** Mean of the positive-band and negative-band cuts. */
  bands: number;
  /** Mean of the cumulative positive-only and negative-only cuts. */
  cumulative: number;
}

export interface ClaimInputs {
  scale: string;
  size: PointStats[];
  delay: PointStats[];
  diversity: DiversityRow[];
  /** The large AND networks (paper.ts' `large`); absent or size null: not in this scale. */
  large?: { size: number | null; rows: DiversityRow[] };
  damage: Array<DamageRow & { networks: number }>;
  /** Per-network sign of positive-only minus negative-only damage at the largest threshold (paper.ts). */
  damageSign?: { networks: number; positiveWorse: number };
  /** Per damaged network: % removed (protocol "both") where its mean distance first exceeds twice its undamaged one. */
  damageOnsets?: number[];
  /** Per damaged network, at the largest thresholds: its most fragile level, its band and cumulative cuts. */
  damageNetworks?: DamageOfNetwork[];
  /** The oscillation task's target period in ms (T / cycles of its generator with the cells' parameters). */
  oscTargetPeriodMs?: number;
  anchors?: AnchorRow[];
  robustness?: { noise: NoiseRow[]; transfer: TransferRow[] };
}
