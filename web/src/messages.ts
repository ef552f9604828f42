/**
 * What the page and the lab's worker say to each other. The worker owns the network (training, loading, lesions,
 * analysis); the page owns the controls and draws the figures the worker sends as Vega-Lite specifications.
 */
import type { VegaLiteSpec } from '@rnnlab/analysis/browser';
import type { SharedRun } from '@rnnlab/experiments/share';

/** How recurrent weights are removed (the effective W_rec decides, as analysis/damage.ts does). */
type LesionMode = 'smallest' | 'largest' | 'positive' | 'negative';

export interface LesionRequest {
  mode: LesionMode;
  /** Fraction of the candidate weights removed, 0 to 1. */
  fraction: number;
  /** Weights removed by hand: [row (receiving unit), column (sending unit)], 0-based. */
  hand: Array<[number, number]>;
}

export type ToWorker =
  | { type: 'train'; run: SharedRun }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'load'; name: string; bytes: ArrayBuffer; task: string; psychrnn: { alpha: number; activation: string } }
  | { type: 'lesion'; lesion: LesionRequest }
  | { type: 'export' };

export interface Progress {
  epoch: number;
  epochs: number;
  step: number;
  totalSteps: number;
  loss: number;
  elapsedMs: number;
  /** Steps per second over the run so far (the ETA's basis). */
  stepsPerSecond: number;
}

/** The figures of the network as it is now, and the numbers a test or a reader can check. */
export interface Analysis {
  figures: Array<[string, VegaLiteSpec]>;
  /** Eigenvalues of the effective W_rec, [re, im] each. */
  eigenvalues: Array<[number, number]>;
  spectralRadius: number;
  /** Late behaviour of each condition after its trial, free-running with zero input. */
  lateBehaviour: Array<{ condition: string; behaviour: string; period: number | null }>;
  fixedPoints: { found: number; stable: number };
  accuracy: number;
  weightsSha256: string;
  /** Updates trained when the analysis was made (null: a loaded network). */
  steps: number | null;
}

export type FromWorker =
  | { type: 'started'; kernel: string; nParams: number; totalSteps: number }
  | {
      type: 'progress';
      progress: Progress;
      losses: number[];
      epochs: Array<{ epoch: number; loss: number; steps: number }>;
    }
  | { type: 'spectrum'; figure: VegaLiteSpec }
  | { type: 'state'; state: 'training' | 'paused' | 'done' | 'stopped' | 'loaded'; reason?: string }
  | { type: 'analysis'; analysis: Analysis }
  | { type: 'lesioned'; figures: Array<[string, VegaLiteSpec]>; removed: number; accuracy: number }
  | { type: 'model'; text: string; fileName: string }
  | { type: 'error'; message: string };
