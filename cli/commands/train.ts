/**
 * `rnnlab train`: build the task's trials, initialise and train a network (the run directory and its driver:
 * experiments/run/driver.ts).
 */
import * as path from 'path';
import { Command, Option } from 'commander';
import * as cliProgress from 'cli-progress';
import {
  ADAM_DEFAULTS,
  type Backend,
  DALE_BALANCES,
  FORMULATIONS,
  type Readout,
  type RnnOptions,
  LOSS_NORMALIZATIONS,
  kernelBuildOf,
  parseJson,
  relaxedSimdSupported,
  validateAdamConfig,
  REC_INITS,
  type RecInit,
  RnnlabError,
  type Trainer,
  type TrainProgress,
  weightsSha256,
} from '@rnnlab/engine';
import { readTextFile } from '@rnnlab/engine/node';
import { type AnyTask, costHints, generate, getTask, TASKS } from '@rnnlab/tasks';
import { num, UsageError } from '../parse';
import { readMaskFile } from '../masks';
import { resolveBackend } from '../backends';
import {
  initialModel,
  singleThreadRun,
  trainRun,
  type ResumeChanges,
  type RunRecipe,
  type TrainOutcome,
} from '@rnnlab/experiments';
import { kernelDigest, parseShareUrl } from '@rnnlab/experiments/share';
import {
  backendOption,
  describeEval,
  evaluate,
  jsonOption,
  log,
  out,
  outJson,
  paramOption,
  QUICK,
  RESUME_FLAGS,
} from '../common';

export function trainCommand(): Command {
  const cmd = new Command('train').description(
    "train a network on a task (defaults: the paper's protocol; --quick: a small run that finishes in under a " +
      'minute)',
  );
  for (const add of [taskOptions, modelOptions, constraintOptions, trainingOptions, runOptions]) add(cmd);
  cmd.option('--from-url <link>', "train the run a lab link names (rnnlab lab's Share), on the link's kernel");
  return cmd.action((o: TrainFlags, c: Command) =>
    o.resume ? resumeRun(o, c) : o.fromUrl !== undefined ? sharedRun(o, c) : newRun(o, c),
  );
}

/** The flags as commander parses them (the options below). */
type TrainFlags = Record<string, any>;

/** The task, and the --quick preset. */
const taskOptions = (cmd: Command) =>
  cmd
    .option('--task <name>', `task (${Object.keys(TASKS).join(', ')})`, 'and')
    .option(
      '--quick',
      `preset: ${QUICK.task}, N=${QUICK.size}, ${QUICK.trials} trials, batch ${QUICK.batch}, Adam lr ${QUICK.lr}, ` +
        `clip ${QUICK.clip}, up to ${QUICK.epochs} epochs`,
    );

/** The network, its initialisation and its trials. */
const modelOptions = (cmd: Command) =>
  cmd
    .option('--size <N>', 'recurrent units', num('--size', { integer: true, positive: true }))
    .addOption(new Option('--init <kind>', 'W_rec initialiser').choices(REC_INITS as string[]))
    .option('--gain <g>', 'initialisation gain g', num('--gain', { positive: true }), 1)
    .option('--seed <n>', 'weight-initialisation seed', num('--seed', { integer: true }), 1)
    .option(
      '--data-seed <n>',
      "trial-set seed (default: the task's, 2 or 1 as in the paper)",
      num('--data-seed', { integer: true }),
    )
    .option('--train-seed <n>', 'shuffling and recurrent-noise seed', num('--train-seed', { integer: true }), 1)
    .option(
      '--trials <n>',
      'training trials (paper: 15000, flip-flop 25000)',
      num('--trials', { integer: true, positive: true }),
    )
    .addOption(paramOption('task parameter, repeatable (e.g. memGap=50, inputNoise=0.1)'))
    .option('--alpha <a>', 'dt/tau (1 = Keras SimpleRNN)', num('--alpha', { positive: true, max: 1 }), 1)
    .addOption(new Option('--activation <f>', 'activation').choices(['tanh', 'relu', 'softplus']).default('tanh'))
    .option('--bias', 'train a recurrent bias (default: on for NOT, off otherwise)')
    .option('--no-bias', 'no recurrent bias')
    .option('--rec-noise <sigma>', 'recurrent noise standard deviation', num('--rec-noise', { min: 0 }), 0)
    .addOption(new Option('--dtype <t>', 'storage precision').choices(['float32', 'float64']).default('float32'));

