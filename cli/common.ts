/**
 * What the rnnlab commands share: printing that neutralises control characters, the options declared the same way
 * on several commands, evaluation on fresh trials, and the checks made before any output or large allocation.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Option } from 'commander';
import {
  type AdamConvention,
  assertFits,
  createModel,
  type LossNormalization,
  taskLossOfOutputs,
  type RecInit,
  RnnlabError,
  simulate,
  terminalSafe,
} from '@rnnlab/engine';
import { prepareOutputDir } from '@rnnlab/engine/node';
import { accuracy, generate, getTask, trialDistances, type GeneratedTrials } from '@rnnlab/tasks';
import { collectParam } from './parse';
import { BACKEND_NAMES, resolveBackend } from './backends';

// Every line printed may hold strings read from files (run.json, records, Keras metadata): control characters are
// neutralised so that a file cannot drive the terminal.
export const log = (s: string) => process.stderr.write(`${terminalSafe(s)}\n`);
export const out = (s: string) => process.stdout.write(`${terminalSafe(s)}\n`);

/**
 * `--json`: one JSON document on stdout, `{ "command": …, … }` (docs/cli.md lists each command's fields). Strings from
 * files stay data: every character a terminal could act on (C0/C1 controls, Unicode direction marks) is written as a
 * \u escape, so the document is both intact and safe to print.
 */
export function outJson(command: string, body: object): void {
  const text = JSON.stringify({ command, ...body }, null, 2).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  process.stdout.write(`${text}\n`);
}

/** The `--json` option every command takes. */
export const jsonOption = () => new Option('--json', 'print one JSON document on stdout (fields: docs/cli.md)');

/** The only train options that may be given with --resume (the rest would change the run's recipe). */
export const RESUME_FLAGS = new Set(['resume', 'out', 'maxSteps', 'clip', 'checkpointEvery', 'json']);

/** The --backend option, the same on every command that computes. */
export const backendOption = () =>
  new Option(
    '--backend <name>',
    'compute backend (wasm-simd: WebAssembly SIMD float32, with fused multiply-adds where relaxed SIMD exists; ' +
      'wasm-simd:plain: never fused, the bits of every browser; js: typed-array loops; reference: naive; ' +
      'gpujs[:mode]: gpu.js kernels)',
  )
    .choices(BACKEND_NAMES as unknown as string[])
    .default('wasm-simd');

/** The --param option (task parameters), the same on every command that generates trials. */
export const paramOption = (help = 'task parameter, repeatable') =>
  new Option('--param <key=value>', help).argParser(collectParam).default({});

/** The --quick preset: the AND task learned by a 50-unit network in well under a minute on 2 cores. */
export const QUICK = {
  task: 'and',
  size: 50,
  trials: 640,
  batch: 16,
  epochs: 40,
  lr: 1e-3,
  decay: 0,
  adam: 'pytorch' as AdamConvention,
  earlyStop: 5e-4,
  clip: 1,
  init: 'orthogonal' as RecInit,
};

export function evaluate(
  model: ReturnType<typeof createModel>,
  trials: GeneratedTrials,
  taskName: string,
  backend: ReturnType<typeof resolveBackend>,
  loss: LossNormalization = 'mask-nonzero',
) {
  const task = getTask(taskName);
  const { outputs } = simulate(model, trials, backend);
  const acc = accuracy(task, trials, outputs);
  const d = trialDistances(trials, outputs);
  return {
    loss: taskLossOfOutputs(trials, outputs, model.config.readout, loss, model.config.outputWeights),
    accuracy: acc.overall,
    perCondition: acc.perCondition,
    ...(acc.perTask ? { perTask: acc.perTask } : {}),
    meanDistance: d.reduce((a, b) => a + b, 0) / d.length,
  };
}

/** Refuse an evaluation or plot whose trial set cannot fit in memory, from one probe trial, before generating it. */
export function checkTrialsFit(taskName: string, nTrials: number, params: Record<string, number>, what: string): void {
  const probe = generate(getTask(taskName), { nTrials: 1, params });
  const bytes = nTrials * probe.nSteps * (probe.nIn + 2 * probe.nOut + 1) * 8;
  assertFits(
    { model: 0, workspace: 0, trials: bytes, total: bytes },
    `${what}: ${nTrials} trials of ${probe.nSteps} steps`,
    { available: os.totalmem() / 2, largestArray: nTrials * probe.nSteps * Math.max(probe.nIn, probe.nOut) },
  );
}

/** An output file: its folder must be ordinary and writable (prepareOutputDir) and the file itself not a link. */
/**
 * Check that `file` can be written: its folder (prepareOutputDir), not a symbolic link, and not one of the command's
 * `inputs` (writing it would destroy what the command reads, e.g. import-keras x.hdf5 --out x.hdf5).
 */
export function prepareOutputFile(file: string, what: string, inputs: readonly string[] = []): void {
  if (file.trim() === '') throw new RnnlabError(`${what}: the path is empty`);
  prepareOutputDir(path.dirname(path.resolve(file)), `folder of the ${what}`);
  // The same file under any name: one path, or one device and inode (a hard link, a path through a symlink).
  const same = (a: string, b: string) => {
    if (path.resolve(a) === path.resolve(b)) return true;
    try {
      const x = fs.statSync(a),
        y = fs.statSync(b);
      return x.dev === y.dev && x.ino === y.ino;
    } catch {
      return false; // one of them does not exist: they are not the same file
    }
  };
  for (const input of inputs)
    if (same(file, input))
      throw new RnnlabError(`${what} "${file}" is the input "${input}"; refusing to overwrite it: give another --out`);
  let isLink = false;
  try {
    isLink = fs.lstatSync(file).isSymbolicLink();
  } catch {
    /* does not exist yet */
  }
  if (isLink) throw new RnnlabError(`${what} "${file}" is a symbolic link; refusing to write through it`);
}

export function describeEval(r: ReturnType<typeof evaluate>): string {
  // A mixture of tasks reports per task (its conditions number in the dozens).
  const per = Object.entries(r.perTask ?? r.perCondition)
    .map(([k, v]) => `${k} ${v.correct}/${v.total}`)
    .join(', ');
  return (
    `accuracy ${(100 * r.accuracy).toFixed(1)}% (${per}); loss ${r.loss.toExponential(3)}; mean distance ` +
    `${r.meanDistance.toFixed(3)}`
  );
}

/**
 * The task to run a saved model on: --task when given, else the task its file records (rnnlab's model files do;
 * imported Keras networks do not). A given task must be the recorded one or one of its variants (and / and-paper,
 * pulse / pulse-root: one task, another generator); another task would run and report numbers that mean nothing.
 */
export function taskOfModels(files: readonly string[], metas: readonly Record<string, unknown>[], given?: string) {
  const recorded = metas.map((m) => (typeof m.task === 'string' ? m.task : undefined));
  const base = (t: string) => t.split('-')[0];
  recorded.forEach((r, i) => {
    if (r && given && base(r) !== base(given))
      throw new RnnlabError(`${files[i]} was trained on task "${r}"; --task ${given} is another task (omit --task)`);
    if (r && !given && recorded[0] && r !== recorded[0])
      throw new RnnlabError(`${files[i]} was trained on task "${r}" but ${files[0]} on "${recorded[0]}"`);
  });
  const task = given ?? recorded.find((r) => r !== undefined);
  if (!task) throw new RnnlabError(`${files[0]} records no task (an imported network?): give --task`);
  return task;
}
