/**
 * PsychRNN models in and out (murraylab/PsychRNN psychrnn/backend/rnn.py RNN.save / get_weights, initializations.py;
 * docs/model-conventions.md section 6), from and to bytes: browser-safe.
 *
 * A PsychRNN file is np.savez of get_weights(): a zip (fflate reads and writes it) of .npy arrays (npy.ts), float32:
 *   W_in [N][I], W_rec [N][N], W_out [O][N]   the EFFECTIVE weights (get_effective_W_*: masks and Dale applied)
 *   b_rec [N], b_out [O], init_state [1][N]
 *   Dale_rec, Dale_out [N][N] diagonal; input_connectivity, rec_connectivity, output_connectivity (0/1)
 *   dale_ratio (a 0-d float, or a pickled None), transfer_function (pickled), optimiser slots ("W_rec/Adam", …)
 * PsychRNN's Basic model is rnnlab's current formulation with a linear readout; α = dt/τ and the recurrent noise are
 * not in the file, and the transfer function is a pickle (never unpickled here): the importer is told them.
 *
 * Import: the E/I split is read from Dale_rec (units with +1 first, as PsychRNN builds it), the masks from the
 * connectivity arrays, and the raw weights are the effective ones with Dale's signs removed (|W*|), which the
 * effective-weight map (core/constraints.ts) turns back into W* exactly.
 */
import { unzipSync, zipSync } from 'fflate';
import { createModel, effectiveWeights, type RnnModel, setConnectivity, setRecMask } from '../core/model';
import { ACTIVATIONS, type Activation } from '../core/config';
import { excitatoryCount } from '../core/constraints';
import { RnnlabError } from '../core/tensor';
import { readNpy, writeNpy, type NpyArray } from './npy';

export interface PsychRnnImportOptions {
  /** α = dt/τ of the model (PsychRNN keeps it in its params, not in the file). */
  alpha: number;
  /** The transfer function (pickled in the file, so it cannot be read); PsychRNN's default is relu. */
  activation: Activation;
  /** PsychRNN's rec_noise (not in the file); 0 by default. */
  noiseStd: number;
}

export const PSYCHRNN_IMPORT_DEFAULTS: Readonly<Omit<PsychRnnImportOptions, 'alpha'>> = Object.freeze({
  activation: 'relu',
  noiseStd: 0,
});

export interface PsychRnnImport {
  model: RnnModel;
  /** The arrays read, and those ignored (optimiser slots, pickled entries, anything else), by name. */
  used: string[];
  ignored: string[];
}

const REQUIRED = ['W_in', 'W_rec', 'W_out', 'b_rec', 'b_out', 'init_state'] as const;

/** Every .npy array of an .npz file (np.savez), by name; pickled (object) arrays come back with data null. */
function readNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new RnnlabError(`${source} is not an .npz file (a zip of .npy arrays, np.savez): ${(e as Error).message}`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, data] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    arrays.set(name.slice(0, -4), readNpy(data, `${source}: ${name}`));
  }
  return arrays;
}

