/**
 * A whole training step's loss and gradient as ONE gpu.js pipeline: forward, masked MSE and BPTT recorded once by
 * `gpu.createPipeline`, then replayed per minibatch with every intermediate (h_t, r_t, dy_t, δ_t, the gradient
 * accumulators) resident on the device. One upload of the minibatch and the weights, one submit (WebGPU:
 * gpu.js' 'fused-encoder' executor records every kernel into one command encoder; webasm: 'fused-threaded' runs
 * the plan on its worker pool over one shared memory), one readback of the gradient. The forward pass alone
 * (simulate, eval) is a second, shorter plan from the same kernels. The per-product path (kernels/gpujs.ts,
 * kernels/gpujs-bridge.ts) pays a GPU round trip for each of the ~4T products instead.
 *
 * The same equations as engine/step/rnn.ts, per time step, for the whole batch (b = trial, i, j = units, o = outputs),
 * each line's kernel named after it:
 *
 *   forward, t = 0 .. T−1
 *     stateStep     r_t[b][i] = f(Σ_j h_{t−1}[b][j] W_rec[i][j] + Σ_k x_t[b][k] W_in[i][k] + b[i] + ξ_t[b][i])
 *     leakStep      h_t = (1 − α) h_{t−1} + α r_t                    (α = 1: h_t is r_t, no kernel)
 *     outputGrad    dy_t[b][o] = 2 w_t[b] (Σ_i h_t[b][i] W_out[o][i] + b_out[o] − ŷ_t[b][o])     w = mask / D
 *     lossAccum     ℓ[b] += Σ_o dy_t[b][o]² / (4 w_t[b])            (= w (y − ŷ)²; zero where w = 0)
 *   backward, t = T−1 .. 0   (g_T = δ_T = 0)
 *     stateGrad     g_t[b][i] = Σ_o dy_t[b][o] W_out[o][i] + (1 − α) g_{t+1}[b][i] + Σ_j δ_{t+1}[b][j] W_rec[j][i]
 *     preactGrad    δ_t = α f′(r_t) ⊙ g_t      f′ from r: tanh 1 − r², relu [r > 0], softplus 1 − e^(−r)
 *     preactGradDirect                         (α = 1: both lines in one kernel, g_t is not kept)
 *     recGradAccum  G_rec[i][c] += Σ_b δ_t[b][i] · [h_{t−1}[b][c] | x_t[b][c−N] | 1]   → dW_rec | dW_in | db
 *     outGradAccum  G_out[o][c] += Σ_b dy_t[b][o] · [h_t[b][c] | 1]                      → dW_out | db_out
 *   initGrad        dh0[i] = Σ_b ((1 − α) g_0[b][i] + Σ_j δ_0[b][j] W_rec[j][i])
 *
 * Every kernel is one gpu.js thread per output element, as in kernels/gpujs.ts; the weight gradients accumulate step
 * by step (the same FLOPs as one product over all T·B rows, but no kernel may take T handles). Outputs are 1-D
 * (a [B][N] matrix is B·N threads, row = ⌊x / N⌋): gpu.js hands 2-D results on as arrays of rows on its generic
 * executor, which flat indexing cannot read. A plan unrolls T, so it is recorded once per kind and (batch, steps)
 * shape (a training run has two: full batches and the epoch's last one); the thread keeps the 8 latest.
 */
import type { GPU, IKernelFunctionThis } from 'gpu.js';
import type { MinibatchGradient } from '../step/backend';
import { checkedDenominator, maskCount } from '../step/loss';
import { maskRecGradient, type RnnModel } from '../core/model';
import { type RnnConfig } from '../core/config';
import { prepareForward } from '../step/rnn';
import { createWorkspace, loadTrials, type RnnWorkspace } from '../step/workspace';
import { RnnlabError } from '../core/tensor';
import type { FusedShape, GpuJsThread, PlanAnswer, PlanLayout } from './gpujs-bridge';

export type { FusedShape };

export const ACTIVATION_CODES = { tanh: 0, relu: 1, softplus: 2 } as const;

