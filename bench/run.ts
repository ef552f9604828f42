/**
 * The benchmark: the paper's workload (I=2 inputs, N tanh units, 1 output, T steps, batch 64, MSE over every step,
 * Adam; one training step = forward + BPTT + update) on every rnnlab backend and, in the same run, on PyTorch CPU
 * (1 thread) and TensorFlow.js (wasm and cpu backends). Forward-only inference too.
 *
 * Method: every rnnlab backend's gradient is first checked against the float64 reference (a backend that fails is
 * not timed). Systems are interleaved round-robin inside each configuration; each round does one warm-up step and
 * then enough timed steps for ~0.5 s; a system's figure is the median of its round medians (the min..max of round
 * medians is printed beside it). FLOPs per step are counted as in shared/docs/perf-anchors.md:
 * forward F = 2·B·T·(N² + N·I + N·O), training ≈ 3F.
 *
 *   npm run bench                         all configs (N=50, 100, 400 at T=200; N=100 at T=400), 3 rounds
 *   npm run bench -- --configs 100x200 --rounds 2 --update-docs
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import {
  type Backend,
  createModel,
  initialize,
  jsBackend,
  referenceBackend,
  Rng,
  type RnnModel,
  type RnnOptions,
  setConnectivity,
  setRecMask,
  type Trials,
} from '@rnnlab/engine';
import {
  adamStep,
  allocParamSet,
  batchObjective,
  createAdamState,
  createStepModel,
  createWorkspace,
  loadTrials,
  maskedMseBackward,
  maskedMseForward,
  rnnBackward,
  rnnForward,
  stepModel,
} from '@rnnlab/engine/advanced';
import { createWasmBackend, enableRelaxedSimd, writeFileAtomic } from '@rnnlab/engine/node';
import { createGpuJsBackend } from '@rnnlab/engine/gpujs';
import type { TfPeer } from './peers/tfjs-types';

interface Config {
  N: number;
  T: number;
}
const B = 64,
  I = 2,
  O = 1;
const flopsForward = (c: Config) => 2 * B * c.T * (c.N * c.N + c.N * I + c.N * O);

type Step = () => number;
/** `detail()`, after the steps: what ran that the name cannot know in advance (gpu.js' executor at this shape). */
interface Prepared {
  train: Step;
  infer: Step;
  dispose(): void;
  detail?(): string | undefined;
}
interface System {
  name: string;
  kind: 'rnnlab' | 'peer';
  threads: number;
  prepare(c: Config): Promise<Prepared> | Prepared;
}

function randomTrials(c: Config): Trials {
  const rng = new Rng(`bench-${c.N}-${c.T}`);
  const tr: Trials = {
    nTrials: B,
    nSteps: c.T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * c.T * I),
    targets: new Float64Array(B * c.T * O),
    mask: new Float64Array(B * c.T).fill(1),
  };
  rng.fillNormal(tr.inputs);
  rng.fillUniform(tr.targets, -1, 1);
  return tr;
}

/**
 * The constrained model of issue 24's speed criterion: Dale's law (0.8), connectivity masks on W_in (90 %), W_rec
 * (80 %) and W_out (90 %), and an L2 rate penalty, trained through the engine's objective (effective weights, the
 * rate term in BPTT, the chain back to the raw weights), as Trainer trains it.
 */
function constrainModel(model: RnnModel): void {
  const rng = new Rng('bench-masks');
  const mask = (n: number, p: number) => Array.from({ length: n }, () => (rng.uniform() < p ? 1 : 0));
  const { nIn, nRec, nOut } = model.config;
  setRecMask(model, mask(nRec * nRec, 0.8));
  setConnectivity(model, { in: mask(nRec * nIn, 0.9), out: mask(nOut * nRec, 0.9) });
}
const CONSTRAINED: RnnOptions = { daleRatio: 0.8, regularizers: { l2Rate: 1e-3 } };

