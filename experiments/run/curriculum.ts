/**
 * Curricula, as PsychRNN's `Curriculum` (psychrnn/backend/curriculum.py) runs them: one network trained through
 * stages, each a task (or the same task made harder by its parameters); a stage ends when the network's accuracy on
 * the stage's test trials reaches its threshold, checked at the end of every epoch, and the next stage starts from
 * the weights it ended with. A stage that uses up its epochs without passing ends the curriculum there.
 *
 * A curriculum run is a folder: curriculum.json (the plan), and stage-<k>/ for each stage reached, each an ordinary
 * run directory of the one driver (run.json, checkpoints, model.json) plus criterion.json (the accuracy at every
 * epoch end). Stage k+1's recipe starts from stage k's model.json, named by its SHA-256. Stopped anywhere and run
 * again, it resumes bit-exactly: the accuracy check reads the model and fresh trials only, and a stage that passed
 * stops at the same update.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ADAM_DEFAULTS,
  type Backend,
  type InitConfig,
  parseJson,
  RnnlabError,
  type RnnOptions,
  simulate,
  type Trainer,
} from '@rnnlab/engine';
import { sha256Hex } from '@rnnlab/engine/advanced';
import { prepareOutputDir, readTextFile, saveModel, writeFileAtomic } from '@rnnlab/engine/node';
import { accuracy, generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';
import { trainRun } from './driver';
import { singleThreadRun, type RunRecipe } from './recipe';

export interface CurriculumStage {
  task: string;
  params?: Record<string, number>;
  /** Training trials of the stage (a fixed, seeded set, as every rnnlab run). */
  nTrials: number;
  /** At most this many epochs. */
  epochs: number;
  /** Accuracy on the stage's test trials that ends the stage (PsychRNN: the curriculum's thresholds). */
  threshold: number;
}

export interface Curriculum {
  format: 'rnnlab-curriculum';
  version: 1;
  stages: CurriculumStage[];
  /** The network (nIn and nOut from the tasks, which must agree); `init` draws stage 1's weights. */
  model: RnnOptions & { nRec: number };
  init: Partial<InitConfig>;
  train: { batchSize: number; lr: number; seed: number };
  /** Test trials per accuracy check, and their seed (the same set at every check of a stage). */
  evalTrials: number;
  evalSeed: number;
}

/** One entry per epoch end: the accuracy there, and whether it passed. */
type Criterion = Array<{ epoch: number; accuracy: number; passed: boolean }>;

export interface CurriculumOutcome {
  /** Stopped by `maxSteps` before the end (run it again to resume). */
  paused: boolean;
  /** Stages passed, in order; `failedAt` the first that used up its epochs without passing (null: none). */
  passed: number;
  failedAt: number | null;
  stages: Array<{ stage: number; task: string; epochs: number; accuracy: number; passed: boolean }>;
  model: string | null;
}

/** Check a curriculum's shape, with one clear line for what is wrong. */
export function validateCurriculum(c: unknown, source: string): Curriculum {
  const cur = c as Partial<Curriculum>;
  const fail = (why: string) => {
    throw new RnnlabError(`${source}: ${why}`);
  };
  if (typeof c !== 'object' || c === null || cur.format !== 'rnnlab-curriculum' || cur.version !== 1)
    fail('not a curriculum (format "rnnlab-curriculum", version 1)');
  if (!Array.isArray(cur.stages) || cur.stages.length === 0) fail('"stages" must be a non-empty list');
  cur.stages!.forEach((s, i) => {
    const at = `stage ${i + 1}`;
    if (typeof s?.task !== 'string') fail(`${at}: "task" must be a task name`);
    getTask(s.task);
    if (!(Number.isInteger(s.nTrials) && s.nTrials > 0)) fail(`${at}: "nTrials" must be a positive integer`);
    if (!(Number.isInteger(s.epochs) && s.epochs > 0)) fail(`${at}: "epochs" must be a positive integer`);
    if (!(s.threshold > 0 && s.threshold <= 1)) fail(`${at}: "threshold" must be in (0, 1]`);
  });
  if (!(Number.isInteger(cur.model?.nRec) && cur.model!.nRec > 0)) fail('"model.nRec" must be a positive integer');
  if (!(Number.isInteger(cur.evalTrials) && cur.evalTrials! > 0)) fail('"evalTrials" must be a positive integer');
  if (!Number.isInteger(cur.evalSeed)) fail('"evalSeed" must be an integer');
  if (!(cur.train && cur.train.batchSize > 0 && cur.train.lr > 0 && Number.isInteger(cur.train.seed)))
    fail('"train" needs batchSize, lr and seed');
  return cur as Curriculum;
}