/** Host-side inputs of one step, flat float32, time-major as in the engine's workspace. */
export interface FusedInputs {
  x: Float32Array; // [T][B][I]
  target: Float32Array; // [T][B][O]
  weight: Float32Array; // [T][B]  mask / D
  h0: Float32Array; // [B][N]  the initial state, one copy per trial
  W_recT: Float32Array; // [N][N]  W_rec transposed, for the forward product
  W_rec: Float32Array;
  W_in: Float32Array;
  b: Float32Array;
  W_out: Float32Array;
  b_out: Float32Array;
  noise: Float32Array; // [T][B][N], or one element when shape.noise = 0
}
/** What comes back: per-trial loss, and the accumulators G_rec [N][N+I+1], G_out [O][N+1], dh0 [N]. */
export interface FusedOutputs {
  lossPerTrial: Float32Array;
  gRec: Float32Array;
  gOut: Float32Array;
  dh0: Float32Array;
}

type K = IKernelFunctionThis<{ B: number; N: number; I: number; O: number; alpha: number; act: number; noise: number }>;

function stateStep(
  this: K,
  hPrev: number[],
  WT: number[],
  x: number[],
  Win: number[],
  bias: number[],
  noise: number[],
  t: number,
): number {
  const N = this.constants.N,
    I = this.constants.I;
  const b = Math.floor(this.thread.x / N),
    i = this.thread.x - b * N,
    row = t * this.constants.B + b;
  let z = bias[i];
  for (let k = 0; k < I; k++) z += x[row * I + k] * Win[i * I + k];
  // W_recᵀ[j][i]: neighbouring threads (i, i+1) read neighbouring words (coalesced on a GPU, one vector on webasm).
  for (let j = 0; j < N; j++) z += hPrev[b * N + j] * WT[j * N + i];
  if (this.constants.noise > 0) z += noise[row * N + i];
  if (this.constants.act === 1) return Math.max(z, 0);
  if (this.constants.act === 2) return Math.max(z, 0) + Math.log(1 + Math.exp(-Math.abs(z)));
  return Math.tanh(z);
}

function leakStep(this: K, hPrev: number[], r: number[]): number {
  const at = this.thread.x;
  return (1 - this.constants.alpha) * hPrev[at] + this.constants.alpha * r[at];
}

function outputGrad(
  this: K,
  h: number[],
  Wout: number[],
  bout: number[],
  target: number[],
  weight: number[],
  t: number,
): number {
  const N = this.constants.N,
    O = this.constants.O;
  const b = Math.floor(this.thread.x / O),
    o = this.thread.x - b * O,
    row = t * this.constants.B + b;
  let y = bout[o];
  for (let i = 0; i < N; i++) y += h[b * N + i] * Wout[o * N + i];
  return 2 * weight[row] * (y - target[row * O + o]);
}

function readout(this: K, h: number[], Wout: number[], bout: number[]): number {
  const N = this.constants.N,
    O = this.constants.O;
  const b = Math.floor(this.thread.x / O),
    o = this.thread.x - b * O;
  let y = bout[o];
  for (let i = 0; i < N; i++) y += h[b * N + i] * Wout[o * N + i];
  return y;
}

function lossAccum(this: K, acc: number[], dy: number[], weight: number[], t: number): number {
  const b = this.thread.x,
    O = this.constants.O;
  const w = weight[t * this.constants.B + b];
  let s = 0;
  if (w > 0) {
    for (let o = 0; o < O; o++) s += dy[b * O + o] * dy[b * O + o];
    s = s / (4 * w);
  }
  return acc[b] + s;
}

function stateGrad(this: K, dy: number[], Wout: number[], gNext: number[], dNext: number[], W: number[]): number {
  const N = this.constants.N,
    O = this.constants.O;
  const b = Math.floor(this.thread.x / N),
    i = this.thread.x - b * N;
  let g = (1 - this.constants.alpha) * gNext[b * N + i];
  for (let o = 0; o < O; o++) g += dy[b * O + o] * Wout[o * N + i];
  for (let j = 0; j < N; j++) g += dNext[b * N + j] * W[j * N + i];
  return g;
}

function preactGrad(this: K, g: number[], r: number[]): number {
  const at = this.thread.x;
  const ri = r[at];
  let slope = 1 - ri * ri;
  if (this.constants.act === 1) slope = ri > 0 ? 1 : 0;
  if (this.constants.act === 2) slope = 1 - Math.exp(-ri);
  return this.constants.alpha * slope * g[at];
}

/** α = 1 only: δ_t straight from its sources (g_t is then needed by nothing else): stateGrad and preactGrad in one.
 */
