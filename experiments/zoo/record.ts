/**
 * A zoo record: what one trained network of the zoo does on fresh trials, with how it was made. Written atomically
 * and read back before it counts (results/task-zoo/records/<task>.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import { type Backend, type KernelBuild, parseJson, RnnlabError, simulate } from '@rnnlab/engine';
import { loadModel, readTextFile, writeFileAtomic } from '@rnnlab/engine/node';
import {
  accuracy,
  type AnyTask,
  choicesByEvidence,
  conditionNames,
  type GeneratedTrials,
  generate,
  getTask,
  resolveParams,
} from '@rnnlab/tasks';
import { psychometric, type Psychometric } from '@rnnlab/analysis';
import { runSeconds } from '../run/driver';
import type { RunRecipe } from '../run/recipe';
import type { ZooProtocol } from './plan';

/**
 * A network has learned its task when at least this fraction of fresh trials pass the task's success rule, zero-
 * evidence trials aside (a coherence of 0 has no right answer to learn: chance is all there is). Where even an ideal
 * observer errs (TaskSpec.ideal: noisy evidence, answers drawn from the evidence), the line is this fraction of the
 * ideal observer's accuracy on the same trials.
 */
export const LEARNED = 0.9;
const EVAL_TRIALS = 1000;
const EVAL_SEED = 777;

type Counts = Record<string, { correct: number; total: number }>;

/** A fraction as the zoo writes it: "95.7 %". */
export const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

export interface ZooRecord {
  format: 'rnnlab-zoo-record';
  version: 1;
  task: string;
  title: string;
  source: string;
  protocol: ZooProtocol;
  model: { nRec: number; activation: string; alpha: number; readout: string; noiseStd: number };
  kernelBuilds: KernelBuild[];
  training: { seconds: number | null; calls: number | null; epochs: number; updates: number; lossByEpoch: number[] };
  evaluation: {
    trials: number;
    seed: number;
    accuracy: number;
    /** Accuracy over the trials whose condition has non-zero evidence (all trials where none has zero). */
    decidable: number;
    perCondition: Counts;
    perTask?: Counts;
    /** An ideal observer's expected accuracy on the same trials (all, and evidence ≠ 0), where the task has one. */
    ideal?: { accuracy: number; decidable: number };
    learned: boolean;
  };
  /** Choices against evidence on a grid of fresh trials, for two-option tasks; null otherwise. */
  psychometric: Psychometric | null;
  /** Every attempt, in order (the record's other fields are the last one's). */
  attempts: ZooAttempt[];
}

interface ZooAttempt {
  run: string;
  protocol: ZooProtocol;
  accuracy: number;
  decidable: number;
  learned: boolean;
  seconds: number | null;
}

/** The mean of TaskSpec.ideal over the trials, and over those whose condition has evidence; null without one. */
function idealAccuracy(
  task: AnyTask,
  trials: GeneratedTrials,
  zero: ReadonlySet<string>,
): { accuracy: number; decidable: number } | null {
  if (!task.ideal) return null;
  const p = resolveParams(task, trials.params);
  const names = conditionNames(task, p);
  let all = 0,
    dec = 0,
    nDec = 0;
  for (const l of trials.layouts) {
    const q = task.ideal(l, p);
    all += q;
    if (!zero.has(names[l.condition])) {
      dec += q;
      nDec++;
    }
  }
  return { accuracy: all / trials.layouts.length, decidable: nDec > 0 ? dec / nDec : all / trials.layouts.length };
}

/** Evaluate the trained network of a finished zoo run and make its record (its `attempts` list this one alone). */
export function makeRecord(runDir: string, recipe: RunRecipe, protocol: ZooProtocol, backend: Backend): ZooRecord {
  const task = getTask(recipe.task);
  const { model } = loadModel(path.join(runDir, 'model.json'));
  const ck = parseJson(readTextFile(path.join(runDir, 'checkpoint.json'), 'checkpoint'), 'checkpoint') as {
    history?: Array<{ loss: number; steps: number }>;
  };
  const history = ck.history ?? [];
  const trials = generate(task, { nTrials: EVAL_TRIALS, seed: EVAL_SEED });
  const acc = accuracy(task, trials, simulate(model, trials, backend).outputs);
  const zero = new Set(
    task
      .conditions(task.defaults)
      .filter((c) => c.values.evidence === 0)
      .map((c) => c.name),
  );
  const kept = Object.entries(acc.perCondition).filter(([name]) => !zero.has(name));
  const decidable = kept.reduce((a, [, v]) => a + v.correct, 0) / kept.reduce((a, [, v]) => a + v.total, 0);
  const ideal = idealAccuracy(task, trials, zero);
  const learned = decidable >= LEARNED * (ideal?.decidable ?? 1);
  let psy: Psychometric | null = null;
  if (task.choice) {
    const grid = generate(task, { nTrials: EVAL_TRIALS, seed: EVAL_SEED + 1, grid: true });
    const c = choicesByEvidence(task, grid, simulate(model, grid, backend).outputs);
    psy = psychometric(c.evidence, c.choices);
  }
  const timing = runSeconds(runDir);
  const m = model.config;
  return {
    format: 'rnnlab-zoo-record',
    version: 1,
    task: task.name,
    title: task.title,
    source: task.citation,
    protocol,
    model: { nRec: m.nRec, activation: m.activation, alpha: m.alpha, readout: m.readout, noiseStd: m.noiseStd },
    kernelBuilds: recipe.kernelBuilds ?? [],
    training: {
      seconds: timing?.seconds ?? null,
      calls: timing?.calls ?? null,
      epochs: history.length,
      updates: history.at(-1)?.steps ?? 0,
      lossByEpoch: history.map((h) => h.loss),
    },
    evaluation: {
      trials: EVAL_TRIALS,
      seed: EVAL_SEED,
      accuracy: acc.overall,
      decidable,
      perCondition: acc.perCondition,
      ...(acc.perTask ? { perTask: acc.perTask } : {}),
      ...(ideal ? { ideal } : {}),
      learned,
    },
    psychometric: psy,
    attempts: [
      {
        run: path.basename(runDir),
        protocol,
        accuracy: acc.overall,
        decidable,
        learned,
        seconds: timing?.seconds ?? null,
      },
    ],
  };
}

/** Write a record atomically, then read it back: a record that does not read back as written is an error. */
export function saveRecord(file: string, record: ZooRecord): void {
  const text = JSON.stringify(record, null, 1) + '\n';
  writeFileAtomic(file, text);
  if (readTextFile(file, 'zoo record') !== text) throw new RnnlabError(`${file} did not read back as written`);
}

/** A record from disk, checked to be one. */
function loadRecord(file: string): ZooRecord {
  const r = parseJson(readTextFile(file, 'zoo record'), file) as Partial<ZooRecord>;
  if (r.format !== 'rnnlab-zoo-record' || r.version !== 1 || typeof r.task !== 'string' || !r.evaluation)
    throw new RnnlabError(`${file} is not a zoo record`);
  if (!Array.isArray(r.attempts))
    throw new RnnlabError(`${file} lists no attempts (an older record): remove it, and rnnlab zoo evaluates it again`);
  return r as ZooRecord;
}

/** The records in a zoo folder, by task. */
export function loadRecords(zooDir: string): Map<string, ZooRecord> {
  const dir = path.join(zooDir, 'records');
  const out = new Map<string, ZooRecord>();
  if (!fs.existsSync(dir)) return out;
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const r = loadRecord(path.join(dir, f));
    out.set(r.task, r);
  }
  return out;
}
