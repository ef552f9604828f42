/**
 * The lab's worker: it owns the network. Training runs here in slices of about 40 ms (the engine's Trainer, one
 * minibatch per trainStep, on the WebAssembly kernel the shared run names), so the page stays responsive and pause,
 * resume and stop take effect between slices. Loading, lesions and every analysis run here too; the page receives
 * Vega-Lite specifications and numbers (messages.ts).
 */
import {
  type Activation,
  type Backend,
  cloneModel,
  createWasmBackend,
  effectiveWeights,
  excitatoryCount,
  type InitConfig,
  jsBackend,
  kernelBuildOf,
  modelFromJson,
  modelToJson,
  paramCount,
  parseJson,
  RnnlabError,
  type RnnModel,
  simulate,
  Trainer,
  weightsSha256,
} from '@rnnlab/engine';
import { importKerasBuffer } from '@rnnlab/engine/keras';
import { importPsychRnn } from '@rnnlab/engine/psychrnn';
import { type AnyTask, conditionNames, generate, getTask, type GeneratedTrials } from '@rnnlab/tasks';
import {
  connectivitySpec,
  findFixedPoints,
  fixedPointSpectraFigure,
  freeRun,
  pcaFigure,
  afterTrials,
  recurrentSpectrum,
  spectrumFigure,
  spectrumSpec,
  trialsFigure,
  type VegaLiteSpec,
} from '@rnnlab/analysis/browser';
import { buildTrials, drawnModel, kernelDigest, type SharedRun } from '@rnnlab/experiments/share';
import { degradation, evalSet, lesioned, scoreOf } from './lesion';
import type { Analysis, FromWorker, LesionRequest, Progress, ToWorker } from './messages';

/** The network the page shows: trained here or loaded from a file. */
interface Current {
  model: RnnModel;
  init: InitConfig | null;
  task: AnyTask;
  taskParams: Record<string, number>;
  dataSeed: number;
  initial: RnnModel | null;
  run: SharedRun | null;
  kernel: string;
  /** Training so far: updates and epochs done (0 for a loaded network). */
  steps: number;
  epochs: number;
}

const SLICE_MS = 40;
/** The live spectrum's shortest period; longer when its eigendecomposition is slow (see slice). */
const SPECTRUM_EVERY_MS = 400;
let current: Current | null = null;
let trainer: Trainer | null = null;
let paused = false;
let activeMs = 0;
let sentLosses = 0;
let lastSpectrum = 0;
let spectrumEveryMs = SPECTRUM_EVERY_MS;

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

self.onmessage = (e: MessageEvent<ToWorker>) => {
  try {
    handle(e.data);
  } catch (err) {
    post({ type: 'error', message: err instanceof RnnlabError ? err.message : `internal error: ${String(err)}` });
  }
};

function handle(m: ToWorker): void {
  switch (m.type) {
    case 'train':
      return startTraining(m.run);
    case 'pause':
      if (trainer && !trainer.done) {
        paused = true;
        post({ type: 'state', state: 'paused' });
        analyse();
      }
      return;
    case 'resume':
      if (trainer && !trainer.done && paused) {
        paused = false;
        post({ type: 'state', state: 'training' });
        schedule();
      }
      return;
    case 'stop':
      return finish('stopped');
    case 'load':
      return load(m.name, m.bytes, m.task, m.psychrnn);
    case 'lesion':
      return lesion(m.lesion);
    case 'export':
      return exportModel();
  }
}

function startTraining(run: SharedRun): void {
  trainer?.dispose();
  trainer = null;
  const backend = wasmBackend(run.kernel === 'wasm-simd+fma');
  const trials = buildTrials(run.recipe);
  const { model, init } = drawnModel(run.recipe, trials);
  const build = kernelBuildOf(backend);
  current = {
    model,
    init,
    task: getTask(run.recipe.task),
    taskParams: run.recipe.taskParams,
    dataSeed: run.recipe.dataSeed,
    initial: cloneModel(model),
    run: { ...run, build: kernelDigest(build) },
    kernel: `${build.backend} (${build.kernel}, ${build.engine})`,
    steps: 0,
    epochs: 0,
  };
  trainer = new Trainer(model, trials, run.recipe.train, backend, init);
  paused = false;
  activeMs = 0;
  sentLosses = 0;
  post({
    type: 'started',
    kernel: current.kernel,
    nParams: paramCount(model.config),
    totalSteps: trainer.config.epochs * trainer.stepsPerEpoch,
  });
  post({ type: 'state', state: 'training' });
  schedule();
}

/**
 * The next slice, unless this run was replaced, paused or ended meanwhile. A message to ourselves rather than
 * setTimeout(0), which browsers clamp to 4 ms after a few nested calls (10 % of a 40-ms slice); messages from the
 * page queue in between, so pause and stop still land between slices.
 */
const tick = new MessageChannel();
let ticking = false;
tick.port1.onmessage = () => {
  ticking = false;
  if (trainer && !paused && !trainer.done) slice();
};
function schedule(): void {
  if (ticking) return; // one slice queued at a time, however often pause and resume are pressed
  ticking = true;
  tick.port2.postMessage(null);
}