/** Biological constraints, readouts and regularisers (docs/model.md, "Constrained models"). */
const constraintOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option('--formulation <f>', 'rate (the paper) or current (PsychRNN Basic)').choices([...FORMULATIONS]),
    )
    .option(
      '--dale <ratio>',
      "Dale's law with this excitatory fraction (PsychRNN: 0.8)",
      num('--dale', { positive: true }),
    )
    .addOption(
      new Option('--dale-balance <how>', 'E/I balancing of the initial W_rec (with --dale)').choices([
        ...DALE_BALANCES,
      ]),
    )
    .option('--no-autapses', 'no self-connections')
    .option('--masks <file>', 'connectivity and trainable masks from a JSON file (docs/cli.md)')
    .option('--tau <steps>', 'time constant in steps: alpha = 1/tau (instead of --alpha)', num('--tau', { min: 1 }))
    .option('--learn-tau', 'one time constant per unit, learnt by BPTT (starting at --alpha or --tau)')
    .option('--l1-in <l>', 'L1 penalty on the effective W_in (a mean, as PsychRNN)', num('--l1-in', { min: 0 }))
    .option('--l2-in <l>', 'L2 penalty on the effective W_in', num('--l2-in', { min: 0 }))
    .option('--l1-rec <l>', 'L1 penalty on the effective W_rec', num('--l1-rec', { min: 0 }))
    .option('--l2-rec <l>', 'L2 penalty on the effective W_rec', num('--l2-rec', { min: 0 }))
    .option('--l1-out <l>', 'L1 penalty on the effective W_out', num('--l1-out', { min: 0 }))
    .option('--l2-out <l>', 'L2 penalty on the effective W_out', num('--l2-out', { min: 0 }))
    .option('--l2-rate <l>', 'L2 penalty on the firing rates of every step', num('--l2-rate', { min: 0 }));

/** The readout from --loss: mse (linear), bce (sigmoid), ce (softmax); the normalisers are --loss-norm. */
const READOUT_OF: Record<string, Readout> = { mse: 'linear', bce: 'sigmoid', ce: 'softmax' };

/** The constrained-model part of a recipe's model from the flags: only what was asked for, so plain runs stay so. */
function constraintConfig(o: TrainFlags): RnnOptions {
  if (o.tau !== undefined && o.alphaSource === 'cli')
    throw new UsageError('--tau and --alpha both set the time constant (alpha = 1/tau); give one');
  const m: RnnOptions = {};
  if (o.formulation && o.formulation !== 'rate') m.formulation = o.formulation;
  if (o.dale !== undefined) m.daleRatio = o.dale;
  if (o.autapses === false) m.autapses = false;
  if (o.tau !== undefined) m.alpha = 1 / o.tau;
  if (o.learnTau) Object.assign(m, { perUnitAlpha: true, trainAlpha: true });
  const readout = READOUT_OF[o.loss];
  if (readout !== 'linear') m.readout = readout;
  const regs: Record<string, number> = {};
  for (const k of ['l1In', 'l2In', 'l1Rec', 'l2Rec', 'l1Out', 'l2Out', 'l2Rate'])
    if (o[k] !== undefined && o[k] > 0) regs[k] = o[k];
  if (Object.keys(regs).length) m.regularizers = regs;
  if (o.outputWeights) m.outputWeights = o.outputWeights;
  return m;
}

/** The optimiser and the protocol. */
const trainingOptions = (cmd: Command) =>
  cmd
    .option('--lr <lr>', 'Adam learning rate', num('--lr', { positive: true }))
    .option('--decay <d>', 'inverse-time learning-rate decay per update', num('--decay', { min: 0 }))
    .addOption(new Option('--adam <convention>', 'Adam convention').choices(['keras', 'pytorch']))
    .option('--epochs <n>', 'epochs', num('--epochs', { integer: true, positive: true }))
    .option('--batch <n>', 'minibatch size (paper: 64; --quick: 16)', num('--batch', { integer: true, positive: true }))
    .option(
      '--early-stop <loss>',
      "stop after an epoch whose mean loss is below this (default: the paper's per-task threshold; 0 = off)",
      num('--early-stop', { min: 0 }),
    )
    .option('--clip <norm>', 'gradient-norm clipping (0 = off; --quick: 1)', num('--clip', { min: 0 }))
    .addOption(
      new Option('--loss <kind>', 'task loss: mse (linear readout), bce (sigmoid), ce (softmax over the outputs)')
        .choices(['mse', 'bce', 'ce'])
        .default('mse'),
    )
    .addOption(
      new Option('--loss-norm <norm>', 'loss normalisation')
        .choices(LOSS_NORMALIZATIONS as string[])
        .default('mask-nonzero'),
    )
    .option(
      '--output-weights <w,...>',
      "the task loss's weight of each output, comma-separated (default 1 each; Yang's cost: set by --param cost=1)",
      weightList,
    );