/** Read a PsychRNN Basic model file into an rnnlab model (float64, current formulation). */
export function importPsychRnn(
  bytes: Uint8Array,
  options: Partial<PsychRnnImportOptions> & { alpha: number },
  source = 'PsychRNN file',
): PsychRnnImport {
  const o = { ...PSYCHRNN_IMPORT_DEFAULTS, ...options };
  if (!ACTIVATIONS.includes(o.activation))
    throw new RnnlabError(`transfer function "${o.activation}" is not one rnnlab has (${ACTIVATIONS.join(', ')})`);
  const arrays = readNpz(bytes, source);
  const get = (name: string, shape: number[] | ((s: number[]) => boolean), what: string) => {
    const a = arrays.get(name);
    if (!a) throw new RnnlabError(`${source}: ${name} is missing (${what})`);
    if (!a.data) throw new RnnlabError(`${source}: ${name} is a pickled object, not an array`);
    const ok = typeof shape === 'function' ? shape(a.shape) : a.shape.join('x') === shape.join('x');
    if (!ok) throw new RnnlabError(`${source}: ${name} has shape [${a.shape.join(', ')}], expected ${describe(shape)}`);
    return a.data;
  };
  const missing = REQUIRED.filter((k) => !arrays.has(k));
  if (missing.length)
    throw new RnnlabError(
      `${source}: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (a PsychRNN Basic model file ` +
        `holds ${REQUIRED.join(', ')})`,
    );
  const rec = arrays.get('W_rec')!;
  if (rec.shape.length !== 2 || rec.shape[0] !== rec.shape[1] || rec.shape[0] < 1)
    throw new RnnlabError(`${source}: W_rec has shape [${rec.shape.join(', ')}], expected a square [N, N]`);
  const N = rec.shape[0];
  const I = arrays.get('W_in')!.shape[1] ?? 0,
    O = arrays.get('W_out')!.shape[0] ?? 0;
  const W = {
    in: get('W_in', [N, I], 'input weights'),
    rec: get('W_rec', [N, N], 'recurrent weights'),
    out: get('W_out', [O, N], 'output weights'),
  };
  const bRec = get('b_rec', [N], 'recurrent bias');
  const bOut = get('b_out', [O], 'output bias');
  const h0 = get('init_state', (s) => s.reduce((a, b) => a * b, 1) === N && s.length <= 2, 'initial state');
  const nE = daleSplit(arrays, N, source);
  const model = createModel({
    nIn: I,
    nRec: N,
    nOut: O,
    alpha: o.alpha,
    activation: o.activation,
    recurrentBias: true,
    trainH0: true,
    noiseStd: o.noiseStd,
    dtype: 'float64',
    formulation: 'current',
    daleRatio: nE === null ? null : ratioFor(nE, N),
  });
  setRawWeights(model, W, nE, source);
  const mask = (name: string, shape: number[]) => (arrays.has(name) ? get(name, shape, 'connectivity') : null);
  const masks = {
    in: mask('input_connectivity', [N, I]),
    rec: mask('rec_connectivity', [N, N]),
    out: mask('output_connectivity', [O, N]),
  };
  for (const [k, m] of Object.entries(masks)) {
    const w = model.params[k === 'in' ? 'W_in' : k === 'rec' ? 'W_rec' : 'W_out'];
    const bad = m ? w.findIndex((v, i) => m[i] === 0 && v !== 0) : -1;
    if (bad >= 0)
      throw new RnnlabError(`${source}: W_${k}[${bad}] = ${w[bad]} although its connectivity array removes it`);
  }
  if (masks.rec && !masks.rec.every((v) => v === 1)) setRecMask(model, masks.rec);
  setConnectivity(model, {
    in: masks.in && !masks.in.every((v) => v === 1) ? masks.in : null,
    out: masks.out && !masks.out.every((v) => v === 1) ? masks.out : null,
  });
  model.params.b.set(bRec);
  model.params.b_out.set(bOut);
  model.params.h0.set(h0);
  const used = [
    ...REQUIRED,
    'Dale_rec',
    'Dale_out',
    'dale_ratio',
    ...Object.keys(masks).map((k) => `${k === 'in' ? 'input' : k === 'rec' ? 'rec' : 'output'}_connectivity`),
  ].filter((k) => arrays.has(k));
  return { model, used, ignored: [...arrays.keys()].filter((k) => !used.includes(k)) };
}

const describe = (shape: number[] | ((s: number[]) => boolean)) =>
  typeof shape === 'function' ? 'N entries ([1, N] or [N])' : `[${shape.join(', ')}]`;

/** A daleRatio whose ⌊ratio·N⌋ is n_E (nE/N itself unless rounding puts it one below). */
function ratioFor(nE: number, N: number): number {
  return Math.floor((nE / N) * N) === nE ? nE / N : (nE + 0.5) / N;
}

/**
 * The number of excitatory units when the file's model applied Dale's law (dale_ratio a number, not a pickled
 * None), read from Dale_rec: a diagonal of +1 (E) then −1 (I); null without Dale's law.
 */
function daleSplit(arrays: Map<string, NpyArray>, N: number, source: string): number | null {
  const ratio = arrays.get('dale_ratio');
  if (!ratio || !ratio.data || ratio.data.length !== 1 || !ratio.data[0]) return null; // None (pickled) or absent
  const dale = arrays.get('Dale_rec');
  if (!dale || !dale.data) return excitatoryCount({ daleRatio: ratio.data[0], nRec: N });
  if (dale.shape.join('x') !== `${N}x${N}`)
    throw new RnnlabError(`${source}: Dale_rec has shape [${dale.shape}], expected [${N}, ${N}]`);
  const d = dale.data;
  let nE = 0;
  while (nE < N && d[nE * N + nE] === 1) nE++;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const want = i !== j ? 0 : i < nE ? 1 : -1;
      if (d[i * N + j] !== want)
        throw new RnnlabError(
          `${source}: Dale_rec is not PsychRNN's diag(+1 … +1, −1 … −1) (entry [${i}][${j}] is ${d[i * N + j]}); ` +
            'rnnlab needs the excitatory units first',
        );
    }
  if (nE === 0 || nE === N)
    throw new RnnlabError(`${source}: Dale_rec makes every unit ${nE ? 'excitatory' : 'inhibitory'}`);
  return nE;
}