function preactGradDirect(this: K, dy: number[], Wout: number[], dNext: number[], W: number[], r: number[]): number {
  const N = this.constants.N,
    O = this.constants.O;
  const b = Math.floor(this.thread.x / N),
    i = this.thread.x - b * N;
  let g = 0;
  for (let o = 0; o < O; o++) g += dy[b * O + o] * Wout[o * N + i];
  for (let j = 0; j < N; j++) g += dNext[b * N + j] * W[j * N + i];
  const ri = r[this.thread.x];
  let slope = 1 - ri * ri;
  if (this.constants.act === 1) slope = ri > 0 ? 1 : 0;
  if (this.constants.act === 2) slope = 1 - Math.exp(-ri);
  return slope * g;
}

function recGradAccum(this: K, acc: number[], delta: number[], hPrev: number[], x: number[], t: number): number {
  const N = this.constants.N,
    I = this.constants.I,
    B = this.constants.B;
  const i = Math.floor(this.thread.x / (N + I + 1)),
    c = this.thread.x - i * (N + I + 1);
  let s = 0;
  if (c < N) {
    for (let b = 0; b < B; b++) s += delta[b * N + i] * hPrev[b * N + c];
  } else if (c < N + I) {
    for (let b = 0; b < B; b++) s += delta[b * N + i] * x[(t * B + b) * I + (c - N)];
  } else {
    for (let b = 0; b < B; b++) s += delta[b * N + i];
  }
  return acc[this.thread.x] + s;
}

function outGradAccum(this: K, acc: number[], dy: number[], h: number[]): number {
  const N = this.constants.N,
    O = this.constants.O,
    B = this.constants.B;
  const o = Math.floor(this.thread.x / (N + 1)),
    c = this.thread.x - o * (N + 1);
  let s = 0;
  if (c < N) {
    for (let b = 0; b < B; b++) s += dy[b * O + o] * h[b * N + c];
  } else {
    for (let b = 0; b < B; b++) s += dy[b * O + o];
  }
  return acc[this.thread.x] + s;
}

function initGrad(this: K, g0: number[], d0: number[], W: number[]): number {
  const i = this.thread.x;
  const N = this.constants.N,
    B = this.constants.B;
  let s = 0;
  for (let b = 0; b < B; b++) {
    let g = (1 - this.constants.alpha) * g0[b * N + i];
    for (let j = 0; j < N; j++) g += d0[b * N + j] * W[j * N + i];
    s += g;
  }
  return s;
}

export interface FusedPlan<In, Out> {
  run(inputs: In): Promise<Out>;
  /**
   * gpu.js' executor for this plan after its first run ('fused-encoder', 'fused-threaded', 'fused-sync', 'generic').
   */
  readonly executorKind: string | undefined;
  /** The mode whose kernels actually executed it (gpu.js degrades silently; this says so). */
  readonly backend: string | undefined;
  readonly fallbackReason: string | null | undefined;
  destroy(): void;
}
export type GradientPlan = FusedPlan<FusedInputs, FusedOutputs>;

/** Inputs of a forward-only plan: those of the gradient plan without targets and loss weights. */
export type ForwardInputs = Omit<FusedInputs, 'target' | 'weight' | 'W_rec'>;
/** h_1..h_T and y_0..y_{T−1} ([B][N] and [B][O] each), and r_0..r_{T−1} when α ≠ 1 (else r_t is h_{t+1}). */
export interface ForwardOutputs {
  h: Float32Array[];
  y: Float32Array[];
  r: Float32Array[] | null;
}
export type ForwardPlan = FusedPlan<ForwardInputs, ForwardOutputs>;

interface Pipeline {
  (...args: unknown[]): Promise<unknown>;
  executorKind?: string;
  backend?: string;
  fallbackReason?: string | null;
  destroy(): void;
}

/** The step's kernels for one shape, all with the shape's constants. */
function createKernels(gpu: GPU, shape: FusedShape) {
  const { B, N, I, O } = shape;
  const constants = { B, N, I, O, alpha: shape.alpha, act: shape.act, noise: shape.noise };
  const kernel = (fn: unknown, output: number[]) =>
    gpu.createKernel(
      fn as never,
      { output, constants, precision: 'single', loopMaxIterations: 1 << 24, tactic: 'precision' } as never,
    ) as unknown as (...a: unknown[]) => unknown;
  return {
    state: kernel(stateStep, [B * N]),
    leak: kernel(leakStep, [B * N]),
    y: kernel(readout, [B * O]),
    dy: kernel(outputGrad, [B * O]),
    loss: kernel(lossAccum, [B]),
    g: kernel(stateGrad, [B * N]),
    delta: kernel(preactGrad, [B * N]),
    deltaDirect: kernel(preactGradDirect, [B * N]),
    rec: kernel(recGradAccum, [N * (N + I + 1)]),
    out: kernel(outGradAccum, [O * (N + 1)]),
    h0: kernel(initGrad, [N]),
  };
}