/** --output-weights: finite numbers ≥ 0; their count and the readout are checked with the model. */
function weightList(text: string): number[] {
  const w = text.split(',').map((x) => Number(x.trim()));
  if (!text.trim() || w.some((v) => !Number.isFinite(v) || v < 0))
    throw new UsageError(`--output-weights takes comma-separated numbers >= 0, e.g. 4,1,1; got "${text}"`);
  return w;
}

/** Where and how the run is carried out and kept. */
const runOptions = (cmd: Command) =>
  cmd
    .addOption(jsonOption())
    .addOption(backendOption())
    .option(
      '--threads <n>',
      'training threads (wasm-simd: each minibatch is split across threads)',
      num('--threads', { integer: true, positive: true, max: 64 }),
      1,
    )
    .option('--out <dir>', 'run directory (default runs/<task>-N<size>-<init>-s<seed>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option(
      '--checkpoint-every <steps>',
      'checkpoint period in updates (also at every epoch end)',
      num('--checkpoint-every', { integer: true, min: 0 }),
      50,
    )
    .option(
      '--max-steps <n>',
      'stop after this many updates (resume later with --resume)',
      num('--max-steps', { integer: true, positive: true }),
    )
    .addOption(
      new Option(
        '--keep-epochs <mode>',
        "keep every epoch's weights in <out>/epochs/ (the authors' practice); best: also make model.json the epoch " +
          'with the lowest mean training loss (default off: the final weights, as Keras leaves them)',
      )
        .choices(['off', 'all', 'best'])
        .default('off'),
    );

