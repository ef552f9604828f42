/**
 * The training loop of the paper (Keras `fit`): epochs over a fixed trial set, reshuffled each epoch, minibatches of
 * 64, full-sequence BPTT, Adam, and early stopping when the epoch's mean training loss falls below a threshold.
 *
 * A Trainer is a resumable state machine: everything that determines the future (weights, Adam moments, the RNG
 * state used for shuffling and recurrent noise, the current epoch's trial order and position, the running loss sums)
 * is in its state, and `toCheckpoint` / `Trainer.fromCheckpoint` round-trip it exactly, so a resumed run produces
 * the same bits as an uninterrupted one.
 */
import { RnnlabError } from '../core/tensor';
import { allocParamSet, type RnnModel, validateModel } from '../core/model';
import { type ParamSet } from '../core/config';
import { createWorkspace, loadTrials, type RnnWorkspace } from '../step/workspace';
import { checkTargetsForReadout } from '../step/loss';
import {
  batchObjective,
  createStepModel,
  finishMinibatchObjective,
  stepModel,
  type LossTerms,
} from '../step/objective';
import { adamStep, clipGradNorm, createAdamState, type AdamState } from '../step/optim';
import { Rng } from '../core/random';
import { validateTrials, type Trials } from '../core/trials';
import { type Backend, type MinibatchGradient, validateBackend } from '../step/backend';
import { modelToJson } from '../io/serialize';
import {
  validateTrainConfig,
  type EpochRecord,
  type StopReason,
  type TrainConfig,
  type TrainOptions,
} from './train-config';
import {
  sealCheckpoint,
  sealedCheckpointText,
  trialsFingerprint,
  verifyCheckpointAndModel,
  type Amendment,
  type TrainCheckpoint,
  type TrainCheckpointPayload,
} from '../io/checkpoint';
import type { InitConfig } from '../core/init';

export * from './train-config';

/** Raised when the loss or the gradient stops being finite; the model is left as it was before the bad step. */
export class DivergenceError extends RnnlabError {
  constructor(
    message: string,
    readonly step: number,
    readonly epoch: number,
  ) {
    super(message);
    this.name = 'DivergenceError';
  }
}

/** Why Trainer.run calls onCheckpoint: a period of updates, an epoch's end, or a stop request. */
export type CheckpointReason = 'period' | 'epoch' | 'stop';

export interface TrainProgress {
  epoch: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  step: number;
  loss: number;
}

export class Trainer {
  /** Fixed for the run, except gradient clipping, which amendClipNorm may change (recorded in amendments). */
  config: TrainConfig;
  readonly amendments: Amendment[] = [];
  readonly stepsPerEpoch: number;
  /** Completed epochs. */
  epoch = 0;
  /** Minibatches done in the current epoch. */
  stepInEpoch = 0;
  epochLossSum = 0;
  epochTrials = 0;
  readonly history: EpochRecord[] = [];
  /** Loss of every minibatch, in order (the loss curve). */
  readonly stepLosses: number[] = [];
  stopReason: StopReason = null;
  adam: AdamState;
  rng: Rng;
  order: Int32Array;
  /** Minibatch size (the last batch of an epoch may be smaller). */
  private readonly batch: number;
  /** Workspace of the per-product path; null when the backend computes whole minibatch gradients (it has its own). */
  private readonly ws: RnnWorkspace | null;
  private readonly grads: ParamSet;
  /** Set when the backend computes whole minibatch gradients: wasm-simd with threads > 1, gpu.js pipelines. */
  private readonly minibatch: MinibatchGradient | null;
  /** The effective-weight copy the network runs on under Dale's law (objective.ts stepModel), or null. */
  private readonly scratch: RnnModel | null;
  /** Scratch for the per-product path's loss terms, reused every step (the whole-minibatch path sums them itself). */
  private readonly terms: Partial<LossTerms> = {};

  constructor(
    readonly model: RnnModel,
    readonly trials: Trials,
    config: TrainOptions,
    readonly backend: Backend,
    readonly init: InitConfig | null = null,
  ) {
    this.config = validateTrainConfig(config);
    validateModel(model);
    validateBackend(backend);
    validateTrials(trials, 'training trials');
    if (trials.nIn !== model.config.nIn || trials.nOut !== model.config.nOut) {
      throw new RnnlabError(
        `the task has ${trials.nIn} inputs / ${trials.nOut} outputs but the model has ${model.config.nIn} / ` +
          `${model.config.nOut}`,
      );
    }
    checkTargetsForReadout(trials, model.config.readout);
    const B = Math.min(this.config.batchSize, trials.nTrials);
    this.stepsPerEpoch = Math.ceil(trials.nTrials / B);
    this.batch = B;
    this.grads = allocParamSet(model.config);
    this.scratch = createStepModel(model);
    this.minibatch =
      model.config.dtype === 'float32' && backend.createMinibatchGradient
        ? backend.createMinibatchGradient(model.config, B, trials.nSteps)
        : null;
    this.ws = this.minibatch ? null : createWorkspace(model.config, B, trials.nSteps, backend);
    this.adam = createAdamState(model);
    this.rng = new Rng(this.config.seed);
    this.order = new Int32Array(trials.nTrials).map((_, i) => i);
    this.newEpochOrder();
  }