function planOf<In, Out>(pipeline: Pipeline, run: (p: Pipeline, inputs: In) => Promise<Out>): FusedPlan<In, Out> {
  return {
    run: (inputs) => run(pipeline, inputs),
    get executorKind() {
      return pipeline.executorKind;
    },
    get backend() {
      return pipeline.backend;
    },
    get fallbackReason() {
      return pipeline.fallbackReason;
    },
    destroy: () => pipeline.destroy(),
  };
}

/** Record the training step for one shape on `gpu` (webgpu, webasm, or cpu for debugging). Nothing runs until `run`. */
export function createGradientPlan(gpu: GPU, shape: FusedShape): GradientPlan {
  const { B, T, N, I, O } = shape;
  const k = createKernels(gpu, shape);
  const leaky = shape.alpha !== 1;
  const zeros = {
    BN: new Float32Array(B * N),
    rec: new Float32Array(N * (N + I + 1)),
    out: new Float32Array(O * (N + 1)),
    B: new Float32Array(B),
  };

  // The orchestration runs once, at the first call, on opaque handles: the loops unroll into the plan.
  const pipeline = gpu.createPipeline(
    function (
      this: { constants: { T: number } },
      x: unknown,
      target: unknown,
      weight: unknown,
      h0: unknown,
      WT: unknown,
      W: unknown,
      Win: unknown,
      bias: unknown,
      Wout: unknown,
      bout: unknown,
      noise: unknown,
      zBN: unknown,
      zRec: unknown,
      zOut: unknown,
      zB: unknown,
    ) {
      const steps = this.constants.T;
      const h: unknown[] = [h0],
        r: unknown[] = [],
        dy: unknown[] = [];
      let loss = zB;
      for (let t = 0; t < steps; t++) {
        r.push(k.state(h[t], WT, x, Win, bias, noise, t));
        h.push(leaky ? k.leak(h[t], r[t]) : r[t]);
        dy.push(k.dy(h[t + 1], Wout, bout, target, weight, t));
        loss = k.loss(loss, dy[t], weight, t);
      }
      let gNext = zBN,
        dNext = zBN,
        gRec = zRec,
        gOut = zOut;
      for (let t = steps - 1; t >= 0; t--) {
        // α = 1 (the paper's model): (1 − α) g_{t+1} vanishes, so δ_t comes from one kernel and g_t is never
        // stored.
        const g = leaky ? k.g(dy[t], Wout, gNext, dNext, W) : zBN;
        const d = leaky ? k.delta(g, r[t]) : k.deltaDirect(dy[t], Wout, dNext, W, r[t]);
        gRec = k.rec(gRec, d, h[t], x, t);
        gOut = k.out(gOut, dy[t], h[t + 1]);
        gNext = g;
        dNext = d;
      }
      return [loss, gRec, gOut, k.h0(gNext, dNext, W)];
    } as never,
    { constants: { T } } as never,
  ) as unknown as Pipeline;

  return planOf(pipeline, async (pl, p: FusedInputs) => {
    const [lossPerTrial, gRec, gOut, dh0] = (await pl(
      p.x,
      p.target,
      p.weight,
      p.h0,
      p.W_recT,
      p.W_rec,
      p.W_in,
      p.b,
      p.W_out,
      p.b_out,
      p.noise,
      zeros.BN,
      zeros.rec,
      zeros.out,
      zeros.B,
    )) as Float32Array[];
    return { lossPerTrial, gRec, gOut, dh0 };
  });
}

