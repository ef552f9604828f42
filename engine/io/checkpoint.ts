/**
 * The training checkpoint format: a Trainer's complete state as JSON, sealed with a SHA-256 of its content.
 *
 *   { format: "rnnlab-checkpoint", version: 2,
 *     model, train,                                   the network and the training configuration
 *     epoch, stepInEpoch, epochLossSum, epochTrials,  where the run is
 *     history, stepLosses, stopReason,                what it has done
 *     adam: { step, m, v }, rng, order,               what determines the future (Adam moments, RNG, trial order)
 *     data: { nTrials, nSteps, fingerprint },         which trial set it was made with
 *     amendments: [{ step, clipNorm, previous }],     settings changed on resume, in order
 *     extra: {...},                                   the caller's (the CLI stores the run recipe here)
 *     sha256 }                                        SHA-256 of JSON.stringify of everything above
 *
 * A checkpoint is untrusted input: `verifyCheckpoint` recomputes the checksum and then checks every field, naming
 * the first that is wrong, so a changed digit, a truncated file or a missing section is refused with a message and
 * never resumed from. Version 1 (no checksum) cannot be verified and is refused.
 */
import { RnnlabError, type FloatArray } from '../core/tensor';
import { modelFromJson, type LoadedModel, type ModelFile } from './serialize';
import { validateTrainConfig, type EpochRecord, type StopReason, type TrainConfig } from '../train/train-config';
import type { RngState } from '../core/random';
import type { Trials } from '../core/trials';
import { checkSeal, sealObject, sealText } from './seal';

export const CHECKPOINT_FORMAT = 'rnnlab-checkpoint';
export const CHECKPOINT_VERSION = 2;

/** A setting changed when a run was resumed (today only gradient clipping), from `step` on. */
export interface Amendment {
  step: number;
  clipNorm: number;
  previous: number;
}

export interface TrainCheckpointPayload {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  model: ModelFile;
  train: TrainConfig;
  epoch: number;
  stepInEpoch: number;
  epochLossSum: number;
  epochTrials: number;
  history: EpochRecord[];
  stepLosses: number[];
  stopReason: StopReason;
  adam: { step: number; m: number[]; v: number[] };
  rng: RngState;
  order: number[];
  data: { nTrials: number; nSteps: number; fingerprint: string };
  amendments: Amendment[];
  extra: Record<string, unknown>;
}

export interface TrainCheckpoint extends TrainCheckpointPayload {
  sha256: string;
}

/** Add the checksum. The text to write is JSON.stringify of the result. */
export function sealCheckpoint(payload: TrainCheckpointPayload): TrainCheckpoint {
  return sealObject(payload);
}

/**
 * The sealed checkpoint as JSON text, stringifying the (large) payload once: the checksum is appended as the last key,
 * so the text equals JSON.stringify(sealCheckpoint(payload)) character for character.
 */
export function sealedCheckpointText(payload: TrainCheckpointPayload): string {
  return sealText(JSON.stringify(payload));
}

/** Number of minibatches per epoch for a trial count and batch size (the last batch may be smaller). */
export function stepsPerEpochOf(nTrials: number, batchSize: number): number {
  return Math.ceil(nTrials / Math.min(batchSize, nTrials));
}

/**
 * Check a parsed checkpoint completely: checksum first (any edit is caught there), then every field's type, range and
 * consistency, so that a checkpoint written by hand or by a buggy tool is refused with the field named.
 */
export function verifyCheckpoint(raw: unknown, source = 'checkpoint'): TrainCheckpoint {
  return verifyCheckpointAndModel(raw, source).checkpoint;
}