function slice(): void {
  const t = trainer!;
  const t0 = performance.now();
  try {
    while (!t.done && performance.now() - t0 < SLICE_MS) t.trainStep();
  } catch (err) {
    finish('stopped', err instanceof Error ? err.message : String(err));
    return;
  }
  activeMs += performance.now() - t0;
  current!.steps = t.step;
  current!.epochs = t.epoch;
  sendProgress(t);
  if (performance.now() - lastSpectrum > spectrumEveryMs || t.done) {
    const s0 = performance.now();
    post({ type: 'spectrum', figure: spectrumFigure(recurrentSpectrum(t.model), spectrumOf(current!.initial)) });
    lastSpectrum = performance.now();
    // The live spectrum takes at most ~5 % of the worker's time (an eigendecomposition of N = 256 takes ~0.1 s).
    spectrumEveryMs = Math.max(SPECTRUM_EVERY_MS, 20 * (lastSpectrum - s0));
  }
  if (t.done) finish('done');
  else schedule();
}

function sendProgress(t: Trainer): void {
  const progress: Progress = {
    epoch: t.epoch,
    epochs: t.config.epochs,
    step: t.step,
    totalSteps: t.config.epochs * t.stepsPerEpoch,
    loss: t.stepLosses.at(-1) ?? NaN,
    elapsedMs: activeMs,
    stepsPerSecond: t.step / Math.max(activeMs / 1000, 1e-9),
  };
  post({ type: 'progress', progress, losses: t.stepLosses.slice(sentLosses), epochs: t.history.slice() });
  sentLosses = t.stepLosses.length;
}

function finish(state: 'done' | 'stopped', reason?: string): void {
  if (!trainer) return;
  const t = trainer;
  sendProgress(t);
  post({ type: 'state', state, ...(reason ? { reason } : t.stopReason ? { reason: t.stopReason } : {}) });
  t.dispose();
  trainer = null;
  analyse();
}

const spectrumOf = (m: RnnModel | null) => (m ? recurrentSpectrum(m) : null);

/** One WebAssembly backend per kernel (each owns a memory), made when first needed. */
const wasmBackends = new Map<boolean, Backend>();
function wasmBackend(fma: boolean): Backend {
  let b = wasmBackends.get(fma);
  if (!b) wasmBackends.set(fma, (b = createWasmBackend({ fma })));
  return b;
}

/** float32 networks run on the WebAssembly kernel, float64 ones (imported Keras files) on the exact JS loops. */
function backendFor(model: RnnModel): Backend {
  return model.config.dtype === 'float32' ? wasmBackend(current?.run?.kernel === 'wasm-simd+fma') : jsBackend;
}

type Sample = { sample: GeneratedTrials; label: (b: number) => string; names: string[] };

/**
 * The trials the figures and the scores use depend on the task only, not on the weights: made once per network
 * (a lesion slider move redraws without generating them again).
 */
const trialsMemo = new WeakMap<Current, { sample: Sample; evalTrials: GeneratedTrials }>();
function trialsOf(c: Current): { sample: Sample; evalTrials: GeneratedTrials } {
  let t = trialsMemo.get(c);
  if (!t) trialsMemo.set(c, (t = { sample: sampleOf(c), evalTrials: evalSet(c.task, c.taskParams) }));
  return t;
}

/** A few trials of every condition (grid), noise-free where the task allows, as the report draws them. */
function sampleOf(c: Current): Sample {
  const names = conditionNames(c.task, c.taskParams);
  const sample = generate(c.task, {
    nTrials: Math.min(Math.max(names.length, 2), 6),
    seed: c.dataSeed + 1,
    grid: true,
    params: c.taskParams,
  });
  return { sample, names, label: (b) => `trial ${b} (${names[sample.trialTypes![b]]})` };
}

function analyse(): void {
  const c = current;
  if (!c) return;
  const backend = backendFor(c.model);
  const {
    sample: { sample, label, names },
    evalTrials,
  } = trialsOf(c);
  const { outputs, hidden } = simulate(c.model, sample, backend, { hidden: true });
  const N = c.model.config.nRec;
  const fixedPoints = findFixedPoints(c.model, hidden!, { starts: 32 });
  const trained = recurrentSpectrum(c.model);
  const dt = Number(sample.params.dt ?? 1);
  const figures: Array<[string, VegaLiteSpec]> = [
    ['trials', trialsFigure(c.task, sample, outputs, label, dt)],
    ['spectrum', spectrumFigure(trained, spectrumOf(c.initial))],
  ];
  const p = pcaFigure(
    hidden!,
    sample.nTrials,
    sample.nSteps,
    N,
    label,
    fixedPoints,
    afterTrials(c.model, sample, backend),
  );
  if (p) figures.push(['pca', p]);
  const j = fixedPointSpectraFigure(fixedPoints);
  if (j) figures.push(['fixed-points', j]);
  const nExc = c.model.config.daleRatio === null ? null : excitatoryCount(c.model.config);
  figures.push(['connectivity', connectivitySpec(effectiveWeights(c.model).W_rec, N, nExc)]);
  const late = freeRun(c.model, sample);
  const analysis: Analysis = {
    figures,
    eigenvalues: trained.eigenvalues.map((z) => [z.re, z.im]),
    spectralRadius: trained.spectralRadius,
    lateBehaviour: late.map((r, b) => ({
      condition: names[sample.trialTypes![b]],
      behaviour: r.behaviour,
      period: r.period,
    })),
    fixedPoints: { found: fixedPoints.length, stable: fixedPoints.filter((f) => f.stable).length },
    accuracy: scoreOf(c.task, c.taskParams, evalTrials, c.model, backend).accuracy,
    weightsSha256: weightsSha256(c.model),
    steps: c.run ? c.steps : null,
  };
  post({ type: 'analysis', analysis });
}