/** Record the forward pass alone (simulate, eval, the per-product Trainer's forward): the first half of the step. */
export function createForwardPlan(gpu: GPU, shape: FusedShape): ForwardPlan {
  const { T } = shape;
  const k = createKernels(gpu, shape);
  const leaky = shape.alpha !== 1;
  const pipeline = gpu.createPipeline(
    function (
      this: { constants: { T: number } },
      x: unknown,
      h0: unknown,
      WT: unknown,
      Win: unknown,
      bias: unknown,
      Wout: unknown,
      bout: unknown,
      noise: unknown,
    ) {
      const steps = this.constants.T;
      const h: unknown[] = [h0],
        r: unknown[] = [],
        y: unknown[] = [];
      for (let t = 0; t < steps; t++) {
        r.push(k.state(h[t], WT, x, Win, bias, noise, t));
        h.push(leaky ? k.leak(h[t], r[t]) : r[t]);
        y.push(k.y(h[t + 1], Wout, bout));
      }
      return [...h.slice(1), ...y, ...(leaky ? r : [])];
    } as never,
    { constants: { T } } as never,
  ) as unknown as Pipeline;

  return planOf(pipeline, async (pl, p: ForwardInputs) => {
    const all = (await pl(p.x, p.h0, p.W_recT, p.W_in, p.b, p.W_out, p.b_out, p.noise)) as Float32Array[];
    return { h: all.slice(0, T), y: all.slice(T, 2 * T), r: leaky ? all.slice(2 * T, 3 * T) : null };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The caller's side: the engine's MinibatchGradient and forward pass over a gpu.js thread (kernels/gpujs-bridge.ts)

/** The shape a loaded workspace stands for. */
function shapeOf(config: RnnConfig, ws: RnnWorkspace): FusedShape {
  return {
    B: ws.B,
    T: ws.T,
    N: config.nRec,
    I: config.nIn,
    O: config.nOut,
    alpha: config.alpha,
    act: ACTIVATION_CODES[config.activation],
    noise: ws.noise_TxBxN ? 1 : 0,
  };
}

/**
 * Lay out the plan's inputs (the loaded batch, h0 once per trial and W_recᵀ as prepareForward staged them, the
 * weights, ξ) and then `more` arrays one after another in the thread's shared data buffer, and copy the inputs in.
 */
function packInputs(
  thread: GpuJsThread,
  model: RnnModel,
  ws: RnnWorkspace,
  more: Record<string, number>,
): { data: Float32Array; layout: PlanLayout } {
  const { B, T } = ws,
    { nIn: I, nRec: N, nOut: O } = model.config;
  const sizes: Record<string, number> = {
    x: T * B * I,
    h0: B * N,
    W_recT: N * N,
    W_rec: N * N,
    W_in: N * I,
    b: N,
    W_out: O * N,
    b_out: O,
    noise: ws.noise_TxBxN ? T * B * N : 1,
    ...more,
  };
  const layout: PlanLayout = {};
  let end = 0;
  for (const [name, n] of Object.entries(sizes)) {
    layout[name] = [end, n];
    end += n;
  }
  const data = thread.data(end);
  const p = model.params;
  data.set(ws.x_TxBxI.subarray(0, sizes.x), layout.x[0]);
  data.set(ws.h_T1xBxN.subarray(0, B * N), layout.h0[0]);
  data.set(ws.wRecT_NxN, layout.W_recT[0]);
  for (const name of ['W_rec', 'W_in', 'b', 'W_out', 'b_out'] as const) data.set(p[name], layout[name][0]);
  if (ws.noise_TxBxN) data.set(ws.noise_TxBxN.subarray(0, sizes.noise), layout.noise[0]);
  else data[layout.noise[0]] = 0;
  return { data, layout };
}

/** gpu.js may degrade a plan silently to another backend: refuse to go on with numbers from the wrong one. */
function checkRan(thread: GpuJsThread, ran: PlanAnswer, what: string): string {
  if (ran.backend !== thread.mode) {
    throw new RnnlabError(
      `gpu.js ran the ${what} pipeline on "${ran.backend}" instead of "${thread.mode}" (executor ` +
        `${ran.executorKind}${ran.fallbackReason ? `: ${ran.fallbackReason}` : ''}); refusing to go on with the ` +
        `wrong backend`,
    );
  }
  return ran.executorKind;
}

/**
 * What of a configuration the recorded pipelines do not compute (they implement the paper's rate network with a
 * linear readout and MSE), or null. Dale's law and masks are supported: the pipeline is handed the effective
 * weights, and the engine maps the gradients back (core/constraints.ts).
 */
export function pipelineUnsupported(c: RnnConfig): string | null {
  if (c.formulation !== 'rate') return `the ${c.formulation} formulation`;
  if (c.perUnitAlpha) return 'per-unit time constants (perUnitAlpha)';
  if (c.readout !== 'linear') return `the ${c.readout} readout and its cross-entropy loss`;
  if (c.regularizers.l2Rate !== 0) return 'the rate regulariser (l2Rate)';
  if (c.outputWeights) return 'per-output loss weights (outputWeights)';
  return null;
}

/**
 * Whole-minibatch loss and gradient through a recorded pipeline in `thread`. The trials are loaded time-major into a
 * host workspace (the engine's loadTrials), the loss weights w = mask / D computed here (D over the whole batch, as
 * maskedMseForward does), recurrent noise drawn here from the caller's seeded Rng in rnnForward's order; one call
 * runs the plan. `executor` names gpu.js' executor ('fused-encoder', 'fused-threaded', 'fused-sync').
 */
export function createFusedGradient(
  thread: GpuJsThread,
  config: RnnConfig,
  maxBatch: number,
  maxSteps: number,
): MinibatchGradient {
  if (config.dtype !== 'float32') throw new RnnlabError('the gpu.js pipeline computes in float32; use dtype float32');
  const unsupported = pipelineUnsupported(config);
  if (unsupported)
    throw new RnnlabError(`the gpu.js pipeline does not support ${unsupported}; use --backend wasm-simd or js`);
  const { nIn: I, nRec: N, nOut: O } = config;
  const ws = createWorkspace(config, maxBatch, maxSteps);
  let executor = 'not run yet';
  return {
    threads: 1,
    get executor() {
      return executor;
    },
    lossAndGradient(model, trials, order, start, count, norm, grads, rng) {
      loadTrials(ws, trials, order, start, count);
      const { B, T } = ws;
      const D = checkedDenominator(O * maskCount(ws, norm));
      prepareForward(model, ws, rng); // noise, h0 per trial, W_recᵀ: what rnnForward would have staged
      const { data, layout } = packInputs(thread, model, ws, {
        target: T * B * O,
        weight: T * B,
        loss: B,
        gRec: N * (N + I + 1),
        gOut: O * (N + 1),
        dh0: N,
      });
      data.set(ws.target_TxBxO.subarray(0, T * B * O), layout.target[0]);
      for (let i = 0, w = layout.weight[0]; i < T * B; i++) data[w + i] = ws.mask_TxB[i] / D;

      executor = checkRan(
        thread,
        thread.call({ op: 'gradient', shape: shapeOf(config, ws), layout }) as PlanAnswer,
        'training',
      );

      let loss = 0;
      for (let b = 0; b < B; b++) loss += data[layout.loss[0] + b];
      const rec = layout.gRec[0],
        out = layout.gOut[0],
        W = N + I + 1;
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) grads.W_rec[i * N + j] = data[rec + i * W + j];
        for (let k = 0; k < I; k++) grads.W_in[i * I + k] = data[rec + i * W + N + k];
        grads.b[i] = data[rec + i * W + N + I];
        grads.h0[i] = data[layout.dh0[0] + i];
      }
      for (let o = 0; o < O; o++) {
        for (let j = 0; j < N; j++) grads.W_out[o * N + j] = data[out + o * (N + 1) + j];
        grads.b_out[o] = data[out + o * (N + 1) + N];
      }
      maskRecGradient(model, grads);
      return loss;
    },
    destroy() {
      /* the thread belongs to the backend, which destroys it */
    },
  };
}

/**
 * The forward pass over the loaded batch as one recorded pipeline (Backend.forwardPass): fills ws.h[1..T], ws.r
 * (when it is not h itself) and ws.y, as engine/step/rnn.ts' loop does, after rnnForward's prepareForward.
 * Returns gpu.js' executor.
 */
export function fusedForward(thread: GpuJsThread, model: RnnModel, ws: RnnWorkspace): string {
  const { B, T } = ws,
    BN = B * model.config.nRec,
    O = model.config.nOut;
  const { data, layout } = packInputs(thread, model, ws, { h: T * BN, y: T * B * O, r: ws.rAliasesH ? 0 : T * BN });
  const executor = checkRan(
    thread,
    thread.call({ op: 'forward', shape: shapeOf(model.config, ws), layout }) as PlanAnswer,
    'forward',
  );
  ws.h_T1xBxN.set(data.subarray(layout.h[0], layout.h[0] + T * BN), BN);
  ws.y_TxBxO.set(data.subarray(layout.y[0], layout.y[0] + T * B * O));
  if (!ws.rAliasesH) ws.r_TxBxN.set(data.subarray(layout.r[0], layout.r[0] + T * BN));
  return executor;
}