  /**
   * Stop the backend's minibatch worker, if any (threads are unref'd, so forgetting this never keeps a process alive).
   */
  dispose(): void {
    this.minibatch?.destroy();
  }

  /**
   * How each minibatch's gradient is computed: 'per-product' (the engine's time loop calling backend.gemm), or
   * the backend's own minibatch path: 'data-parallel xN threads', 'gpu.js pipeline (<executor>)'.
   */
  get gradientPath(): string {
    const m = this.minibatch;
    if (!m) return 'per-product';
    if (m.executor !== undefined) return `gpu.js pipeline (${m.executor})`;
    return m.threads > 1 ? `data-parallel x${m.threads} threads` : 'minibatch';
  }

  private fingerprint: string | null = null;

  /** The trial set's fingerprint, computed once (the trials do not change during training). */
  get dataFingerprint(): string {
    return (this.fingerprint ??= trialsFingerprint(this.trials));
  }

  get step(): number {
    return this.adam.step;
  }

  get done(): boolean {
    return this.stopReason !== null;
  }

  private newEpochOrder(): void {
    for (let i = 0; i < this.order.length; i++) this.order[i] = i;
    if (this.config.shuffle) this.rng.shuffle(this.order);
  }

  /** One minibatch: forward, loss, BPTT, (clip), Adam. Returns the minibatch loss (before the update). */
  trainStep(): number {
    if (this.done) throw new RnnlabError('training has already finished');
    const { model, ws, grads, trials } = this;
    const B = this.batch;
    const start = this.stepInEpoch * B;
    const count = Math.min(B, trials.nTrials - start);
    const rng = model.config.noiseStd > 0 ? this.rng : null;
    const run = stepModel(model, this.scratch);
    let loss: number;
    if (!ws) {
      const part = this.minibatch!.lossAndGradient(run, trials, this.order, start, count, this.config.loss, grads, rng);
      loss = finishMinibatchObjective(model, run, grads, part);
    } else {
      loadTrials(ws, trials, this.order, start, count);
      loss = batchObjective(model, run, ws, this.backend, grads, this.config.loss, rng, this.terms).total!;
    }
    if (!Number.isFinite(loss)) {
      throw new DivergenceError(
        `training diverged: the loss is ${loss} at epoch ${this.epoch + 1}, step ${this.step + 1}; try a smaller ` +
          `learning rate or gradient clipping (--clip)`,
        this.step,
        this.epoch,
      );
    }
    const norm = clipGradNorm(model, grads.flat, this.config.clipNorm);
    if (!Number.isFinite(norm)) {
      // A float32 gradient that is not finite while the loss is has overflowed (|g| > 3.4e38): an exploding gradient,
      // which float64 represents and clipping then rescales (issue 27: N = 6, normal init, 8.8e40 at step 2).
      const overflow =
        model.config.dtype === 'float32'
          ? ' (the gradient overflowed float32, whose largest value is 3.4e38: an exploding gradient through time, ' +
            'which float64 (--dtype float64) represents and --clip then rescales)'
          : '';
      throw new DivergenceError(
        `training diverged: the gradient norm is ${norm} at epoch ${this.epoch + 1}, step ${this.step + 1}` +
          `${overflow}; try a smaller learning rate or gradient clipping (--clip)`,
        this.step,
        this.epoch,
      );
    }
    adamStep(model, grads.flat, this.adam, this.config.adam);
    this.stepLosses.push(loss);
    this.epochLossSum += loss * count;
    this.epochTrials += count;
    this.stepInEpoch++;
    if (this.stepInEpoch === this.stepsPerEpoch) this.endEpoch();
    return loss;
  }

  private endEpoch(): void {
    const mean = this.epochLossSum / this.epochTrials;
    this.epoch++;
    this.history.push({ epoch: this.epoch, loss: mean, steps: this.step });
    this.stepInEpoch = 0;
    this.epochLossSum = 0;
    this.epochTrials = 0;
    if (this.config.earlyStopLoss > 0 && mean < this.config.earlyStopLoss) this.stopReason = 'early-stop';
    else if (this.epoch >= this.config.epochs) this.stopReason = 'epochs';
    else this.newEpochOrder();
  }

