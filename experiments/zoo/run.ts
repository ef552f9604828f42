/**
 * Training the zoo: each entry's run in runs/<task>/ (the one resumable driver of `rnnlab train`), then its record.
 * A run folder made from another recipe is refused, never overwritten; a finished run is evaluated once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type Backend, parseJson, RnnlabError } from '@rnnlab/engine';
import { prepareOutputDir, prepareSubdirs, readTextFile } from '@rnnlab/engine/node';
import { trainRun } from '../run/driver';
import { recipeIdentity, type RunRecipe } from '../run/recipe';
import { zooRecipe, type ZooEntry, type ZooProtocol } from './plan';
import { makeRecord, percent, saveRecord, type ZooRecord } from './record';

export interface ZooRunOptions {
  log: (s: string) => void;
  /** Stop starting new entries after this many seconds (the running one finishes its call). */
  budgetSeconds?: number;
}

/** What happened to each entry: trained and recorded, already recorded, or left for later. */
export type ZooStep = 'recorded' | 'had a record' | 'left (time budget)';

/** Train and record every entry that has no record yet, in order. */
export function runZoo(
  zooDir: string,
  entries: readonly ZooEntry[],
  backend: Backend,
  opts: ZooRunOptions,
): Map<string, ZooStep> {
  prepareOutputDir(zooDir, 'zoo folder');
  prepareSubdirs(zooDir, ['runs', 'records'], 'zoo folder');
  const t0 = Date.now();
  const done = new Map<string, ZooStep>();
  for (const entry of entries) {
    const recordFile = path.join(zooDir, 'records', `${entry.task}.json`);
    if (fs.existsSync(recordFile)) {
      done.set(entry.task, 'had a record');
      continue;
    }
    if (opts.budgetSeconds !== undefined && (Date.now() - t0) / 1000 > opts.budgetSeconds) {
      done.set(entry.task, 'left (time budget)');
      continue;
    }
    let record = attempt(zooDir, entry, entry.protocol, entry.task, backend, opts);
    if (!record.evaluation.learned && entry.retry) {
      opts.log(`${entry.task}: not learned (${percent(record.evaluation.decidable)}); a second attempt`);
      const second = attempt(zooDir, entry, entry.retry, `${entry.task}@2`, backend, opts);
      record = { ...second, attempts: [...record.attempts, ...second.attempts] };
    }
    saveRecord(recordFile, record);
    const acc = (100 * record.evaluation.accuracy).toFixed(1);
    opts.log(`${entry.task}: ${acc}% on ${record.evaluation.trials} fresh trials → ${recordFile}`);
    done.set(entry.task, 'recorded');
  }
  return done;
}

/** Train (or resume) one attempt at an entry in runs/<name> and evaluate it. */
function attempt(
  zooDir: string,
  entry: ZooEntry,
  protocol: ZooProtocol,
  name: string,
  backend: Backend,
  opts: ZooRunOptions,
): ZooRecord {
  const runDir = path.join(zooDir, 'runs', name);
  const recipe = zooRecipe(entry, backend, protocol);
  const resume = existingRun(runDir, recipe);
  if (!fs.existsSync(path.join(runDir, 'model.json'))) {
    opts.log(`${name}: ${resume ? 'resuming' : 'training'} (${describe(recipe)})`);
    const out = trainRun(runDir, resume ?? recipe, backend, { resume: resume !== null, log: opts.log });
    if (!out.trainer.done) throw new RnnlabError(`${name}: training stopped before its end`);
  }
  return makeRecord(runDir, resume ?? recipe, protocol, backend);
}

/** The recipe of a run already in `runDir` (null: none), refused when it is not the zoo's recipe for the entry. */
function existingRun(runDir: string, recipe: RunRecipe): RunRecipe | null {
  const file = path.join(runDir, 'run.json');
  if (!fs.existsSync(file)) return null;
  const there = parseJson(readTextFile(file, 'run recipe'), file) as RunRecipe;
  if (recipeIdentity(there) !== recipeIdentity(recipe))
    throw new RnnlabError(
      `${file} holds another recipe than the zoo's for ${recipe.task}; move that run away (the zoo never ` +
        'overwrites a run)',
    );
  return there;
}

const describe = (r: RunRecipe) =>
  `N=${r.model.nRec}, ${r.model.activation}, α ${r.model.alpha}, ${r.nTrials} trials, ${r.train.epochs} epochs, ` +
  `Adam ${r.train.adam.lr}${r.train.clipNorm ? `, clip ${r.train.clipNorm}` : ''}`;
