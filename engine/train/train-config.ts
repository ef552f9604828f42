/**
 * The training configuration (the paper's protocol is the default) and its validation, shared by the Trainer and
 * the checkpoint format.
 */
import { RnnlabError } from '../core/tensor';
import { LOSS_NORMALIZATIONS, type LossNormalization } from '../step/loss';
import { ADAM_DEFAULTS, validateAdamConfig, type AdamConfig } from '../step/optim';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  loss: LossNormalization;
  /** Global gradient-norm clipping; 0 disables (the paper does not clip). */
  clipNorm: number;
  /**
   * Stop after an epoch whose mean training loss is below this (paper: 5e-4 AND/NOT, 1e-4 OR, 1e-3 others); 0 disables.
   */
  earlyStopLoss: number;
  shuffle: boolean;
  /** Seeds the shuffling and the recurrent noise (weight init has its own seed). */
  seed: number | string;
  adam: AdamConfig;
}

export const TRAIN_DEFAULTS: Readonly<TrainConfig> = Object.freeze({
  epochs: 20,
  batchSize: 64,
  loss: 'mask-nonzero',
  clipNorm: 0,
  earlyStopLoss: 0,
  shuffle: true,
  seed: 1,
  adam: ADAM_DEFAULTS,
});

/** What a caller gives: any subset of TrainConfig, Adam's settings included; the rest comes from TRAIN_DEFAULTS. */
export type TrainOptions = Partial<Omit<TrainConfig, 'adam'>> & { adam?: Partial<AdamConfig> };

export function validateTrainConfig(raw: TrainOptions): TrainConfig {
  const c: TrainConfig = { ...TRAIN_DEFAULTS, ...raw, adam: validateAdamConfig(raw.adam ?? {}) };
  const intPos = (k: 'epochs' | 'batchSize') => {
    if (!Number.isInteger(c[k]) || c[k] <= 0)
      throw new RnnlabError(`train.${k} must be a positive integer, got ${JSON.stringify(c[k])}`);
  };
  intPos('epochs');
  intPos('batchSize');
  if (!LOSS_NORMALIZATIONS.includes(c.loss))
    throw new RnnlabError(`train.loss must be one of ${LOSS_NORMALIZATIONS.join(', ')}, got ${JSON.stringify(c.loss)}`);
  for (const k of ['clipNorm', 'earlyStopLoss'] as const) {
    if (typeof c[k] !== 'number' || !(c[k] >= 0) || !Number.isFinite(c[k]))
      throw new RnnlabError(`train.${k} must be a finite number >= 0, got ${JSON.stringify(c[k])}`);
  }
  return c;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  steps: number;
}

export type StopReason = 'epochs' | 'early-stop' | null;
