/**
 * The rnnlab command. Every failure ends with one line "rnnlab: error: …" and exit status 1 (2 for usage errors);
 * stack traces only with RNNLAB_DEBUG=1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import {
  ADAM_DEFAULTS, createModel, formatAudit, gradientAudit, importKerasFile, initialize, loadModel, LOSS_NORMALIZATIONS, maskedMseForward, modelFromJson,
  parseJson, readTextFile, REC_INITS, terminalSafe, prepareOutputDir, writeFileAtomic, assertFits, maskedMseOfOutputs, RnnlabError, Rng, saveModel, setRecMask, simulate,
  type AdamConvention, type LossNormalization, type RecInit,
} from '@rnnlab/engine';
import { accuracy, conditionNames, generate, getTask, noiseFreeParams, TASKS, trialDistances, type GeneratedTrials } from '@rnnlab/tasks';
import { findFixedPoints, freeRun, recurrentSpectrum, renderSvg, svgToPng, trialsSpec, writeReport } from '@rnnlab/analysis';
import * as cliProgress from 'cli-progress';
import { collectParam, num, oneOf } from './parse';
import { BACKEND_NAMES, resolveBackend } from './backends';
import { runTraining, type RunRecipe } from './train';
import { paperCommand, StoppedExit } from './paper';

// Every line printed may hold strings read from files (run.json, records, Keras metadata): control characters are
// neutralised so that a file cannot drive the terminal.
const log = (s: string) => process.stderr.write(`${terminalSafe(s)}\n`);
const out = (s: string) => process.stdout.write(`${terminalSafe(s)}\n`);

/** The only train options that may be given with --resume (the rest would change the run's recipe). */
const RESUME_FLAGS = new Set(['resume', 'out', 'maxSteps', 'clip', 'checkpointEvery']);

/** The --backend option, the same on every command that computes. */
const backendOption = () => new Option('--backend <name>', 'compute backend (wasm-simd: WebAssembly SIMD float32; js: typed-array loops; reference: naive; gpujs[:mode]: gpu.js kernels)').choices(BACKEND_NAMES as unknown as string[]).default('wasm-simd');

/** The --param option (task parameters), the same on every command that generates trials. */
const paramOption = (help = 'task parameter, repeatable') => new Option('--param <key=value>', help).argParser(collectParam).default({});

/** The --quick preset: the AND task learned by a 50-unit network in well under a minute on 2 cores. */
export const QUICK = { task: 'and', size: 50, trials: 640, batch: 16, epochs: 40, lr: 1e-3, decay: 0, adam: 'pytorch' as AdamConvention, earlyStop: 5e-4, clip: 1, init: 'orthogonal' as RecInit };

function evaluate(model: ReturnType<typeof createModel>, trials: GeneratedTrials, taskName: string, backend: ReturnType<typeof resolveBackend>, loss: LossNormalization = 'mask-nonzero') {
  const task = getTask(taskName);
  const { outputs } = simulate(model, trials, backend);
  const acc = accuracy(task, trials, outputs);
  const d = trialDistances(trials, outputs);
  return { loss: maskedMseOfOutputs(trials, outputs, loss), accuracy: acc.overall, perCondition: acc.perCondition, meanDistance: d.reduce((a, b) => a + b, 0) / d.length };
}

/** Refuse an evaluation or plot whose trial set cannot fit in memory, from one probe trial, before generating it. */
function checkTrialsFit(taskName: string, nTrials: number, params: Record<string, number>, what: string): void {
  const probe = generate(getTask(taskName), { nTrials: 1, params });
  const bytes = nTrials * probe.nSteps * (probe.nIn + 2 * probe.nOut + 1) * 8;
  assertFits({ model: 0, workspace: 0, trials: bytes, total: bytes }, `${what}: ${nTrials} trials of ${probe.nSteps} steps`, { available: os.totalmem() / 2, largestArray: nTrials * probe.nSteps * Math.max(probe.nIn, probe.nOut) });
}

/** An output file: its folder must be ordinary and writable (prepareOutputDir) and the file itself not a link. */
function prepareOutputFile(file: string, what: string): void {
  prepareOutputDir(path.dirname(path.resolve(file)), `folder of the ${what}`);
  let isLink = false;
  try { isLink = fs.lstatSync(file).isSymbolicLink(); } catch { /* does not exist yet */ }
  if (isLink) throw new RnnlabError(`${what} "${file}" is a symbolic link; refusing to write through it`);
}