/** The checks' vocabulary: every failure names the field and ends "it cannot be resumed from". */
function checker(source: string) {
  const fail = (why: string): never => {
    throw new RnnlabError(`${source}: ${why}; it cannot be resumed from`);
  };
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const int = (v: unknown, what: string, lo: number, hi: number): number => {
    if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi)
      fail(`${what} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    return v as number;
  };
  const finiteArray = (v: unknown, what: string, length: number, min = -Infinity): number[] => {
    if (!Array.isArray(v)) fail(`${what} is missing or not a list`);
    const a = v as unknown[];
    if (a.length !== length) fail(`${what} has ${a.length} entries, expected ${length}`);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < min)
        fail(`${what}[${i}] must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${JSON.stringify(x)}`);
    }
    return a as number[];
  };
  /** Run a parser whose errors become this checkpoint's failure. */
  const parsed = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail((e as Error).message);
    }
  };
  return { fail, isObj, int, finiteArray, parsed };
}
type Checker = ReturnType<typeof checker>;

/** verifyCheckpoint, also returning the model it parsed and checked on the way (so a resume parses it once). */
export function verifyCheckpointAndModel(
  raw: unknown,
  source = 'checkpoint',
): { checkpoint: TrainCheckpoint; loaded: LoadedModel } {
  const c = checker(source);
  if (!c.isObj(raw)) return c.fail('not a JSON object');
  const ck = raw;
  checkHeader(c, ck);
  for (const k of ['model', 'train', 'adam', 'rng', 'data', 'extra'] as const)
    if (!c.isObj(ck[k])) c.fail(`the "${k}" section is missing or not an object`);
  const loaded = c.parsed(() => modelFromJson(ck.model, 'model'));
  const train = c.parsed(() => validateTrainConfig(ck.train as Partial<TrainConfig>));
  const data = ck.data as Record<string, unknown>;
  const nTrials = c.int(data.nTrials, 'data.nTrials', 1, 2 ** 31 - 1);
  c.int(data.nSteps, 'data.nSteps', 1, 2 ** 31 - 1);
  if (typeof data.fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(data.fingerprint))
    c.fail('data.fingerprint must be 16 hex digits');
  checkProgress(c, ck, train, nTrials, loaded.model.params.flat.length);
  checkOrder(c, ck.order, nTrials);
  checkRngAndAmendments(c, ck);
  return { checkpoint: ck as unknown as TrainCheckpoint, loaded };
}

/** Format, version and seal: any edit of the file is caught here, before its fields are read. */
function checkHeader(c: Checker, ck: Record<string, unknown>): void {
  if (ck.format !== CHECKPOINT_FORMAT)
    c.fail(`"format" is ${JSON.stringify(ck.format)}, not "${CHECKPOINT_FORMAT}" (not an rnnlab training checkpoint)`);
  if (ck.version === 1)
    c.fail('checkpoint version 1 carries no checksum (written by an older rnnlab), so it cannot be verified');
  if (ck.version !== CHECKPOINT_VERSION)
    c.fail(
      `checkpoint version ${JSON.stringify(ck.version)} is not supported (this rnnlab reads version ` +
        `${CHECKPOINT_VERSION})`,
    );
  const sealed = checkSeal(ck);
  if (sealed === 'missing') c.fail('"sha256" is missing');
  if (sealed === 'mismatch')
    c.fail('its SHA-256 does not match its content (the file was changed or damaged after it was written)');
}

/** Where the run is (epoch, step, Adam's step and moments, losses, history, stop reason), consistent together. */
function checkProgress(
  c: Checker,
  ck: Record<string, unknown>,
  train: TrainConfig,
  nTrials: number,
  nParams: number,
): void {
  const spe = stepsPerEpochOf(nTrials, train.batchSize);
  const epoch = c.int(ck.epoch, 'epoch', 0, train.epochs);
  const stepInEpoch = c.int(ck.stepInEpoch, 'stepInEpoch', 0, spe - 1);
  const adam = ck.adam as Record<string, unknown>;
  const step = c.int(adam.step, 'adam.step', 0, Number.MAX_SAFE_INTEGER);
  if (step !== epoch * spe + stepInEpoch)
    c.fail(
      `adam.step is ${step} but epoch ${epoch} and step ${stepInEpoch} of ${spe} per epoch make ` +
        `${epoch * spe + stepInEpoch}`,
    );
  c.finiteArray(adam.m, 'adam.m', nParams);
  c.finiteArray(adam.v, 'adam.v', nParams, 0);
  const epochTrials = c.int(ck.epochTrials, 'epochTrials', 0, nTrials);
  if (stepInEpoch === 0 && epochTrials !== 0) c.fail('epochTrials must be 0 at the start of an epoch');
  if (typeof ck.epochLossSum !== 'number' || !Number.isFinite(ck.epochLossSum) || ck.epochLossSum < 0)
    c.fail(`epochLossSum must be a finite number >= 0, got ${JSON.stringify(ck.epochLossSum)}`);
  c.finiteArray(ck.stepLosses, 'stepLosses', step, 0);
  if (!Array.isArray(ck.history) || ck.history.length !== epoch) c.fail(`history must list ${epoch} epoch(s)`);
  (ck.history as unknown[]).forEach((h, i) => {
    const ok =
      c.isObj(h) &&
      h.epoch === i + 1 &&
      typeof h.loss === 'number' &&
      Number.isFinite(h.loss) &&
      h.steps === (i + 1) * spe;
    if (!ok) c.fail(`history[${i}] must be { epoch: ${i + 1}, loss: finite, steps: ${(i + 1) * spe} }`);
  });
  if (![null, 'epochs', 'early-stop'].includes(ck.stopReason as string | null))
    c.fail(`stopReason must be null, "epochs" or "early-stop", got ${JSON.stringify(ck.stopReason)}`);
  if (ck.stopReason === 'epochs' && epoch !== train.epochs)
    c.fail(`stopReason "epochs" but only ${epoch} of ${train.epochs} epochs are done`);
  if (ck.stopReason === null && epoch === train.epochs) c.fail('every epoch is done but stopReason is null');
  checkSums(c, ck, { nTrials, batch: Math.min(train.batchSize, nTrials), spe, epoch, stepInEpoch });
}

/**
 * The running sums and each epoch's mean loss are functions of the step losses: recomputed here in the Trainer's
 * order, so they must agree to the bit. An edited history loss, sum or trial count is refused with the field named.
 */
function checkSums(
  c: Checker,
  ck: Record<string, unknown>,
  s: { nTrials: number; batch: number; spe: number; epoch: number; stepInEpoch: number },
): void {
  const losses = ck.stepLosses as number[];
  const count = (k: number) => Math.min(s.batch, s.nTrials - k * s.batch);
  const sums = (e: number, steps: number) => {
    let sum = 0,
      trials = 0;
    for (let k = 0; k < steps; k++) {
      sum += losses[e * s.spe + k] * count(k);
      trials += count(k);
    }
    return { sum, trials };
  };
  (ck.history as Array<{ loss: number }>).forEach((h, e) => {
    const { sum, trials } = sums(e, s.spe);
    if (h.loss !== sum / trials)
      c.fail(`history[${e}].loss is ${h.loss} but the epoch's step losses give ${sum / trials}`);
  });
  const now = sums(s.epoch, s.stepInEpoch);
  if (ck.epochTrials !== now.trials)
    c.fail(`epochTrials is ${ck.epochTrials} but ${s.stepInEpoch} steps of this epoch trained ${now.trials} trials`);
  if (ck.epochLossSum !== now.sum)
    c.fail(`epochLossSum is ${ck.epochLossSum} but this epoch's step losses give ${now.sum}`);
}