/** --resume: continue the recipe in run.json; a flag that would change it is refused, never ignored. */
function resumeRun(o: TrainFlags, cmd: Command): void {
  if (!o.out) throw new RnnlabError('--resume needs --out <run directory>');
  // A resumed run continues its recipe (run.json); a flag that would change it is refused, never ignored.
  const given = cmd.options.map((opt) => opt.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli');
  const changing = given.filter((k) => !RESUME_FLAGS.has(k));
  if (changing.length) {
    const flags = changing.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw new RnnlabError(
      `${flags} would change the recipe of the run being resumed (run.json), so ` +
        `${changing.length > 1 ? 'they are' : 'it is'} refused; with --resume only --clip (applied from the ` +
        `next update, recorded), --checkpoint-every and --max-steps may be given; start a new run (another ` +
        `--out) to change the rest`,
    );
  }
  const recipe = parseJson(readTextFile(path.join(o.out, 'run.json'), 'run recipe'), `${o.out}/run.json`) as RunRecipe;
  // The backend and thread count of the recipe: both fix the summation order, hence the exact bits.
  const backend = resolveBackend(recipe.backendName ?? 'wasm-simd', recipe.threads ?? 1);
  // The same option can give another build elsewhere (wasm-simd without relaxed SIMD): the driver says so, records
  // it in run.json, and goes on.
  const changes = {
    clipNorm: cmd.getOptionValueSource('clip') === 'cli' ? (o.clip as number) : undefined,
    checkpointEvery: cmd.getOptionValueSource('checkpointEvery') === 'cli' ? (o.checkpointEvery as number) : undefined,
  };
  finish(train(o.out, recipe, backend, { resume: true, maxSteps: o.maxSteps, changes }), recipe, backend, o.json);
}

/** What may be given beside --from-url: where and how the run is kept, never what it trains. */
const SHARED_FLAGS = new Set(['fromUrl', 'out', 'json', 'checkpointEvery', 'maxSteps']);

/**
 * --from-url: the run a lab link names (experiments/run/share.ts), trained one-threaded on the kernel it names, so
 * that its weights are the page's to the bit (on the same kernel build: the link carries the page's, and another
 * build is said). Resumable like any run: run.json holds the recipe and the backend that reproduces it.
 */
function sharedRun(o: TrainFlags, cmd: Command): void {
  const given = cmd.options.map((opt) => opt.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli');
  const extra = given.filter((k) => !SHARED_FLAGS.has(k));
  if (extra.length) {
    const flags = extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw new UsageError(
      `--from-url names the whole run, so ${flags} cannot be given with it (only --out, --json, ` +
        '--checkpoint-every and --max-steps)',
    );
  }
  const shared = parseShareUrl(o.fromUrl);
  const fma = shared.kernel === 'wasm-simd+fma';
  if (fma && !relaxedSimdSupported())
    throw new RnnlabError(
      'the link names the wasm-simd+fma kernel, which needs WebAssembly relaxed SIMD: this Node has none (Node 20: ' +
        'run with --experimental-wasm-relaxed-simd)',
    );
  const backend = resolveBackend(fma ? 'wasm-simd' : 'wasm-simd:plain');
  const here = kernelDigest(kernelBuildOf(backend)) ?? 'unknown';
  if (shared.build && shared.build !== here)
    log(
      `warning: the link was made on kernel build ${shared.build}, this is ${here}: the weights may differ in the ` +
        'last bits',
    );
  const recipe: RunRecipe = {
    format: 'rnnlab-run',
    version: 1,
    ...shared.recipe,
    train: { ...shared.recipe.train, adam: validateAdamConfig(shared.recipe.train.adam ?? {}) },
    ...singleThreadRun(backend),
    backendName: fma ? 'wasm-simd' : 'wasm-simd:plain',
    checkpointEvery: o.checkpointEvery,
  };
  const r = shared.recipe;
  const dir = o.out ?? path.join('runs', `${r.task}-N${r.model.nRec}-${r.init.rec ?? 'normal'}-s${r.init.seed ?? 1}`);
  log(`training the shared run: ${r.task}, N=${r.model.nRec}, ${r.nTrials} trials, kernel ${shared.kernel} → ${dir}`);
  finish(train(dir, recipe, backend, { resume: false, maxSteps: o.maxSteps }), recipe, backend, o.json);
}

const LOSS_OF: Record<Readout, string> = { linear: 'mse', sigmoid: 'bce', softmax: 'ce' };

/**
 * The model settings a task's source fixes (Yang et al.: 256 ReLU units, α = 0.2, σ_rec; NeuroGym: cross-entropy)
 * replace the flags' defaults, never a flag the user gave.
 */
function applyHints(o: TrainFlags, cmd: Command, task: AnyTask): void {
  const hints = task.hints ?? {};
  const unset = (key: string) => cmd.getOptionValueSource(key) !== 'cli';
  if (hints.alpha !== undefined && unset('alpha') && o.tau === undefined) o.alpha = hints.alpha;
  if (hints.activation && unset('activation')) o.activation = hints.activation;
  if (hints.recNoise !== undefined && unset('recNoise')) o.recNoise = hints.recNoise;
  if (hints.gain !== undefined && unset('gain')) o.gain = hints.gain;
  if (hints.readout && unset('loss')) o.loss = LOSS_OF[hints.readout];
  const cost = costHints(task, o.param);
  if (cost?.outputWeights && unset('outputWeights')) o.outputWeights = cost.outputWeights;
  if (cost?.lossNorm && unset('lossNorm')) o.lossNorm = cost.lossNorm;
}

/** A new run: each setting from its flag, else the --quick preset, else the task's hints, else the paper's default. */
function newRun(o: TrainFlags, cmd: Command): void {
  o.alphaSource = cmd.getOptionValueSource('alpha');
  const backend = resolveBackend(o.backend, o.threads);
  const q = o.quick ? QUICK : null;
  const taskName: string = o.quick && o.task === 'and' ? QUICK.task : o.task;
  const task = getTask(taskName);
  const hints = task.hints ?? {};
  applyHints(o, cmd, task);
  const size = o.size ?? q?.size ?? hints.size ?? 50;
  const init: RecInit = o.init ?? q?.init ?? hints.init ?? 'normal';
  const recipe: RunRecipe = {
    format: 'rnnlab-run',
    version: 1,
    task: taskName,
    taskParams: o.param,
    dataSeed: o.dataSeed ?? hints.dataSeed ?? 1,
    nTrials: o.trials ?? q?.trials ?? hints.trainTrials ?? 15000,
    model: {
      nRec: size,
      alpha: o.alpha,
      activation: o.activation,
      recurrentBias: o.bias ?? hints.recurrentBias ?? false,
      trainH0: false,
      noiseStd: o.recNoise,
      dtype: o.dtype,
      ...constraintConfig(o),
    },
    init: { rec: init, gain: o.gain, seed: o.seed, ...(o.daleBalance ? { daleBalance: o.daleBalance } : {}) },
    ...(o.masks ? { masks: readMaskFile(o.masks) } : {}),
    train: {
      epochs: o.epochs ?? q?.epochs ?? hints.epochs ?? 20,
      batchSize: o.batch ?? q?.batch ?? hints.batchSize ?? 64,
      loss: o.lossNorm,
      clipNorm: o.clip ?? q?.clip ?? 0,
      seed: o.trainSeed,
      earlyStopLoss: o.earlyStop ?? q?.earlyStop ?? hints.earlyStopLoss ?? 0,
      shuffle: true,
      adam: {
        ...ADAM_DEFAULTS,
        lr: o.lr ?? q?.lr ?? hints.lr ?? ADAM_DEFAULTS.lr,
        decay: o.decay ?? q?.decay ?? ADAM_DEFAULTS.decay,
        convention: o.adam ?? q?.adam ?? 'keras',
      },
    },
    backend: backend.name,
    backendName: o.backend,
    threads: o.threads,
    kernelBuilds: [kernelBuildOf(backend)],
    checkpointEvery: o.checkpointEvery,
    keepEpochs: o.keepEpochs,
  };
  // Probe the task parameters, the model and its masks before any work is done (or said).
  initialModel(recipe, generate(task, { nTrials: 1, params: recipe.taskParams }));
  const dir = o.out ?? path.join('runs', `${taskName}-N${size}-${init}-s${o.seed}`);
  log(
    `training ${taskName} (${task.title}): N=${size}, ${init} init, ${recipe.nTrials} trials, ` +
      `${recipe.train.epochs} epochs max, backend ` +
      `${backend.name}${backend.device ? ` on ${backend.device}` : ''} → ${dir}`,
  );
  finish(train(dir, recipe, backend, { resume: false, maxSteps: o.maxSteps }), recipe, backend, o.json);
}

/**
 * Train through the experiments' driver, showing progress: a bar on a terminal, a line per epoch otherwise (logs of
 * batch jobs stay readable).
 */
function train(
  dir: string,
  recipe: RunRecipe,
  backend: Backend,
  opts: { resume: boolean; maxSteps?: number; changes?: ResumeChanges },
): TrainOutcome {
  const tty = process.stderr.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'epoch {epoch}/{epochs} |{bar}| {percentage}% | loss {loss} | {duration_formatted} elapsed, ETA ' +
            '{eta_formatted}',
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const t0 = Date.now();
  let lastEpochLogged = -1;
  const onStep = (p: TrainProgress, t: Trainer) => {
    const epochs = t.config.epochs;
    if (lastEpochLogged < 0) {
      lastEpochLogged = p.stepInEpoch === 0 ? p.epoch - 1 : p.epoch;
      bar?.start(epochs * t.stepsPerEpoch, p.step - 1, { epoch: p.epoch + 1, epochs, loss: '-' });
    }
    bar?.update(p.step, { epoch: Math.min(p.epoch + 1, epochs), loss: p.loss.toExponential(3) });
    if (!tty && t.epoch !== lastEpochLogged) {
      lastEpochLogged = t.epoch;
      const h = t.history[t.history.length - 1];
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      log(`epoch ${h.epoch}/${epochs}: loss ${h.loss.toExponential(4)} (${seconds} s)`);
    }
  };
  try {
    return trainRun(dir, recipe, backend, { ...opts, log, onStep });
  } finally {
    bar?.stop();
  }
}

function finish(r: TrainOutcome, recipe: RunRecipe, backend: ReturnType<typeof resolveBackend>, json = false) {
  const t = r.trainer;
  const where = { dir: r.dir, task: recipe.task, backend: backend.name, gradientPath: t.gradientPath };
  const progress = { epochs: t.epoch, updates: t.step, seconds: r.seconds };
  if (!t.done && json)
    return outJson('train', { ...where, finished: false, ...progress, resume: `rnnlab train --resume --out ${r.dir}` });
  if (!t.done) {
    out(
      `stopped after ${t.step} updates (epoch ${t.epoch + 1}, step ${t.stepInEpoch}/${t.stepsPerEpoch}); continue ` +
        `with: rnnlab train --resume --out ${r.dir}`,
    );
    return;
  }
  const test = generate(getTask(recipe.task), { nTrials: 200, seed: 12345, params: recipe.taskParams });
  const ev = evaluate(t.model, test, recipe.task, backend);
  const last = t.history.at(-1)!;
  if (json)
    return outJson('train', {
      ...where,
      finished: true,
      stopReason: t.stopReason,
      ...progress,
      finalEpochLoss: last.loss,
      evaluation: { trials: 200, ...ev },
      model: path.join(r.dir, 'model.json'),
      weightsSha256: weightsSha256(t.model),
    });
  out(
    `${recipe.task}: ${t.stopReason === 'early-stop' ? 'reached the early-stopping loss' : 'finished'} after ` +
      `${t.epoch} epochs / ${t.step} updates in ${r.seconds.toFixed(1)} s (${backend.name}, gradient ` +
      `${t.gradientPath}); final epoch loss ${last.loss.toExponential(3)}; on 200 fresh trials ${describeEval(ev)}; ` +
      `model ${path.join(r.dir, 'model.json')} (weights SHA-256 ${weightsSha256(t.model)})`,
  );
}
