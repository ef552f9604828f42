/**
 * The paper's experiments as three steps that a cluster can run apart, on one plan resolved once (plan.ts):
 *   plan   planJobs(scale): every job, its shard, its estimated cost            (`rnnlab paper --list`)
 *   shard  runShard: train the jobs of one shard, a record per network          (`rnnlab paper --shard K/N`)
 *   merge  mergePaper: records → measurements → results.json and the page      (`rnnlab paper --merge`)
 * runPaper does all three on one machine.
 */
import * as path from 'path';
import { createWasmBackend, RnnlabError } from '@rnnlab/engine';
import { exampleNetworks } from './examples';
import { lateBehaviours } from './evaluate';
import { modelOf } from './trained-weights';
import { prepareOutputDir, removeDeadWritersTempFiles, writeFileAtomic } from '@rnnlab/engine/node';
import { paperCells } from './cells';
import { measure } from './measure';
import { writeResultsPage } from './page';
import type { PaperPlan } from './plan';
import { readRecord, type StoredRecord } from './record';
import { readReplay, type BestEpochReplay } from './replay';
import type { PaperResults } from './rows';
import { runShard, type ShardOptions } from './shards';
import { summarize } from './summarize';

/** The seed of the example networks' noise-free trials on the page. */
const EXAMPLE_SEED = 42;

export interface MergeOptions {
  partial?: boolean;
  log?: (line: string) => void;
}

/**
 * Build results.json and the page from the records. Refuses (listing them) when records are missing or bad, unless
 * partial.
 */
export async function mergePaper(paper: PaperPlan, dir: string, opts: MergeOptions = {}): Promise<PaperResults> {
  prepareOutputDir(dir, 'results folder');
  // What a killed merge or replay left (the shards clean their own jobs' files under their locks).
  const left = removeDeadWritersTempFiles(['.', 'figures', 'replays'].map((d) => path.join(dir, d)));
  if (left.length) opts.log?.(`removed ${left.length} temporary file(s) left by an interrupted writer`);
  const jobs = paper.jobs;
  const records = new Map<string, StoredRecord>();
  const missing: string[] = [],
    bad: string[] = [];
  for (const j of jobs) {
    const st = readRecord(dir, j.job);
    if (st.state === 'ok') records.set(j.job.id, st.record);
    else if (st.state === 'missing') missing.push(j.job.id);
    else {
      bad.push(`${j.job.id} (${st.problem})`);
      missing.push(j.job.id);
    }
  }
  for (const b of bad) opts.log?.(`record refused: ${b}; rerun its shard to recompute it`);
  if (missing.length > 0 && !opts.partial) {
    const list =
      missing.length > 20 ? `${missing.slice(0, 20).join(', ')} and ${missing.length - 20} more` : missing.join(', ');
    throw new RnnlabError(
      `${missing.length} of ${jobs.length} networks have no valid record in ${path.join(dir, 'jobs')}: ${list} (run ` +
        `their shards, or merge with --partial)`,
    );
  }
  const replays = new Map<string, BestEpochReplay>();
  for (const r of records.values()) {
    const { replay, problem } = readReplay(dir, r);
    if (replay) replays.set(r.id, replay);
    if (problem) opts.log?.(`best-epoch replay refused: ${problem}; rerun --replay-best ${r.id}`);
  }
  const redone = splitOneTypeLate(records);
  if (redone) opts.log?.(`late behaviour split by final state for ${redone} one-trial-type network(s) (flip-flop)`);
  const cells = paperCells(paper, records);
  const out = summarize(paper, cells, missing, measure(paper, cells), replays);
  writeFileAtomic(path.join(dir, 'results.json'), JSON.stringify(out, null, 2));
  await writeResultsPage(out, dir, exampleNetworks(cells, EXAMPLE_SEED, createWasmBackend()));
  return out;
}

/**
 * Records made before the late behaviour of a one-trial-type task (the flip-flop) was split by the state a trial
 * ends in hold one entry, "sequence": recompute it per final state from the recorded model (deterministic: the
 * job's lateSeed, noise-free trials, float64), in memory; the sealed record on disk is left as it was.
 */
function splitOneTypeLate(records: Map<string, StoredRecord>): number {
  let n = 0;
  for (const [id, r] of records) {
    const late = r.lateBehaviour;
    if (!late || Object.keys(late).join() !== 'sequence') continue;
    const model = modelOf(r).model;
    records.set(id, { ...r, lateBehaviour: lateBehaviours(model, r.job.task, r.job.taskParams, r.job.lateSeed) });
    n++;
  }
  return n;
}

/** Everything on one machine: train every network (resuming what exists), then merge. */
export async function runPaper(
  paper: PaperPlan,
  dir: string,
  opts: Omit<ShardOptions, 'shard'> = {},
): Promise<PaperResults> {
  const { heldElsewhere } = await runShard(paper, dir, opts);
  if (heldElsewhere.length) throw heldElsewhereError(heldElsewhere);
  return mergePaper(paper, dir, { log: opts.log });
}

/** Networks another process is training: the merge would find them missing, so it waits for that process. */
export function heldElsewhereError(ids: readonly string[]): RnnlabError {
  return new RnnlabError(
    `${ids.length} network(s) (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''}) are being trained by ` +
      'another process holding their checkpoints/<id>/.lock; nothing was trained twice. Rerun this command (or ' +
      '--merge) when that process has finished',
  );
}
