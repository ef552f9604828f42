/**
 * A network read at its best epoch, by replaying its training.
 *
 * The pipeline keeps each network's final weights (what Keras' `fit` leaves, and what the authors' N = 50 files
 * are). The authors' N = 500 AND files are early checkpoints instead (epoch 5 and 2), and rnnlab's N = 500 networks
 * learn within a few epochs and then diverge, so the claim about them needs the network at its best epoch, which the
 * record does not store. Training is deterministic on one backend (same seed, same bits), so the job is trained again
 * from its recorded recipe for exactly `bestEpoch` epochs. The replay's per-epoch losses must equal the record's first
 * `bestEpoch` entries bit for bit; a replay that differs is an error, never a result.
 *
 * Stored as `<dir>/replays/<id>.json`, sealed with a SHA-256 like the records, and checked when read back.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildMismatch, parseJson, RnnlabError, wasmKernelBuild } from '@rnnlab/engine';
import { prepareSubdirs, readTextFile, writeFileAtomic } from '@rnnlab/engine/node';
import { runJob, type JobResult } from './job';
import { seal, sealProblem } from '@rnnlab/engine/advanced';
import { readRecord, type StoredRecord } from './record';
import type { PaperPlan } from './plan';
import { recurrentChange } from './trained-weights';

const REPLAY_FORMAT = 'rnnlab-best-epoch-replay';
const REPLAY_VERSION = 1;

export interface BestEpochReplay {
  id: string;
  /** The record's best epoch (lowest mean training loss), and its loss, which the replay reproduced exactly. */
  epoch: number;
  loss: number;
  seconds: number;
  /** The network at that epoch, evaluated as the record's final weights were (same trials, same metric). */
  accuracy: number;
  meanDistance: number;
  distanceByCondition: Record<string, number>;
  spectrum: { radius: number; outside: number; kind: 'real' | 'complex' };
  /** rms(W_rec at that epoch − W_rec initial) / σ(W_rec initial), as the weight tables give it. */
  relativeChange: number;
}

export function replayPath(dir: string, id: string): string {
  return path.join(dir, 'replays', `${id}.json`);
}

/** Train `record`'s job again for its best epoch's number of epochs; check the losses; evaluate that network. */
export function replayBestEpoch(record: StoredRecord): BestEpochReplay {
  const epoch = record.diagnostics.bestEpoch;
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > record.history.length)
    throw new RnnlabError(`record ${record.id}: its best epoch (${epoch}) is not one of its ${record.history.length}`);
  assertReplayable(record);
  const job = { ...record.job, train: { ...record.job.train, epochs: epoch } };
  const r = runJob(job) as JobResult;
  const expected = record.history.slice(0, epoch);
  if (r.history.length !== epoch || r.history.some((h, i) => h.loss !== expected[i].loss))
    throw new RnnlabError(
      `record ${record.id}: the replay does not reproduce the recorded losses (epoch losses ` +
        `${r.history.map((h) => h.loss).join(', ')} against ${expected.map((h) => h.loss).join(', ')}); a different ` +
        `backend or build?`,
    );
  return {
    id: record.id,
    epoch,
    loss: expected[epoch - 1].loss,
    seconds: r.seconds,
    accuracy: r.accuracy,
    meanDistance: r.meanDistance,
    distanceByCondition: r.distanceByCondition,
    spectrum: { radius: r.spectrum.radius, outside: r.spectrum.outside, kind: r.spectrum.kind },
    relativeChange: recurrentChange(r),
  };
}

/**
 * Why this process cannot replay `record` bit for bit (it names a build other than the one a job gets here, or
 * several), or null. A record that names none (made before records named their build) is replayed, and its losses
 * decide.
 */
/** Refuses a record whose training this build cannot reproduce bit for bit (replayBestEpoch, gap.ts). */
export function assertReplayable(record: StoredRecord): void {
  const why = replayBuildProblem(record);
  if (why) throw new RnnlabError(`record ${record.id}: a replay must reproduce its bits, and ${why}`);
}

function replayBuildProblem(record: StoredRecord): string | null {
  const builds = record.kernelBuilds;
  if (!builds) return null;
  if (builds.length > 1) return 'it was trained on several builds (resumed across them)';
  const mismatch = buildMismatch(builds[0], wasmKernelBuild());
  return mismatch ? `it was made on another build: ${mismatch}` : null;
}

function writeReplay(dir: string, replay: BestEpochReplay): void {
  const payload = { format: REPLAY_FORMAT, version: REPLAY_VERSION, ...replay };
  prepareSubdirs(dir, ['replays'], 'results folder');
  writeFileAtomic(replayPath(dir, replay.id), seal(payload));
}