function rnnlabSystem(
  name: string,
  makeBackend: () => Backend,
  dtype: 'float32' | 'float64' = 'float32',
  threads = 1,
  constrained = false,
): System {
  return {
    name: `rnnlab ${name}`,
    kind: 'rnnlab',
    threads,
    prepare(c) {
      const backend = makeBackend();
      const model = createModel({ nIn: I, nRec: c.N, nOut: O, dtype, ...(constrained ? CONSTRAINED : {}) });
      if (constrained) constrainModel(model);
      initialize(model, { rec: 'normal', seed: 1, ...(constrained ? { daleBalance: 'psychrnn' as const } : {}) });
      const scratch = createStepModel(model);
      const terms = {};
      const ws = createWorkspace(model.config, B, c.T, backend);
      loadTrials(ws, randomTrials(c));
      const grads = allocParamSet(model.config);
      const adam = createAdamState(model);
      const cfg = { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' as const };
      const trials = randomTrials(c);
      const order = Int32Array.from({ length: B }, (_, i) => i);
      const dp =
        dtype === 'float32' && backend.createMinibatchGradient
          ? backend.createMinibatchGradient(model.config, B, c.T)
          : null;
      return {
        train: () => {
          let loss: number;
          if (dp) loss = dp.lossAndGradient(model, trials, order, 0, B, 'mask-sum', grads, null);
          else if (constrained) {
            const run = stepModel(model, scratch);
            loss = batchObjective(model, run, ws, backend, grads, 'mask-sum', null, terms).total!;
          } else {
            rnnForward(model, ws, backend);
            loss = maskedMseForward(ws, O, 'mask-sum');
            maskedMseBackward(ws, O, 'mask-sum');
            grads.flat.fill(0);
            rnnBackward(model, ws, grads, backend);
          }
          adamStep(model, grads.flat, adam, cfg);
          return loss;
        },
        infer: () => {
          rnnForward(stepModel(model, scratch), ws, backend);
          return ws.y_TxBxO[0];
        },
        detail: () => dp?.executor,
        dispose: () => {
          dp?.destroy();
          (backend as { destroy?: () => void }).destroy?.();
        },
      };
    },
  };
}

/**
 * TensorFlow.js is not a dependency of the repository (287 MB for one benchmark peer): `npm run bench:setup` installs
 * it into bench/peers/node_modules. The peer is loaded by path so that type-checking the repository does not need it.
 */
async function loadTfPeer(): Promise<TfPeer | null> {
  const peer = path.join(__dirname, 'peers', 'tfjs-rnn.ts');
  try {
    return (await import(peer)) as TfPeer;
  } catch (e) {
    if (!/Cannot find (module|package) '@tensorflow/.test(String((e as Error).message))) throw e;
    process.stderr.write('TensorFlow.js is not installed; its rows are left out. Fix: npm run bench:setup\n');
    return null;
  }
}

/**
 * Gradient of a small problem on `backend` against the float64 reference; throws if it disagrees. Returns the name
 * the backend gives itself (what actually ran, e.g. wasm-simd+fma).
 */
function validate(name: string, makeBackend: () => Backend): string {
  const c = { N: 24, T: 30 };
  const m32 = createModel({ nIn: I, nRec: c.N, nOut: O });
  initialize(m32, { rec: 'normal', seed: 7 });
  const m64 = createModel({ nIn: I, nRec: c.N, nOut: O, dtype: 'float64' });
  m64.params.flat.set(m32.params.flat);
  const all = randomTrials(c);
  const tr: Trials = {
    ...all,
    nTrials: 8,
    inputs: all.inputs.subarray(0, 8 * c.T * I),
    targets: all.targets.subarray(0, 8 * c.T),
    mask: all.mask.subarray(0, 8 * c.T),
  };
  const grad = (model: typeof m32, backend: Backend) => {
    const ws = createWorkspace(model.config, 8, c.T, backend);
    loadTrials(ws, tr);
    rnnForward(model, ws, backend);
    maskedMseBackward(ws, O, 'mask-sum');
    const g = allocParamSet(model.config);
    rnnBackward(model, ws, g, backend);
    return g.flat;
  };
  const backend = makeBackend();
  const ref = grad(m64, referenceBackend);
  const check = (what: string, got: ArrayLike<number>) => {
    let d = 0,
      m = 0;
    for (let i = 0; i < ref.length; i++) {
      d = Math.max(d, Math.abs(got[i] - ref[i]));
      m = Math.max(m, Math.abs(ref[i]));
    }
    if (!(d / m < 1e-4))
      throw new Error(
        `${name}: ${what} gradient differs from the float64 reference by ${(d / m).toExponential(2)}; not timing it`,
      );
    return (d / m).toExponential(1);
  };
  const perProduct = check('forward + BPTT', grad(m32, backend));
  // The backend's own minibatch path (data-parallel threads, a gpu.js pipeline) is what its training rows time.
  const mg = backend.createMinibatchGradient?.(m32.config, 8, c.T);
  let display = backend.name,
    whole = '';
  if (mg) {
    const g = allocParamSet(m32.config);
    mg.lossAndGradient(
      m32,
      tr,
      Int32Array.from({ length: 8 }, (_, i) => i),
      0,
      8,
      'mask-sum',
      g,
      null,
    );
    whole = `, minibatch path ${mg.executor ? `(gpu.js ${mg.executor}) ` : ''}within ${check('minibatch', g.flat)}`;
    if (mg.executor) display += ' pipeline';
    mg.destroy();
  } else if (backend.name.startsWith('gpujs')) display += ' per product';
  (backend as { destroy?: () => void }).destroy?.();
  process.stderr.write(
    `validated ${display}${backend.device ? ` on ${backend.device}` : ''}: rnnForward + rnnBackward gradient within ` +
      `${perProduct} of float64${whole}\n`,
  );
  return display;
}

class TorchWorker {
  private proc: ChildProcessWithoutNullStreams;
  private lines: AsyncIterableIterator<string>;
  info: { torch: string; threads: number } | null = null;
  constructor(readonly threads = 1) {
    const t = String(threads);
    this.proc = spawn('/usr/bin/python3', [path.join(__dirname, 'peers', 'torch_rnn.py')], {
      env: {
        ...process.env,
        RNNLAB_TORCH_THREADS: t,
        OMP_NUM_THREADS: t,
        OPENBLAS_NUM_THREADS: '1',
        MKL_NUM_THREADS: t,
      },
    });
    this.proc.stderr.on('data', (d) => process.stderr.write(`[torch] ${d}`));
    this.lines = readline.createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async ready(): Promise<boolean> {
    const first = await this.lines.next();
    if (first.done) return false;
    this.info = JSON.parse(first.value);
    return true;
  }
  async run(req: object): Promise<number[]> {
    return (await this.request(req)).times as number[];
  }
  async request(req: object): Promise<Record<string, unknown>> {
    this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('the PyTorch worker exited');
    return JSON.parse(r.value);
  }
  close(): void {
    this.proc.stdin.end();
  }
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

function timeSteps(step: Step, budgetMs = 500, maxReps = 9): number[] {
  step(); // warm-up
  const t: number[] = [];
  const start = performance.now();
  while (t.length < maxReps && (t.length === 0 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    const v = step();
    t.push(performance.now() - t0);
    if (!Number.isFinite(v)) throw new Error('non-finite value in a timed step');
  }
  return t;
}

interface Row {
  config: string;
  system: string;
  threads: number;
  trainMs: number;
  trainMin: number;
  trainMax: number;
  inferMs: number;
  rounds: number;
}

async function main() {
  enableRelaxedSimd(); // the FMA build, as the rnnlab command uses it (a process-wide V8 flag: chosen here, explicitly)
  const args = process.argv.slice(2);
  const opt = (k: string, d: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  const configs: Config[] = opt('--configs', '50x200,100x200,400x200,100x400')
    .split(',')
    .map((s) => {
      const [N, T] = s.split('x').map(Number);
      return { N, T };
    });
  const rounds = Number(opt('--rounds', '3'));
  const skip = new Set(opt('--skip', '').split(',').filter(Boolean));
  const systems = [...rnnlabSystems(skip), ...(await tfSystems(skip))];
  const torch = await startTorch(skip);
  const peak = torch ? Number((await torch.one.request({ what: 'peak', n: 1024, reps: 7 })).gflops) : null;
  if (peak) process.stderr.write(`machine peak (torch.mm 1024^3 float32, 1 thread): ${peak.toFixed(1)} GFLOP/s\n`);
  const rows = await measureAll(configs, rounds, systems, torch?.workers ?? []);
  for (const w of torch?.workers ?? []) w.close();
  writeResults(report(rows, configs, peak) + (torch ? torch.note : ''), rows, torch?.one.info ?? null, args);
}

/** rnnlab's backends; each float32 one's gradient is checked against the float64 reference before it is timed. */
function rnnlabSystems(skip: Set<string>): System[] {
  const backends: Array<[string, () => Backend, 'float32' | 'float64', number?, boolean?]> = [
    ['wasm-simd x2 threads', () => createWasmBackend({ threads: 2 }), 'float32', 2],
    ['wasm-simd', () => createWasmBackend(), 'float32'],
    ['wasm-simd constrained', () => createWasmBackend(), 'float32', 1, true],
    ['wasm-simd (no fma)', () => createWasmBackend({ fma: false }), 'float32'],
    ['js', () => jsBackend, 'float32'],
    // gpu.js: training steps and forward passes as one recorded pipeline each (webasm runs them on gpu.js' worker
    // pool, one per core; WebGPU on llvmpipe also rasterises on every core), and per product (one kernel call each;
    // webasm then is single-threaded).
    ['gpujs:webasm pipeline', () => createGpuJsBackend('webasm'), 'float32', 2],
    ['gpujs:webasm per product', () => createGpuJsBackend('webasm', { pipeline: false }), 'float32'],
    ['gpujs:webgpu pipeline', () => createGpuJsBackend('webgpu'), 'float32', 2],
    ['gpujs:webgpu per product', () => createGpuJsBackend('webgpu', { pipeline: false }), 'float32', 2],
    ['reference (f64)', () => referenceBackend, 'float64'],
  ];
  const chosen = backends.filter(([n]) => !skip.has(n));
  return chosen.map(([n, make, dtype, threads, constrained]) =>
    rnnlabSystem(
      constrained ? `${make().name} constrained` : dtype === 'float32' ? validate(n, make) : n,
      make,
      dtype,
      threads ?? 1,
      constrained,
    ),
  );
}

/** TensorFlow.js on its wasm and cpu backends, when installed (npm run bench:setup). */
async function tfSystems(skip: Set<string>): Promise<System[]> {
  const systems: System[] = [];
  const tf = skip.has('tfjs-wasm') && skip.has('tfjs-cpu') ? null : await loadTfPeer();
  for (const tb of ['wasm', 'cpu'] as const) {
    if (skip.has(`tfjs-${tb}`) || !tf) continue;
    systems.push({
      name: `tfjs-${tb} 4.22`,
      kind: 'peer',
      threads: 1,
      prepare: async (c) => {
        await tf.useTfBackend(tb);
        const w = tf.tfWorkload(c.N, c.T, B, I);
        return { train: w.trainStep, infer: w.inferStep, dispose: w.dispose };
      },
    });
  }
  return systems;
}

interface TorchPeer {
  one: TorchWorker;
  workers: TorchWorker[];
  /** The report's sentence on PyTorch's version, threads and BLAS. */
  note: string;
}

/**
 * PyTorch at 1 thread (the reference of the ratio column) and at 2 (the best 2-thread setting on 2 cores:
 * OpenMP 2, OpenBLAS 1), so that rnnlab's 2-thread rows are compared with PyTorch on the same cores.
 */
async function startTorch(skip: Set<string>): Promise<TorchPeer | null> {
  const torch = new TorchWorker(1);
  const haveTorch = !skip.has('torch') && (await torch.ready().catch(() => false));
  if (!haveTorch)
    process.stderr.write(
      'PyTorch is not available (/usr/bin/python3 with python3-torch); its rows are left out. Fix: npm run ' +
        'bench:setup\n',
    );
  const torch2 = haveTorch && !skip.has('torch-2') ? new TorchWorker(2) : null;
  if (torch2 && !(await torch2.ready().catch(() => false)))
    throw new Error('the 2-thread PyTorch worker did not start');
  const torchWorkers = haveTorch ? [torch, ...(torch2 ? [torch2] : [])] : [];
  // Debian's python3-torch links whatever libblas.so.3 is selected; the reference BLAS (what installing python3-torch
  // alone brings) makes PyTorch ~7x slower on this workload, which would flatter every ratio.
  const torchBlas = haveTorch ? ((torch.info as { blas?: string[] }).blas ?? []) : [];
  const referenceBlas = haveTorch && !torchBlas.some((b) => /openblas|mkl|blis/i.test(b));
  if (referenceBlas)
    process.stderr.write(
      `WARNING: PyTorch runs on the reference BLAS (${torchBlas.join(', ') || 'none found'}), not OpenBLAS: its ` +
        `times are not representative. Fix: apt-get install libopenblas0-pthread\n`,
    );
  if (!haveTorch) return null;
  const TWO_THREADS = ' and at 2 (OpenMP 2, OpenBLAS 1; its default, 2 + 2, oversubscribes the cores)';
  const REFERENCE_BLAS =
    ' **PyTorch ran on the reference BLAS, not OpenBLAS: its times and every ratio to it are not representative.**';
  const note =
    `\nPyTorch ${torch.info!.torch} at 1 thread${torch2 ? TWO_THREADS : ''}, ` +
    `BLAS: ${torchBlas.join(', ') || 'unknown'}.${referenceBlas ? REFERENCE_BLAS : ''}`;
  return { one: torch, workers: torchWorkers, note };
}

const torchName = (w: TorchWorker) =>
  `torch ${w.info!.torch} (${w.info!.threads} thread${w.info!.threads > 1 ? 's' : ''})`;

/** Every configuration, systems interleaved round-robin inside each; a row per system with its medians. */
async function measureAll(configs: Config[], rounds: number, systems: System[], torchWorkers: TorchWorker[]) {
  const rows: Row[] = [];
  for (const c of configs) {
    const label = `N=${c.N} T=${c.T}`;
    const train: Record<string, number[]> = {},
      infer: Record<string, number[]> = {},
      details: Record<string, string> = {};
    const names = [...systems.map((s) => s.name), ...torchWorkers.map(torchName)];
    for (let r = 0; r < rounds; r++) {
      for (const s of systems) {
        if (s.name.startsWith('rnnlab reference') && c.N > 100) continue; // naive f64 loops: minutes per step
        if (s.name.startsWith('tfjs-cpu') && c.N > 100 && r > 0) continue; // ~17 s per step: one round
        const w = await s.prepare(c);
        (train[s.name] ??= []).push(median(timeSteps(w.train)));
        (infer[s.name] ??= []).push(median(timeSteps(w.infer)));
        const detail = w.detail?.();
        if (detail) details[s.name] = detail;
        w.dispose();
        process.stderr.write(`${label} round ${r + 1}: ${s.name} ${train[s.name].at(-1)!.toFixed(1)} ms\n`);
      }
      for (const w of torchWorkers) {
        const name = torchName(w);
        const req = { N: c.N, T: c.T, B, I, warmup: 1 };
        (train[name] ??= []).push(median(await w.run({ ...req, what: 'train', reps: 7 })));
        (infer[name] ??= []).push(median(await w.run({ ...req, what: 'infer', reps: 7 })));
        process.stderr.write(`${label} round ${r + 1}: ${name} ${train[name].at(-1)!.toFixed(1)} ms\n`);
      }
    }
    for (const n of names) {
      if (!train[n]) continue;
      rows.push({
        config: label,
        system: details[n] ? `${n} (${details[n]})` : n,
        threads:
          systems.find((s) => s.name === n)?.threads ?? torchWorkers.find((w) => torchName(w) === n)?.threads ?? 1,
        trainMs: median(train[n]),
        trainMin: Math.min(...train[n]),
        trainMax: Math.max(...train[n]),
        inferMs: median(infer[n]),
        rounds: train[n].length,
      });
    }
  }
  return rows;
}

/** bench/results/latest.{json,md}, and with --update-docs the table in docs/speed.md. */
function writeResults(md: string, rows: Row[], torchInfo: unknown, args: string[]): void {
  process.stdout.write(`${md}\n`);
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().map((c) => c.model)[0],
    torch: torchInfo,
    B,
    I,
    O,
    rows,
  };
  writeFileAtomic(path.join(__dirname, 'results', 'latest.json'), JSON.stringify(out, null, 2));
  writeFileAtomic(path.join(__dirname, 'results', 'latest.md'), md);
  if (args.includes('--update-docs')) {
    const page = path.join(__dirname, '..', 'docs', 'speed.md');
    const text = fs.readFileSync(page, 'utf8');
    const a = text.indexOf('<!-- bench:start -->'),
      b = text.indexOf('<!-- bench:end -->');
    if (a < 0 || b < 0) throw new Error('docs/speed.md has no <!-- bench:start --> / <!-- bench:end --> markers');
    writeFileAtomic(page, `${text.slice(0, a)}<!-- bench:start -->\n${md}\n${text.slice(b)}`);
  }
}

function report(rows: Row[], configs: Config[], peak: number | null): string {
  const lines: string[] = [];
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch}, Node ` +
      `${process.version}; batch ${B}, ${I} inputs, 1 output, float32; median of round medians (min..max of rounds).`,
  );
  lines.push('');
  lines.push(
    `| config | system | threads | train ms/step | rounds min..max | steps/s | train GFLOP/s | of ` +
      `peak${peak ? ` (${peak.toFixed(0)} GFLOP/s/thread)` : ''} | infer ms | train: rnnlab ÷ torch 1 thread | ÷ ` +
      `torch 2 threads | ÷ tfjs-wasm |`,
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const c of configs) {
    const label = `N=${c.N} T=${c.T}`;
    const cr = rows.filter((r) => r.config === label);
    const torch = cr.find((r) => r.system.startsWith('torch') && r.threads === 1);
    const torch2 = cr.find((r) => r.system.startsWith('torch') && r.threads === 2);
    const tfw = cr.find((r) => r.system.startsWith('tfjs-wasm'));
    const gf = (3 * flopsForward(c)) / 1e9;
    for (const r of cr) {
      const isOurs = r.system.startsWith('rnnlab');
      const ratio = (p?: Row) => (isOurs && p ? `${(r.trainMs / p.trainMs).toFixed(2)}×` : '');
      const gflops = gf / (r.trainMs / 1000);
      const eff = peak ? `${((100 * gflops) / (peak * r.threads)).toFixed(1)}%` : '';
      lines.push(
        `| ${label} | ${r.system} | ${r.threads} | ${r.trainMs.toFixed(1)} | ` +
          `${r.trainMin.toFixed(1)}..${r.trainMax.toFixed(1)} | ${(1000 / r.trainMs).toFixed(1)} | ` +
          `${gflops.toFixed(2)} | ${eff} | ${r.inferMs.toFixed(1)} | ${ratio(torch)} | ${ratio(torch2)} | ` +
          `${ratio(tfw)} |`,
      );
    }
  }
  lines.push('');
  for (const c of configs) {
    const label = `N=${c.N} T=${c.T}`;
    const ms = (name: string) => rows.find((r) => r.config === label && r.system === name)?.trainMs;
    const plain = rows.find((r) => r.config === label && /^rnnlab wasm-simd(\+fma)?$/.test(r.system));
    const cons = plain && ms(`${plain.system} constrained`);
    if (plain && cons)
      lines.push(
        `${label}: a constrained model (Dale's law 0.8, masks on W_in, W_rec, W_out, L2 rate penalty) trains at ` +
          `${(cons / plain.trainMs).toFixed(2)}× the time of the plain one (${plain.system}, 1 thread, same run).`,
      );
  }
  lines.push('');
  lines.push(
    `FLOPs per training step (3 × forward, forward = 2·B·T·(N² + N·I + N·O)): ` +
      `${configs.map((c) => `N=${c.N} T=${c.T}: ${((3 * flopsForward(c)) / 1e6).toFixed(1)} MFLOP`).join('; ')}.`,
  );
  if (peak)
    lines.push(
      `Machine peak: ${peak.toFixed(1)} GFLOP/s per thread (torch.mm 1024³ float32 on OpenBLAS, measured in this ` +
        `run); "of peak" = train GFLOP/s ÷ (peak × threads). Floor per step at that peak: ` +
        `${configs.map((c) => `N=${c.N} T=${c.T}: ${((3 * flopsForward(c)) / peak / 1e6).toFixed(1)} ms`).join('; ')}.`,
    );
  return lines.join('\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