/** The raw weights from the effective ones: |W*| under Dale's law (after checking W*'s signs), W* otherwise. */
function setRawWeights(
  model: RnnModel,
  W: { in: Float64Array; rec: Float64Array; out: Float64Array },
  nE: number | null,
  source: string,
): void {
  const N = model.config.nRec,
    p = model.params;
  if (nE === null) {
    p.W_in.set(W.in);
    p.W_rec.set(W.rec);
    p.W_out.set(W.out);
    return;
  }
  const neg = W.in.findIndex((w) => w < 0);
  if (neg >= 0)
    throw new RnnlabError(`${source}: W_in[${neg}] = ${W.in[neg]} < 0, but under Dale's law inputs are excitatory`);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      const w = W.rec[i * N + j];
      if (j < nE ? w < 0 : w > 0)
        throw new RnnlabError(
          `${source}: W_rec[${i}][${j}] = ${w} has the wrong sign for its ` +
            `${j < nE ? 'excitatory' : 'inhibitory'} presynaptic unit`,
        );
    }
  for (let o = 0; o < model.config.nOut; o++)
    for (let j = nE; j < N; j++)
      if (W.out[o * N + j] !== 0)
        throw new RnnlabError(`${source}: W_out[${o}][${j}] reads an inhibitory unit, which Dale_out excludes`);
  p.W_in.set(W.in);
  p.W_rec.set(W.rec.map(Math.abs));
  p.W_out.set(W.out.map(Math.abs));
}

/**
 * A PsychRNN file (np.savez layout, PsychRNN's keys, shapes and dtypes) for a model PsychRNN's Basic can run: the
 * current formulation, one α for all units, a linear readout. Writes the effective weights, as RNN.save does.
 * dtype float32 is PsychRNN's; float64 keeps every bit of a float64 model.
 */
export function exportPsychRnn(model: RnnModel, dtype: 'float32' | 'float64' = 'float32'): Uint8Array {
  const c = model.config;
  if (c.formulation !== 'current')
    throw new RnnlabError(
      "PsychRNN's Basic model is the current formulation; this model is a rate network (formulation 'rate')",
    );
  if (c.perUnitAlpha) throw new RnnlabError('PsychRNN has one alpha for all units; this model has one per unit');
  if (c.readout !== 'linear') throw new RnnlabError(`PsychRNN's Basic readout is linear; this model's is ${c.readout}`);
  const { nIn: I, nRec: N, nOut: O } = c;
  const eff = effectiveWeights(model);
  const nE = excitatoryCount(c);
  const diag = (v: (j: number) => number) =>
    Float64Array.from({ length: N * N }, (_, k) => (k % (N + 1) === 0 ? v(k / (N + 1)) : 0));
  const ones = (m: Uint8Array | null | undefined, n: number) =>
    m ? Float64Array.from(m) : new Float64Array(n).fill(1);
  const arrays: Array<[string, ArrayLike<number>, number[]]> = [
    ['init_state', model.params.h0, [1, N]],
    ['W_in', eff.W_in, [N, I]],
    ['W_rec', eff.W_rec, [N, N]],
    ['W_out', eff.W_out, [O, N]],
    ['b_rec', model.params.b, [N]],
    ['b_out', model.params.b_out, [O]],
    ['Dale_rec', diag((j) => (c.daleRatio === null || j < nE ? 1 : -1)), [N, N]],
    ['Dale_out', diag((j) => (c.daleRatio === null || j < nE ? 1 : 0)), [N, N]],
    ['input_connectivity', ones(model.inMask, N * I), [N, I]],
    ['rec_connectivity', ones(model.recMask, N * N), [N, N]],
    ['output_connectivity', ones(model.outMask, O * N), [O, N]],
  ];
  const files: Record<string, Uint8Array> = {};
  for (const [name, data, shape] of arrays) files[`${name}.npy`] = writeNpy(data, shape, dtype);
  // dale_ratio: a 0-d float64 as np.savez stores a Python float; without Dale's law PsychRNN stores a pickled None,
  // which rnnlab does not write (PsychRNN then warns that Dale's law is off, which it is).
  if (c.daleRatio !== null) files['dale_ratio.npy'] = writeNpy([c.daleRatio], [], 'float64');
  return zipSync(files, { level: 0 });
}