/**
 * The replay of `record`, or null when there is none; a replay file that is damaged, or belongs to another training
 * (its epoch or loss is not the record's best), is reported through `problem` and not used.
 */
export function readReplay(
  dir: string,
  record: StoredRecord,
): { replay: BestEpochReplay | null; problem: string | null } {
  const f = replayPath(dir, record.id);
  if (!fs.existsSync(f)) return { replay: null, problem: null };
  try {
    const raw = parseJson(readTextFile(f, 'replay'), f) as Record<string, unknown>;
    if (raw.format !== REPLAY_FORMAT || raw.version !== REPLAY_VERSION)
      return { replay: null, problem: `${f}: not a version-${REPLAY_VERSION} ${REPLAY_FORMAT}` };
    const unsealed = sealProblem(raw);
    if (unsealed) return { replay: null, problem: `${f}: ${unsealed}` };
    const r = raw as unknown as BestEpochReplay;
    if (r.id !== record.id || r.epoch !== record.diagnostics.bestEpoch || r.loss !== record.diagnostics.bestLoss)
      return { replay: null, problem: `${f}: it is not the replay of this record's best epoch` };
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (
      ![r.accuracy, r.meanDistance, r.relativeChange, r.seconds, r.spectrum?.radius].every(finite) ||
      r.accuracy > 1 ||
      !Number.isInteger(r.spectrum.outside) ||
      !['real', 'complex'].includes(r.spectrum.kind) ||
      typeof r.distanceByCondition !== 'object' ||
      r.distanceByCondition === null ||
      !Object.entries(r.distanceByCondition).every(([k, v]) => /^[\w-]{1,40}$/.test(k) && finite(v))
    )
      return { replay: null, problem: `${f}: a field is missing or out of range` };
    return {
      replay: {
        id: r.id,
        epoch: r.epoch,
        loss: r.loss,
        seconds: r.seconds,
        accuracy: r.accuracy,
        meanDistance: r.meanDistance,
        distanceByCondition: r.distanceByCondition,
        spectrum: { radius: r.spectrum.radius, outside: r.spectrum.outside, kind: r.spectrum.kind },
        relativeChange: r.relativeChange,
      },
      problem: null,
    };
  } catch (e) {
    return { replay: null, problem: (e as Error).message };
  }
}

/**
 * `rnnlab paper --replay-best`: replay the named networks of the plan in `dir` (ids, or `diverged`: every network
 * flagged as diverged after learning that has no valid replay yet) and write their replays. One network at a time;
 * two processes may replay different networks of one folder (each file is written whole, by rename).
 */
export function replayBest(
  paper: PaperPlan,
  dir: string,
  which: string[],
  log: (line: string) => void = () => {},
): BestEpochReplay[] {
  const jobs = paper.jobs;
  const byId = new Map(jobs.map((j) => [j.job.id, j.job]));
  const recordOf = (id: string): StoredRecord => {
    const job = byId.get(id);
    if (!job) throw new RnnlabError(`--replay-best: "${id}" is not a network of the ${paper.scale} scale (see --list)`);
    const st = readRecord(dir, job);
    if (st.state !== 'ok')
      throw new RnnlabError(
        `--replay-best: ${id} has no valid record in ` +
          `${path.join(dir, 'jobs')}${st.state === 'bad' ? ` (${st.problem})` : ''}`,
      );
    return st.record;
  };
  // Every record is read (and verified) once, and every named id is checked before the first replay starts.
  const records = which.includes('diverged')
    ? jobs.flatMap((j) => {
        const st = readRecord(dir, j.job);
        return st.state === 'ok' && st.record.diagnostics.divergedAfterLearning && !readReplay(dir, st.record).replay
          ? [st.record]
          : [];
      })
    : which.map(recordOf);
  if (records.length === 0) log('--replay-best: nothing to replay');
  for (const record of records) {
    const why = replayBuildProblem(record);
    if (why) throw new RnnlabError(`--replay-best: ${record.id} cannot be replayed bit for bit here: ${why}`);
  }
  const done: BestEpochReplay[] = [];
  for (const record of records) {
    log(
      `replaying ${record.id} to its best epoch ${record.diagnostics.bestEpoch} (loss ${record.diagnostics.bestLoss})`,
    );
    const replay = replayBestEpoch(record);
    writeReplay(dir, replay);
    done.push(replay);
  }
  return done;
}