/** The epoch's trial order must be a permutation of the trial indices. */
function checkOrder(c: Checker, raw: unknown, nTrials: number): void {
  const order = c.finiteArray(raw, 'order', nTrials);
  const seen = new Uint8Array(nTrials);
  for (let i = 0; i < nTrials; i++) {
    const k = order[i];
    if (!Number.isInteger(k) || k < 0 || k >= nTrials)
      c.fail(`order[${i}] = ${k} is not a trial index in [0, ${nTrials - 1}]`);
    if (seen[k]) c.fail(`order is not a permutation: trial ${k} appears twice`);
    seen[k] = 1;
  }
}

/** The random stream's state, and the settings changed on resume. */
function checkRngAndAmendments(c: Checker, ck: Record<string, unknown>): void {
  const rng = ck.rng as Record<string, unknown>;
  const arc4 = rng.arc4 as Record<string, unknown> | undefined;
  if (
    !c.isObj(arc4) ||
    !Number.isInteger(arc4.i) ||
    !Number.isInteger(arc4.j) ||
    !Array.isArray(arc4.S) ||
    arc4.S.length !== 256
  )
    c.fail('rng must hold an ARC4 state { i, j, S[256] }');
  const state = arc4 as { i: number; j: number; S: unknown[] };
  if (state.i < 0 || state.i > 255 || state.j < 0 || state.j > 255) c.fail('rng.arc4.i and .j must be in [0, 255]');
  const seen = new Uint8Array(256);
  state.S.forEach((v, k) => {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255 || seen[v as number])
      c.fail(`rng.arc4.S is not a permutation of 0..255 (entry ${k} is ${JSON.stringify(v)})`);
    seen[v as number] = 1;
  });
  if (!Array.isArray(ck.amendments)) c.fail('"amendments" must be a list');
  (ck.amendments as unknown[]).forEach((a, i) => {
    const ok =
      c.isObj(a) &&
      Number.isInteger(a.step) &&
      typeof a.clipNorm === 'number' &&
      a.clipNorm >= 0 &&
      typeof a.previous === 'number';
    if (!ok) c.fail(`amendments[${i}] must be { step, clipNorm >= 0, previous }`);
  });
  // A chain: each amendment changes what the one before set, in step order, up to this point of the run, and the
  // last one is the clipping the checkpoint's configuration holds.
  const list = ck.amendments as Array<{ step: number; clipNorm: number; previous: number }>;
  const step = (ck.adam as { step: number }).step;
  list.forEach((a, i) => {
    if (a.step < 0 || a.step > step || (i > 0 && a.step < list[i - 1].step))
      c.fail(`amendments[${i}].step ${a.step} is not in order within steps 0..${step}`);
    if (i > 0 && a.previous !== list[i - 1].clipNorm)
      c.fail(`amendments[${i}].previous is ${a.previous} but amendments[${i - 1}] set ${list[i - 1].clipNorm}`);
  });
  const clip = (ck.train as { clipNorm?: number }).clipNorm ?? 0;
  if (list.length > 0 && list[list.length - 1].clipNorm !== clip)
    c.fail(`the last amendment sets clipNorm ${list[list.length - 1].clipNorm} but train.clipNorm is ${clip}`);
}

// Math.imul read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { imul } = Math;

/**
 * A content hash of a trial set, to refuse resuming on different data: two 32-bit multiply–xorshift lanes over the
 * float64 words of inputs, targets and mask (64 bits, 16 hex digits). Word-wise, so the paper's 15000 × 200-step
 * trial set (96 MB) hashes in tens of milliseconds; the Trainer computes it once and reuses it for every checkpoint.
 */
export function trialsFingerprint(tr: Trials): string {
  let h1 = 0x811c9dc5,
    h2 = 0x9747b28c;
  const mix = (a: FloatArray) => {
    // A division, not `>> 2`: a multi-task set passes 2 GB, where the shift's int32 turns negative.
    const words = new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      h1 = imul(h1 ^ w, 0x01000193);
      h1 ^= h1 >>> 13;
      h2 = imul(h2 ^ w, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 = imul(h1 ^ words.length, 0x01000193); // lengths count too: [a, b] + [] ≠ [a] + [b]
    h2 = imul(h2 ^ words.length, 0x5bd1e995);
  };
  mix(tr.inputs);
  mix(tr.targets);
  mix(tr.mask);
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