/** Stage k's recipe: its task and trials, the curriculum's model, and where its weights come from. */
function stageRecipe(c: Curriculum, k: number, dir: string, backend: Backend): RunRecipe {
  const s = c.stages[k];
  const previous = path.join(dir, `stage-${k}`, 'model.json');
  return {
    format: 'rnnlab-run',
    version: 1,
    task: s.task,
    taskParams: s.params ?? {},
    dataSeed: 1 + k,
    nTrials: s.nTrials,
    model: c.model,
    init: c.init,
    ...(k > 0
      ? { startFrom: { file: `../stage-${k}/model.json`, sha256: sha256Hex(readTextFile(previous, 'model')) } }
      : {}),
    train: {
      epochs: s.epochs,
      batchSize: c.train.batchSize,
      loss: 'mask-nonzero',
      clipNorm: 0,
      seed: c.train.seed,
      earlyStopLoss: 0,
      shuffle: true,
      adam: { ...ADAM_DEFAULTS, lr: c.train.lr, convention: 'keras' },
    },
    ...singleThreadRun(backend),
  };
}

const readCriterion = (file: string): Criterion =>
  fs.existsSync(file) ? (parseJson(readTextFile(file, 'criterion record'), file) as Criterion) : [];

/**
 * Train stage k to its end: resumed where it stopped, stopped at the first epoch end whose accuracy passes.
 * Returns the criterion record.
 */
function runStage(
  c: Curriculum,
  k: number,
  dir: string,
  backend: Backend,
  opts: { log: (s: string) => void; maxSteps?: number },
): Criterion | null {
  const log = opts.log;
  const stageDir = path.join(dir, `stage-${k + 1}`);
  const file = path.join(stageDir, 'criterion.json');
  if (fs.existsSync(path.join(stageDir, 'model.json'))) return readCriterion(file);
  const stage = c.stages[k];
  const task = getTask(stage.task);
  let test: GeneratedTrials | null = null;
  const check = (t: Trainer): boolean => {
    if (t.stepInEpoch !== 0) return false;
    const record = readCriterion(file).filter((r) => r.epoch !== t.epoch);
    test ??= generate(task, { nTrials: c.evalTrials, seed: c.evalSeed, params: stage.params ?? {} });
    const acc = accuracy(task, test, simulate(t.model, test, backend).outputs).overall;
    const passed = acc >= stage.threshold;
    writeFileAtomic(file, JSON.stringify([...record, { epoch: t.epoch, accuracy: acc, passed }]) + '\n');
    log(`stage ${k + 1} (${stage.task}), epoch ${t.epoch}: accuracy ${(100 * acc).toFixed(1)} %`);
    return passed;
  };
  const recipe = stageRecipe(c, k, dir, backend);
  const resume = fs.existsSync(path.join(stageDir, 'run.json'));
  // A stage that passed at an epoch end its checkpoint already holds needs no update, only its model saved.
  const passedAt = readCriterion(file).find((r) => r.passed)?.epoch;
  const ck = resume && fs.existsSync(path.join(stageDir, 'checkpoint.json'));
  const at = ck
    ? (parseJson(readTextFile(path.join(stageDir, 'checkpoint.json'), 'checkpoint'), 'checkpoint') as {
        epoch: number;
        stepInEpoch: number;
      })
    : null;
  const still = passedAt !== undefined && at?.epoch === passedAt && at.stepInEpoch === 0;
  const out = trainRun(stageDir, recipe, backend, {
    resume,
    log,
    ...(still ? { maxSteps: 0 } : { shouldStop: check, maxSteps: opts.maxSteps }),
  });
  const record = readCriterion(file);
  if (record.some((r) => r.passed) && !fs.existsSync(path.join(stageDir, 'model.json')))
    saveModel(path.join(stageDir, 'model.json'), out.trainer.model, out.trainer.init, {
      task: stage.task,
      taskParams: stage.params ?? {},
      epochs: out.trainer.epoch,
      steps: out.trainer.step,
      stopReason: 'criterion',
    });
  return fs.existsSync(path.join(stageDir, 'model.json')) ? record : null;
}

/**
 * Run (or resume) a curriculum in `dir`; curriculum.json there must be this one. `maxSteps` stops the stage in
 * progress after that many updates (the outcome says paused; running it again resumes bit-exactly).
 */
export function runCurriculum(
  dir: string,
  c: Curriculum,
  backend: Backend,
  opts: { log: (s: string) => void; maxSteps?: number },
): CurriculumOutcome {
  prepareOutputDir(dir, 'curriculum folder');
  const planFile = path.join(dir, 'curriculum.json');
  const text = JSON.stringify(c, null, 2) + '\n';
  if (fs.existsSync(planFile) && readTextFile(planFile, 'curriculum') !== text)
    throw new RnnlabError(`${dir} holds another curriculum (curriculum.json differs); choose another --out`);
  writeFileAtomic(planFile, text);
  const outcome: CurriculumOutcome = { paused: false, passed: 0, failedAt: null, stages: [], model: null };
  for (let k = 0; k < c.stages.length; k++) {
    const record = runStage(c, k, dir, backend, opts);
    if (!record) return { ...outcome, paused: true };
    const last = record.at(-1);
    const passed = record.some((r) => r.passed);
    outcome.stages.push({
      stage: k + 1,
      task: c.stages[k].task,
      epochs: last?.epoch ?? 0,
      accuracy: last?.accuracy ?? 0,
      passed,
    });
    if (!passed) {
      outcome.failedAt = k + 1;
      return outcome;
    }
    outcome.passed++;
  }
  outcome.model = path.join(dir, `stage-${c.stages.length}`, 'model.json');
  return outcome;
}
