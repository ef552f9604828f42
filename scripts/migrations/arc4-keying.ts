/**
 * One-off migration of a `rnnlab paper` run folder made before the ARC4 keying fix (engine/core/random.ts, arc4Key).
 *
 * Before the fix, seedrandom read the seed text cyclically, so seeds 1 and 11 trained the same network, and the
 * evaluation seed 777 drew exactly the trials of seed 7. After it, every seed whose text is not a repetition keeps
 * its stream bit for bit; 11 and 777 get streams of their own. For a run folder that means:
 * - every record whose training seed is periodic (s11) is no longer what its recipe now trains: it is moved aside
 *   (`<id>.json.bad-<time>`) and the next `rnnlab paper` run trains it again;
 * - every other record stays valid once its recipe is the plan's new one: `evalSeed: 7` (whose stream is the old
 *   777's) and `lateSeed: 778` (the late-behaviour trials, drawn with evalSeed + 1 before). This script proves that
 *   per record before writing anything: it evaluates the stored network again with the current code and requires the
 *   accuracy, the trial distances, the distance per condition and the late behaviour to equal the record's bit for
 *   bit. Any difference aborts with no file changed.
 *
 *   npx tsx scripts/migrations/arc4-keying.ts <run folder> [--write]
 *
 * Without --write it only checks and reports. Kept in the tree as the provenance of the edit it made to
 * results/paper-medium (December 2026), and for anyone holding a run folder from before the fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseJson } from '@rnnlab/engine';
import { arc4Key } from '@rnnlab/engine/advanced';
import { createWasmBackend, enableRelaxedSimd } from '@rnnlab/engine/node';
import { evaluateNetwork } from '../../experiments/paper/evaluate';
import { planJobs, SCALES } from '../../experiments/paper/plan';
import type { TrainJob } from '../../experiments/paper/job';
import { sealProblem } from '@rnnlab/engine/advanced';
import { recordPath, setAsideRecord, writeRecord, type StoredRecord } from '../../experiments/paper/record';
import { modelOf } from '../../experiments/paper/trained-weights';

/** The planned job of `old` (a recipe from before the fix) in any scale: the same recipe, but with its seeds named. */
const PLANNED = SCALES.map((scale) => new Map(planJobs(scale).jobs.map(({ job }) => [job.id, job])));
function plannedJob(old: TrainJob): TrainJob | null {
  for (const plan of PLANNED) {
    const job = plan.get(old.id);
    if (!job) continue;
    // Before: { ..., evalSeed: 777, dynamics } with the late-behaviour trials drawn with evalSeed + 1.
    const before = { ...job, evalSeed: 777, lateSeed: undefined };
    if (job.evalSeed === 7 && job.lateSeed === 778 && JSON.stringify(before) === JSON.stringify(old)) return job;
  }
  return null;
}

function main(argv: string[]): void {
  const dir = argv.find((a) => !a.startsWith('--'));
  const write = argv.includes('--write');
  if (!dir || !fs.existsSync(path.join(dir, 'jobs'))) {
    console.error('usage: arc4-keying.ts <run folder with jobs/> [--write]');
    process.exit(2);
  }
  const files = fs.readdirSync(path.join(dir, 'jobs')).filter((f) => f.endsWith('.json'));
  // The records were made by the rnnlab CLI, which switches relaxed SIMD on: the fused multiply-add kernels.
  enableRelaxedSimd();
  const backend = createWasmBackend();
  if (backend.name !== 'wasm-simd+fma') throw new Error(`this Node has no relaxed SIMD (${backend.name})`);
  const retrain: string[] = [];
  const migrated: StoredRecord[] = [];
  let current = 0;
  for (const f of files.sort()) {
    const r = parseJson(fs.readFileSync(path.join(dir, 'jobs', f), 'utf8'), f) as StoredRecord;
    if (recordPath(dir, r.id) !== path.join(dir, 'jobs', f)) throw new Error(`${f}: its id is ${JSON.stringify(r.id)}`);
    // Never reseal a record that was damaged or edited: that would turn a refused record into an accepted one.
    const unsealed = sealProblem(r as unknown as Record<string, unknown>);
    if (unsealed) throw new Error(`${f}: ${unsealed}; nothing written`);
    if (r.job.lateSeed !== undefined) {
      current++; // made, or migrated, after the fix
      continue;
    }
    const periodic = [r.job.seed, r.job.train.seed, r.job.dataSeed].some((s) => arc4Key(s) !== String(s));
    if (periodic) {
      retrain.push(r.id);
      continue;
    }
    const job = plannedJob(r.job);
    if (!job) throw new Error(`${r.id}: its recipe is no planned job's with evalSeed 777; nothing written`);
    const ev = evaluateNetwork(modelOf(r).model, job.task, job.taskParams, {
      evalTrials: job.evalTrials,
      evalSeed: job.evalSeed,
      lateSeed: job.lateSeed,
      backend,
      dynamics: job.dynamics,
    });
    const same =
      ev.accuracy === r.accuracy &&
      ev.meanDistance === r.meanDistance &&
      JSON.stringify(ev.distanceByCondition) === JSON.stringify(r.distanceByCondition) &&
      JSON.stringify(ev.lateBehaviour) === JSON.stringify(r.lateBehaviour) &&
      Math.min(...ev.distances) === r.distance.min &&
      Math.max(...ev.distances) === r.distance.max;
    if (!same) throw new Error(`${r.id}: evaluation with seeds 7 / 778 differs from the record; nothing written`);
    migrated.push({ ...r, job });
    process.stdout.write('.');
  }
  if (current > 0) console.log(`\n${current} records already have the new recipe (left as they are)`);
  console.log(`\n${migrated.length} records evaluate identically with evalSeed 7 and lateSeed 778`);
  console.log(`${retrain.length} records have a periodic seed and must be trained again: ${retrain.join(', ')}`);
  if (!write) return console.log('checked only; run with --write to migrate');
  for (const r of migrated) {
    const { format: _f, version: _v, sha256: _s, ...result } = r;
    writeRecord(dir, result);
  }
  for (const id of retrain) console.log(`set aside ${setAsideRecord(dir, id)}`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`\narc4-keying: ${(e as Error).message}`);
  process.exit(1);
}