function describeEval(r: ReturnType<typeof evaluate>): string {
  const per = Object.entries(r.perCondition).map(([k, v]) => `${k} ${v.correct}/${v.total}`).join(', ');
  return `accuracy ${(100 * r.accuracy).toFixed(1)}% (${per}); loss ${r.loss.toExponential(3)}; mean distance ${r.meanDistance.toFixed(3)}`;
}

export function buildProgram(): Command {
  const program = new Command('rnnlab')
    .description('Train and dissect the small recurrent networks of Jarne & Laje (2023).')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program.command('train')
    .description('train a network on a task (defaults: the paper\'s protocol; --quick: a small run that finishes in under a minute)')
    .option('--task <name>', `task (${Object.keys(TASKS).join(', ')})`, 'and')
    .option('--quick', `preset: ${QUICK.task}, N=${QUICK.size}, ${QUICK.trials} trials, batch ${QUICK.batch}, Adam lr ${QUICK.lr}, clip ${QUICK.clip}, up to ${QUICK.epochs} epochs`)
    .option('--size <N>', 'recurrent units', num('--size', { integer: true, positive: true }))
    .addOption(new Option('--init <kind>', 'W_rec initialiser').choices(REC_INITS as string[]))
    .option('--gain <g>', 'initialisation gain g', num('--gain', { positive: true }), 1)
    .option('--seed <n>', 'weight-initialisation seed', num('--seed', { integer: true }), 1)
    .option('--data-seed <n>', 'trial-set seed (default: the task\'s, 2 or 1 as in the paper)', num('--data-seed', { integer: true }))
    .option('--train-seed <n>', 'shuffling and recurrent-noise seed', num('--train-seed', { integer: true }), 1)
    .option('--trials <n>', 'training trials (paper: 15000, flip-flop 25000)', num('--trials', { integer: true, positive: true }))
    .addOption(paramOption('task parameter, repeatable (e.g. memGap=50, inputNoise=0.1)'))
    .option('--alpha <a>', 'dt/tau (1 = Keras SimpleRNN)', num('--alpha', { positive: true, max: 1 }), 1)
    .addOption(new Option('--activation <f>', 'activation').choices(['tanh', 'relu', 'softplus']).default('tanh'))
    .option('--bias', 'train a recurrent bias (default: on for NOT, off otherwise)')
    .option('--no-bias', 'no recurrent bias')
    .option('--rec-noise <sigma>', 'recurrent noise standard deviation', num('--rec-noise', { min: 0 }), 0)
    .addOption(new Option('--dtype <t>', 'storage precision').choices(['float32', 'float64']).default('float32'))
    .option('--lr <lr>', 'Adam learning rate', num('--lr', { positive: true }))
    .option('--decay <d>', 'inverse-time learning-rate decay per update', num('--decay', { min: 0 }))
    .addOption(new Option('--adam <convention>', 'Adam convention').choices(['keras', 'pytorch']))
    .option('--epochs <n>', 'epochs', num('--epochs', { integer: true, positive: true }))
    .option('--batch <n>', 'minibatch size (paper: 64; --quick: 16)', num('--batch', { integer: true, positive: true }))
    .option('--early-stop <loss>', 'stop after an epoch whose mean loss is below this (default: the paper\'s per-task threshold; 0 = off)', num('--early-stop', { min: 0 }))
    .option('--clip <norm>', 'gradient-norm clipping (0 = off; --quick: 1)', num('--clip', { min: 0 }))
    .addOption(new Option('--loss <norm>', 'loss normalisation').choices(LOSS_NORMALIZATIONS as string[]).default('mask-nonzero'))
    .addOption(backendOption())
    .option('--threads <n>', 'training threads (wasm-simd: each minibatch is split across threads)', num('--threads', { integer: true, positive: true, max: 64 }), 1)
    .option('--out <dir>', 'run directory (default runs/<task>-N<size>-<init>-s<seed>)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--checkpoint-every <steps>', 'checkpoint period in updates (also at every epoch end)', num('--checkpoint-every', { integer: true, min: 0 }), 50)
    .option('--max-steps <n>', 'stop after this many updates (resume later with --resume)', num('--max-steps', { integer: true, positive: true }))
    .action((o, cmd: Command) => {
      if (o.resume) {
        if (!o.out) throw new RnnlabError('--resume needs --out <run directory>');
        // A resumed run continues its recipe (run.json); a flag that would change it is refused, never ignored.
        const given = cmd.options.map((opt) => opt.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli');
        const changing = given.filter((k) => !RESUME_FLAGS.has(k));
        if (changing.length) {
          const flags = changing.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
          throw new RnnlabError(`${flags} would change the recipe of the run being resumed (run.json), so ${changing.length > 1 ? 'they are' : 'it is'} refused; with --resume only --clip (applied from the next update, recorded), --checkpoint-every and --max-steps may be given; start a new run (another --out) to change the rest`);
        }
        const recipe = parseJson(readTextFile(path.join(o.out, 'run.json'), 'run recipe'), `${o.out}/run.json`) as RunRecipe;
        // The backend and thread count of the recipe: both fix the summation order, hence the exact bits.
        const backend = resolveBackend(recipe.backendName ?? 'wasm-simd', recipe.threads ?? 1);
        // The same option can give another build elsewhere (wasm-simd without relaxed SIMD): say so, and go on.
        if (recipe.backend && backend.name !== recipe.backend) log(`warning: this run was trained on ${recipe.backend} and resumes on ${backend.name}; it continues, but not bit-exactly as one uninterrupted run`);
        const changes = {
          clipNorm: cmd.getOptionValueSource('clip') === 'cli' ? (o.clip as number) : undefined,
          checkpointEvery: cmd.getOptionValueSource('checkpointEvery') === 'cli' ? (o.checkpointEvery as number) : undefined,
        };
        finish(runTraining(o.out, recipe, backend, true, log, o.maxSteps, changes), recipe, backend);
        return;
      }
      const backend = resolveBackend(o.backend, o.threads);
      const q = o.quick ? QUICK : null;
      const taskName: string = o.quick && o.task === 'and' ? QUICK.task : o.task;
      const task = getTask(taskName);
      const hints = task.hints ?? {};
      const size = o.size ?? q?.size ?? 50;
      const init: RecInit = o.init ?? q?.init ?? hints.init ?? 'normal';
      const recipe: RunRecipe = {
        format: 'rnnlab-run', version: 1, task: taskName, taskParams: o.param,
        dataSeed: o.dataSeed ?? hints.dataSeed ?? 1, nTrials: o.trials ?? q?.trials ?? hints.trainTrials ?? 15000,
        model: { nRec: size, alpha: o.alpha, activation: o.activation, recurrentBias: o.bias ?? hints.recurrentBias ?? false, trainH0: false, noiseStd: o.recNoise, dtype: o.dtype },
        init: { rec: init, gain: o.gain, seed: o.seed },
        train: {
          epochs: o.epochs ?? q?.epochs ?? 20, batchSize: o.batch ?? q?.batch ?? 64, loss: o.loss, clipNorm: o.clip ?? q?.clip ?? 0, seed: o.trainSeed,
          earlyStopLoss: o.earlyStop ?? q?.earlyStop ?? hints.earlyStopLoss ?? 0, shuffle: true,
          adam: { ...ADAM_DEFAULTS, lr: o.lr ?? q?.lr ?? ADAM_DEFAULTS.lr, decay: o.decay ?? q?.decay ?? ADAM_DEFAULTS.decay, convention: o.adam ?? q?.adam ?? 'keras' },
        },
        backend: backend.name, backendName: o.backend, threads: o.threads, checkpointEvery: o.checkpointEvery,
      };
      // Probe the task parameters before any work is done.
      generate(task, { nTrials: 1, params: recipe.taskParams });
      const dir = o.out ?? path.join('runs', `${taskName}-N${size}-${init}-s${o.seed}`);
      log(`training ${taskName} (${task.title}): N=${size}, ${init} init, ${recipe.nTrials} trials, ${recipe.train.epochs} epochs max, backend ${backend.name}${backend.device ? ` on ${backend.device}` : ''} → ${dir}`);
      finish(runTraining(dir, recipe, backend, false, log, o.maxSteps), recipe, backend);
    });

  function finish(r: ReturnType<typeof runTraining>, recipe: RunRecipe, backend: ReturnType<typeof resolveBackend>) {
    const t = r.trainer;
    if (!t.done) {
      out(`stopped after ${t.step} updates (epoch ${t.epoch + 1}, step ${t.stepInEpoch}/${t.stepsPerEpoch}); continue with: rnnlab train --resume --out ${r.dir}`);
      return;
    }
    const test = generate(getTask(recipe.task), { nTrials: 200, seed: 12345, params: recipe.taskParams });
    const ev = evaluate(t.model, test, recipe.task, backend);
    const last = t.history.at(-1)!;
    out(`${recipe.task}: ${t.stopReason === 'early-stop' ? 'reached the early-stopping loss' : 'finished'} after ${t.epoch} epochs / ${t.step} updates in ${r.seconds.toFixed(1)} s (${backend.name}, gradient ${t.gradientPath}); final epoch loss ${last.loss.toExponential(3)}; on 200 fresh trials ${describeEval(ev)}; model ${path.join(r.dir, 'model.json')}`);
  }

  program.command('eval')
    .description('loss, accuracy and distance of a saved model on fresh trials')
    .argument('<model>', 'rnnlab model file (model.json)')
    .requiredOption('--task <name>', 'task')
    .option('--trials <n>', 'number of trials', num('--trials', { integer: true, positive: true }), 200)
    .option('--seed <n>', 'trial seed', num('--seed', { integer: true }), 12345)
    .addOption(paramOption())
    .addOption(backendOption())
    .option('--json', 'print JSON')
    .action((file, o) => {
      const { model } = loadModel(file);
      checkTrialsFit(o.task, o.trials, o.param, 'eval');
      const trials = generate(getTask(o.task), { nTrials: o.trials, seed: o.seed, params: o.param });
      const ev = evaluate(model, trials, o.task, resolveBackend(o.backend));
      out(o.json ? JSON.stringify(ev, null, 2) : `${o.task} on ${o.trials} fresh trials: ${describeEval(ev)}`);
    });

  program.command('audit')
    .description('check the analytic BPTT gradient against float64 central finite differences')
    .option('--model <file>', 'audit this model (default: a small random network with every feature on)')
    .option('--task <name>', 'trials from this task (default: random data)')
    .option('--trials <n>', 'trials in the audit batch', num('--trials', { integer: true, positive: true }), 3)
    .option('--max-entries <n>', 'check at most this many entries per parameter (seeded sample)', num('--max-entries', { integer: true, positive: true }))
    .option('--seed <n>', 'seed', num('--seed', { integer: true }), 1)
    .addOption(new Option('--backend <name>', 'backend for the analytic gradient').choices(BACKEND_NAMES as unknown as string[]).default('reference'))
    .action((o) => {
      let model;
      if (o.model) model = loadModel(o.model).model;
      else {
        model = createModel({ nIn: 2, nRec: 8, nOut: 1, alpha: 0.5, recurrentBias: true, trainH0: true, noiseStd: 0.05, dtype: 'float64' });
        initialize(model, { rec: 'normal', gain: 1.2, seed: o.seed });
        const rng = new Rng(o.seed + 1);
        rng.fillNormal(model.params.b, 0.1);
        rng.fillUniform(model.params.h0, -0.3, 0.3);
        setRecMask(model, Array.from({ length: 64 }, () => (rng.uniform() < 0.2 ? 0 : 1)));
      }
      let trials;
      if (o.task) trials = generate(getTask(o.task), { nTrials: o.trials, seed: o.seed });
      else {
        const rng = new Rng(o.seed + 2), T = 15, B = o.trials, I = model.config.nIn, O = model.config.nOut;
        trials = { nTrials: B, nSteps: T, nIn: I, nOut: O, inputs: new Float64Array(B * T * I), targets: new Float64Array(B * T * O), mask: new Float64Array(B * T).fill(1) };
        rng.fillNormal(trials.inputs);
        rng.fillUniform(trials.targets, -1, 1);
      }
      const auditBackend = resolveBackend(o.backend);
      if (auditBackend.precision !== 'float64') {
        throw new RnnlabError(`the audit compares the analytic gradient with float64 finite differences to 1e-5; ${auditBackend.name} computes in float32, whose rounding alone exceeds that, so it cannot be audited this way (its gradients are checked against the float64 engine to float32 tolerance in spec/engine/gpujs*.spec.ts); use --backend reference, js or wasm-simd (which computes float64 models in float64)`);
      }
      const report = gradientAudit(model, trials, { backend: auditBackend, maxEntriesPerParam: o.maxEntries ?? Infinity, seed: o.seed });
      out(formatAudit(report));
      if (!(report.maxRelError < 1e-5)) throw new RnnlabError(`gradient audit failed: max relative error ${report.maxRelError.toExponential(3)} >= 1e-5`);
    });

  program.command('import-keras')
    .description('convert a Keras 2.x SimpleRNN+Dense HDF5 file (the authors\' networks) to an rnnlab model')
    .argument('<file>', 'Keras .hdf5 file')
    .requiredOption('--out <file>', 'rnnlab model file to write')
    .addOption(new Option('--dtype <t>', 'storage precision').choices(['float32', 'float64']).default('float64'))
    .action((file, o) => {
      prepareOutputFile(o.out, 'model file');
      const { model, meta } = importKerasFile(file, o.dtype);
      saveModel(o.out, model, null, { importedFrom: meta });
      out(`imported ${file} (Keras ${meta.kerasVersion}, N=${model.config.nRec}, ${model.config.nIn} input(s), bias ${model.config.recurrentBias ? 'on' : 'off'}) → ${o.out}`);
    });

  program.command('report')
    .description('an HTML page with figures (loss, trials, units, spectrum, weights, PCA) for a run directory or a model file')
    .argument('<run>', 'run directory (from rnnlab train) or model file')
    .option('--task <name>', 'task (required for a bare model file)')
    .option('--out <dir>', 'output directory (default <run>/report)')
    .option('--trials <n>', 'evaluation trials', num('--trials', { integer: true, positive: true }), 200)
    .option('--seed <n>', 'evaluation seed', num('--seed', { integer: true }), 12345)
    .addOption(backendOption())
    .action(async (run, o) => {
      const isDir = fs.existsSync(run) && fs.statSync(run).isDirectory();
      let model, initial = null, history = null, task = o.task, taskParams: Record<string, number> = {};
      if (isDir) {
        const recipe = parseJson(readTextFile(path.join(run, 'run.json'), 'run recipe'), `${run}/run.json`) as RunRecipe;
        task = task ?? recipe.task;
        taskParams = recipe.taskParams;
        const modelFile = fs.existsSync(path.join(run, 'model.json')) ? path.join(run, 'model.json') : null;
        const ck = parseJson(readTextFile(path.join(run, 'checkpoint.json'), 'checkpoint'), `${run}/checkpoint.json`) as { stepLosses: number[]; history: Array<{ epoch: number; loss: number; steps: number }>; model: unknown };
        model = modelFile ? loadModel(modelFile).model : modelFromJson(ck.model, `${run}/checkpoint.json`).model;
        initial = loadModel(path.join(run, 'initial.json')).model;
        history = { stepLosses: ck.stepLosses, epochs: ck.history };
      } else {
        if (!task) throw new RnnlabError('report on a model file needs --task');
        model = loadModel(run).model;
      }
      const dir = o.out ?? (isDir ? path.join(run, 'report') : `${run.replace(/\.json$/, '')}-report`);
      prepareOutputDir(dir, 'report folder');
      const s = await writeReport({ title: `rnnlab report: ${task}`, model, initial, history, task: getTask(task), taskParams, backend: resolveBackend(o.backend), seed: o.seed, evalTrials: o.trials }, dir);
      out(`report → ${path.join(dir, 'index.html')} (${s.figures.length / 2} figures; accuracy ${(100 * s.accuracy).toFixed(1)}%, mean distance ${s.meanDistance.toFixed(3)})`);
    });

  program.command('plot-task')
    .description('draw a few trials of a task (inputs, target) to SVG or PNG')
    .argument('<task>', 'task name')
    .requiredOption('--out <file>', 'output .svg or .png')
    .option('--trials <n>', 'trials (one per condition in turn; at most 64, more is not readable)', num('--trials', { integer: true, positive: true, max: 64 }), 4)
    .option('--seed <n>', 'seed', num('--seed', { integer: true }), 1)
    .addOption(paramOption())
    .action(async (name, o) => {
      const task = getTask(name);
      if (!o.out.endsWith('.png') && !o.out.endsWith('.svg')) throw new RnnlabError(`--out must end in .svg or .png, got "${o.out}"`);
      prepareOutputFile(o.out, 'figure');
      checkTrialsFit(name, o.trials, o.param, 'plot-task');
      const tr = generate(task, { nTrials: o.trials, seed: o.seed, grid: true, params: o.param });
      const names = conditionNames(task, o.param);
      const { nSteps: T, nIn: I, nOut: O } = tr;
      const svg = await renderSvg(trialsSpec({
        title: `${task.title}: sample trials`, nSteps: T, dt: Number(tr.params.dt ?? 1), inputNames: task.inputs, outputNames: task.outputs,
        trials: Array.from({ length: tr.nTrials }, (_, b) => ({ label: `trial ${b} (${names[tr.trialTypes![b]]})`, inputs: tr.inputs.subarray(b * T * I, (b + 1) * T * I), targets: tr.targets.subarray(b * T * O, (b + 1) * T * O) })),
      }));
      if (o.out.endsWith('.png')) writeFileAtomic(o.out, svgToPng(svg));
      else writeFileAtomic(o.out, svg);
      out(`${name}: ${tr.nTrials} trials → ${o.out}`);
    });

  program.command('dynamics')
    .description('spectrum of W_rec, late-time behaviour after each trial type (free runs), and fixed points of a model')
    .argument('<model>', 'rnnlab model file')
    .requiredOption('--task <name>', 'task whose trial types are run')
    .addOption(paramOption())
    .option('--json', 'print JSON')
    .action((file, o) => {
      const { model } = loadModel(file);
      const task = getTask(o.task);
      const names = conditionNames(task, o.param);
      const quiet = { ...noiseFreeParams(task), ...o.param };
      const grid = generate(task, { nTrials: names.length, grid: true, params: quiet });
      let late: ReturnType<typeof freeRun>, sp: ReturnType<typeof recurrentSpectrum>;
      try {
        sp = recurrentSpectrum(model);
        late = freeRun(model, grid);
      } catch (e) {
        let big = 0;
        for (const w of model.params.W_rec) big = Math.max(big, Math.abs(w));
        throw new RnnlabError(`cannot analyse ${file}: ${(e as Error).message} (largest |W_rec| entry ${big.toExponential(2)}${big > 1e100 ? '; weights this large overflow the computation' : ''})`);
      }
      const { hidden } = simulate(model, grid, resolveBackend('js'), { hidden: true });
      const fps = findFixedPoints(model, hidden!, { starts: 48 });
      const result = {
        spectralRadius: sp.spectralRadius, dominant: sp.dominant, dominantKind: sp.dominantKind, dominantPeriod: sp.dominantPeriod, outsideUnitCircle: sp.outsideUnitCircle,
        lateBehaviour: Object.fromEntries(late.map((l, b) => [names[grid.trialTypes![b]], l])),
        fixedPoints: fps.map((f) => ({ stable: f.stable, output: f.output, q: f.q, norm: Math.hypot(...f.h) })),
      };
      const nonFinite = [['spectral radius', sp.spectralRadius], ['λ*', sp.dominant.re], ['λ*', sp.dominant.im]].find(([, v]) => !Number.isFinite(v as number));
      if (nonFinite) throw new RnnlabError(`the ${nonFinite[0]} of ${file} is ${nonFinite[1]}: its weights are too large for the eigenvalue computation (overflow), so no dynamics can be reported`);
      if (late.some((l) => !Number.isFinite(l.meanOutput)) || fps.some((f) => !Number.isFinite(f.output))) throw new RnnlabError(`simulating ${file} gives non-finite outputs (its weights overflow the state), so no dynamics can be reported`);
      if (o.json) { out(JSON.stringify(result, null, 2)); return; }
      out(`W_rec: spectral radius ${sp.spectralRadius.toFixed(4)}, λ* = ${sp.dominant.re.toFixed(4)}${sp.dominant.im >= 0 ? '+' : '-'}${Math.abs(sp.dominant.im).toFixed(4)}i (${sp.dominantKind}${sp.dominantPeriod ? `, period ${sp.dominantPeriod.toFixed(1)} steps` : ''}), ${sp.outsideUnitCircle} eigenvalues outside the unit circle`);
      for (const [c, l] of Object.entries(result.lateBehaviour)) out(`after ${c}: ${l.behaviour}${l.period ? ` (period ${l.period.toFixed(1)} steps)` : ''}, output ${l.meanOutput.toFixed(3)}`);
      out(`fixed points found: ${fps.length} (${fps.filter((f) => f.stable).length} stable)${fps.map((f) => `\n  ${f.stable ? 'stable  ' : 'unstable'} output ${f.output.toFixed(3)} |h| ${Math.hypot(...f.h).toFixed(3)}`).join('')}`);
    });

  program.addCommand(paperCommand());

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander already printed its message
    if (e instanceof StoppedExit) return e.exitCode; // the shard checkpointed and said so
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rnnlab: error: ${terminalSafe(msg)}\n`);
    if (process.env.RNNLAB_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}