  /**
   * Train until done, until `maxSteps` more steps, or until `shouldStop` (polled after every update) says so.
   * `onStep` sees every step; `onCheckpoint` is called every `checkpointEvery` steps, at the end of every epoch and
   * when stopped, after the state is consistent, with the reason. Returns how the loop ended.
   */
  run(
    opts: {
      maxSteps?: number;
      checkpointEvery?: number;
      onStep?: (p: TrainProgress) => void;
      onCheckpoint?: (t: Trainer, reason: CheckpointReason) => void;
      shouldStop?: () => boolean;
    } = {},
  ): 'done' | 'paused' | 'stopped' {
    const limit = opts.maxSteps ?? Infinity;
    for (let n = 0; n < limit && !this.done; n++) {
      const epochBefore = this.epoch;
      const loss = this.trainStep();
      opts.onStep?.({
        epoch: this.epoch,
        stepInEpoch: this.stepInEpoch,
        stepsPerEpoch: this.stepsPerEpoch,
        step: this.step,
        loss,
      });
      if (opts.shouldStop?.()) {
        opts.onCheckpoint?.(this, 'stop');
        return 'stopped';
      }
      const atEpochEnd = this.epoch !== epochBefore;
      const periodic =
        opts.checkpointEvery !== undefined && opts.checkpointEvery > 0 && this.step % opts.checkpointEvery === 0;
      if (opts.onCheckpoint && (atEpochEnd || periodic)) opts.onCheckpoint(this, atEpochEnd ? 'epoch' : 'period');
    }
    return this.done ? 'done' : 'paused';
  }

  // -------------------------------------------------------------------------------------------------------------
  // Checkpoints (the format and its verification: checkpoint.ts)

  /**
   * Change gradient clipping from the next update on (a resumed run that diverged can be given --clip). The change
   * is kept in `amendments`, and so in every later checkpoint, so the run's history says what was trained how.
   */
  amendClipNorm(clipNorm: number): void {
    if (!(clipNorm >= 0) || !Number.isFinite(clipNorm))
      throw new RnnlabError(`clipNorm must be a finite number >= 0, got ${clipNorm}`);
    if (clipNorm === this.config.clipNorm) return;
    this.amendments.push({ step: this.step, clipNorm, previous: this.config.clipNorm });
    this.config = { ...this.config, clipNorm };
  }

  toCheckpoint(extra: Record<string, unknown> = {}): TrainCheckpoint {
    return sealCheckpoint(this.checkpointPayload(extra));
  }

  /** The sealed checkpoint as the JSON text to write (the payload is stringified once: see sealedCheckpointText). */
  checkpointText(extra: Record<string, unknown> = {}): string {
    return sealedCheckpointText(this.checkpointPayload(extra));
  }

  private checkpointPayload(extra: Record<string, unknown>): TrainCheckpointPayload {
    return {
      format: 'rnnlab-checkpoint',
      version: 2,
      model: modelToJson(this.model, this.init),
      train: this.config,
      epoch: this.epoch,
      stepInEpoch: this.stepInEpoch,
      epochLossSum: this.epochLossSum,
      epochTrials: this.epochTrials,
      history: this.history,
      stepLosses: this.stepLosses,
      stopReason: this.stopReason,
      adam: { step: this.adam.step, m: Array.from(this.adam.m), v: Array.from(this.adam.v) },
      rng: this.rng.state(),
      order: Array.from(this.order),
      data: { nTrials: this.trials.nTrials, nSteps: this.trials.nSteps, fingerprint: this.dataFingerprint },
      amendments: this.amendments,
      extra,
    };
  }

  /**
   * Rebuild a trainer from a checkpoint, after verifying it completely (checksum, schema, ranges: checkpoint.ts);
   * `trials` must be the data it was made with (checked by size and fingerprint).
   */
  static fromCheckpoint(raw: unknown, trials: Trials, backend: Backend, source = 'checkpoint'): Trainer {
    const { checkpoint: ck, loaded } = verifyCheckpointAndModel(raw, source);
    const { model, init } = loaded;
    const fp = trialsFingerprint(trials);
    if (ck.data.nTrials !== trials.nTrials || ck.data.nSteps !== trials.nSteps || ck.data.fingerprint !== fp) {
      throw new RnnlabError(
        `${source}: the training data differ from the data the checkpoint was made with (${ck.data.nTrials} trials ` +
          `of ${ck.data.nSteps} steps, fingerprint ${ck.data.fingerprint}; now ${trials.nTrials} of ` +
          `${trials.nSteps}, ${fp}); resume with the same task options`,
      );
    }
    const t = new Trainer(model, trials, ck.train, backend, init);
    t.fingerprint = fp;
    t.adam.step = ck.adam.step;
    t.adam.m.set(ck.adam.m);
    t.adam.v.set(ck.adam.v);
    t.rng = new Rng(t.config.seed, ck.rng);
    t.order.set(ck.order);
    t.epoch = ck.epoch;
    t.stepInEpoch = ck.stepInEpoch;
    t.epochLossSum = ck.epochLossSum;
    t.epochTrials = ck.epochTrials;
    t.history.push(...ck.history);
    t.stepLosses.push(...ck.stepLosses);
    t.amendments.push(...ck.amendments);
    t.stopReason = ck.stopReason;
    return t;
  }
}