/** HDF5 files start with the signature \x89HDF\r\n\x1a\n (at byte 0 in Keras' files), zip files (.npz) with PK\3\4. */
const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);
const isHdf5 = (bytes: Uint8Array) => startsWith(bytes, [0x89, 0x48, 0x44, 0x46]);
const isZip = (bytes: Uint8Array) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]);

/**
 * A dropped file: an authors' Keras HDF5, a PsychRNN Basic .npz (its α and transfer function are not in the file:
 * the form's α and activation say them, as `rnnlab import-psychrnn --alpha --activation` does) or an rnnlab model.
 */
function load(
  name: string,
  buffer: ArrayBuffer,
  taskName: string,
  psychrnn: { alpha: number; activation: string },
): void {
  trainer?.dispose();
  trainer = null;
  const bytes = new Uint8Array(buffer);
  let model: RnnModel;
  let init: InitConfig | null = null;
  let recorded: unknown;
  if (isHdf5(bytes)) {
    model = importKerasBuffer(buffer, name, 'float64', 512 * 2 ** 20).model;
  } else if (isZip(bytes)) {
    const options = { alpha: psychrnn.alpha, activation: psychrnn.activation as Activation };
    model = importPsychRnn(bytes, options, `"${name}"`).model;
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new RnnlabError(`"${name}" is neither an rnnlab model.json nor a Keras HDF5 file (not UTF-8 text)`);
    }
    const loaded = modelFromJson(parseJson(text, `"${name}"`), `"${name}"`);
    model = loaded.model;
    init = loaded.init;
    recorded = loaded.meta?.task;
  }
  const task = getTask(typeof recorded === 'string' ? recorded : taskName);
  if (task.inputs.length !== model.config.nIn || task.outputs.length !== model.config.nOut)
    throw new RnnlabError(
      `"${name}" has ${model.config.nIn} inputs and ${model.config.nOut} outputs, but the task ${task.name} has ` +
        `${task.inputs.length} and ${task.outputs.length}: choose a task of that shape`,
    );
  current = {
    model,
    init,
    task,
    taskParams: {},
    dataSeed: 1,
    initial: null,
    run: null,
    kernel: 'none (loaded)',
    steps: 0,
    epochs: 0,
  };
  post({ type: 'state', state: 'loaded', reason: `${name}: ${task.name}, N = ${model.config.nRec}` });
  analyse();
}

function lesion(req: LesionRequest): void {
  const c = current;
  if (!c) throw new RnnlabError('there is no network to lesion: train one or load a file first');
  // The controls are off while training; a request that crossed a resume on its way is dropped, not an error.
  if (trainer && !trainer.done && !paused) return;
  const backend = backendFor(c.model);
  const { model, removed } = lesioned(c.model, req);
  const {
    sample: { sample, label },
    evalTrials,
  } = trialsOf(c);
  const outputs = simulate(model, sample, backend).outputs;
  const figures: Array<[string, VegaLiteSpec]> = [
    ['lesion-trials', trialsFigure(c.task, sample, outputs, label, Number(sample.params.dt ?? 1))],
    [
      'lesion-spectrum',
      spectrumSpec(
        [
          { label: 'intact', eigenvalues: recurrentSpectrum(c.model).eigenvalues },
          { label: 'lesioned', eigenvalues: recurrentSpectrum(model).eigenvalues },
        ],
        'Eigenvalues of W_rec, intact and lesioned',
      ),
    ],
    ['degradation', degradation(c, req, evalTrials, backend)],
  ];
  post({
    type: 'lesioned',
    figures,
    removed,
    accuracy: scoreOf(c.task, c.taskParams, evalTrials, model, backend).accuracy,
  });
}

function exportModel(): void {
  const c = current;
  if (!c) throw new RnnlabError('there is no network to export: train one or load a file first');
  const meta: Record<string, unknown> = { task: c.task.name, taskParams: c.taskParams, madeBy: 'rnnlab lab' };
  if (c.run) Object.assign(meta, { sharedRun: c.run, kernel: c.kernel, steps: c.steps, epochs: c.epochs });
  const text = JSON.stringify(modelToJson(c.model, c.init, meta));
  post({ type: 'model', text, fileName: `${c.task.name}-N${c.model.config.nRec}.json` });
}
