/**
 * The record of one finished network, `<dir>/jobs/<id>.json`: the JobResult plus a format tag and a SHA-256 of its
 * content. Records are untrusted input when read back (they may be edited, truncated or planted by anyone with
 * access to the folder), so every field the summary uses is checked here; a record that fails is set aside and its
 * network recomputed, never used.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkedKernelBuild, modelFromJson, parseJson } from '@rnnlab/engine';
import { readTextFile, writeFileAtomic } from '@rnnlab/engine/node';
import type { JobResult, TrainJob } from './job';
import { seal, sealProblem } from '@rnnlab/engine/advanced';

const RECORD_FORMAT = 'rnnlab-paper-record';
const RECORD_VERSION = 1;

export interface StoredRecord extends JobResult {
  format: typeof RECORD_FORMAT;
  version: number;
  sha256: string;
}

export function recordPath(dir: string, id: string): string {
  return path.join(dir, 'jobs', `${id}.json`);
}

export function writeRecord(dir: string, r: JobResult): void {
  const payload = { format: RECORD_FORMAT, version: RECORD_VERSION, ...r };
  writeFileAtomic(recordPath(dir, r.id), seal(payload));
}

const LATE = ['fixed-point', 'oscillation', 'chaotic'];

/** Why `raw` is not a valid record of `job`, or null when it is. */
function recordProblem(raw: unknown, job: TrainJob): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const r = raw as Record<string, unknown>;
  if (r.format !== RECORD_FORMAT || r.version !== RECORD_VERSION)
    return `not a version-${RECORD_VERSION} ${RECORD_FORMAT}`;
  const unsealed = sealProblem(r);
  if (unsealed) return unsealed;
  if (JSON.stringify(r.job) !== JSON.stringify(job)) return "its recipe is not the planned job's";
  if (r.id !== job.id) return "its id is not the planned job's";
  const finite = (v: unknown, lo = -Infinity, hi = Infinity) =>
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
  for (const k of ['seconds', 'meanDistance'] as const)
    if (!finite(r[k], 0)) return `"${k}" is not a finite number ≥ 0`;
  if (!finite(r.accuracy, 0, 1)) return '"accuracy" is not a number in [0, 1]';
  if (!Number.isInteger(r.epochs) || !Number.isInteger(r.steps)) return '"epochs" / "steps" are not integers';
  if (!Array.isArray(r.history) || r.history.some((h) => !finite((h as { loss?: unknown })?.loss, 0)))
    return '"history" is not a list of finite epoch losses';
  const dist = r.distance as Record<string, unknown> | undefined;
  if (!dist || !['sd', 'min', 'median', 'max'].every((k) => finite(dist[k], 0)))
    return '"distance" is not a set of finite numbers ≥ 0';
  const byCond = r.distanceByCondition as Record<string, unknown> | undefined;
  if (
    !byCond ||
    typeof byCond !== 'object' ||
    !Object.entries(byCond).every(([k, v]) => /^[\w-]{1,40}$/.test(k) && finite(v, 0))
  )
    return '"distanceByCondition" is not a map of trial types to finite distances';
  const sp = r.spectrum as Record<string, unknown> | undefined;
  if (!sp || !finite(sp.radius, 0) || !['real', 'complex'].includes(sp.kind as string) || !Number.isInteger(sp.outside))
    return '"spectrum" is malformed';
  if (r.lateBehaviour !== null) {
    const lb = r.lateBehaviour as Record<string, { behaviour?: unknown }> | undefined;
    if (
      !lb ||
      typeof lb !== 'object' ||
      !Object.entries(lb).every(([k, v]) => /^[\w-]{1,40}$/.test(k) && LATE.includes(v?.behaviour as string))
    )
      return '"lateBehaviour" is not a map of trial types to fixed-point / oscillation / chaotic';
  }
  if (r.kernelBuilds !== undefined) {
    if (!Array.isArray(r.kernelBuilds) || r.kernelBuilds.length < 1 || r.kernelBuilds.length > 16)
      return '"kernelBuilds" is not a list of 1 to 16 builds';
    try {
      r.kernelBuilds.forEach((b, i) => checkedKernelBuild(b, `kernelBuilds[${i}]`));
    } catch (e) {
      return (e as Error).message;
    }
  }
  try {
    modelFromJson(r.model, 'model');
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

export type RecordState =
  { state: 'missing' } | { state: 'bad'; problem: string } | { state: 'ok'; record: StoredRecord };

export function readRecord(dir: string, job: TrainJob): RecordState {
  const f = recordPath(dir, job.id);
  if (!fs.existsSync(f)) return { state: 'missing' };
  let raw: unknown;
  try {
    raw = parseJson(readTextFile(f, 'record'), f);
  } catch (e) {
    return { state: 'bad', problem: (e as Error).message };
  }
  const problem = recordProblem(raw, job);
  return problem ? { state: 'bad', problem } : { state: 'ok', record: raw as StoredRecord };
}

/** Move a bad record out of the way (kept for inspection as <id>.json.bad-<time>), so that it is recomputed. */
export function setAsideRecord(dir: string, id: string): string {
  const f = recordPath(dir, id),
    aside = `${f}.bad-${Date.now()}`;
  fs.renameSync(f, aside);
  return aside;
}
