/**
 * Import of Keras 2.0.6 HDF5 models (Sequential SimpleRNN + Dense, the format of the paper's trained networks) into
 * an rnnlab model, with jsfive (a pure-JS HDF5 reader: synchronous, works on an ArrayBuffer, no native build).
 *
 * Keras stores row-vector weights: kernel [I][N], recurrent_kernel [N][N] (row = source), dense kernel [N][O].
 * rnnlab is column-vector (row = destination), so every matrix is transposed on the way in. Weights are resolved
 * through the `layer_names` and `weight_names` attributes (NUL-padded fixed-length strings), never through the
 * groups' alphabetical order or hard-coded layer numbers; units, bias use, activation and input count come from
 * `model_config`. Anything else (LSTM, several recurrent layers, a non-linear readout, float64 weights written by
 * another version) is refused with a message that says what was found.
 */
import * as hdf5 from 'jsfive';
import { assertFinite, RnnlabError, type DType } from '../core/tensor';
import { createModel, type RnnModel } from '../core/model';
import { assertModelFits } from '../core/memory';

export interface KerasImport {
  model: RnnModel;
  meta: {
    source: string;
    kerasVersion: string;
    backend: string;
    layerNames: string[];
    weightPaths: string[];
    trainingConfig: unknown;
  };
}

const strip = (s: unknown): string => String(s).replace(/\0+$/, '');

function attr(node: { attrs: Record<string, unknown> }, name: string, where: string): unknown {
  if (!(name in node.attrs)) throw new RnnlabError(`Keras file: attribute "${name}" is missing on ${where}`);
  return node.attrs[name];
}

function dataset(f: hdf5.File, path: string): hdf5.Dataset {
  let node: unknown;
  try {
    node = f.get(path);
  } catch (e) {
    throw new RnnlabError(`Keras file: weight "${path}" is missing or unreadable (the reader: ${describeError(e)})`);
  }
  if (!node || !('shape' in (node as object))) throw new RnnlabError(`Keras file: "${path}" is not a dataset`);
  return node as hdf5.Dataset;
}

function readWeights(ds: hdf5.Dataset, path: string, shape: number[]): Float64Array {
  const dims = ds.shape;
  if (dims.length !== shape.length || dims.some((d, i) => d !== shape[i])) {
    throw new RnnlabError(`Keras file: "${path}" has shape [${dims.join(', ')}], expected [${shape.join(', ')}]`);
  }
  const v = Float64Array.from(ds.value);
  assertFinite(v, `Keras weight "${path}"`);
  return v;
}

/** What a thrown value says, for messages: jsfive throws strings and Errors with empty messages too. */
function describeError(e: unknown): string {
  const m = e instanceof Error ? e.message || e.name : typeof e === 'string' ? e : JSON.stringify(e);
  return m ? `"${m}"` : 'no explanation';
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Check an HDF5 file's superblock before handing it to the reader: the signature (at 0, 512, 1024, … after a user
 * block), the superblock version, and the end-of-file address it records against the real length, so that a
 * truncated file is refused even when the objects we read happen to lie before the cut.
 */
export function checkHdf5Superblock(buf: ArrayBuffer, source: string): void {
  const bytes = new Uint8Array(buf);
  let at = -1;
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[off + i] === b)) {
      at = off;
      break;
    }
  }
  if (at < 0)
    throw new RnnlabError(
      `"${source}" is not an HDF5 file: no HDF5 signature at byte 0, 512, 1024, … (${bytes.length} bytes)`,
    );
  const view = new DataView(buf);
  const need = (end: number, what: string) => {
    if (end > bytes.length)
      throw new RnnlabError(
        `"${source}" is truncated: its HDF5 superblock at byte ${at} ends before ${what} (the file has ` +
          `${bytes.length} bytes)`,
      );
  };
  need(at + 14, 'the size fields');
  const version = bytes[at + 8];
  let offsetSize: number, baseAt: number;
  if (version === 0 || version === 1) {
    offsetSize = bytes[at + 13];
    baseAt = at + (version === 0 ? 24 : 28);
  } else if (version === 2 || version === 3) {
    offsetSize = bytes[at + 9];
    baseAt = at + 12;
  } else
    throw new RnnlabError(`"${source}": HDF5 superblock version ${version} at byte ${at} is not supported (0 to 3)`);
  if (![2, 4, 8].includes(offsetSize))
    throw new RnnlabError(
      `"${source}": HDF5 superblock at byte ${at} gives an offset size of ${offsetSize} bytes (expected 2, 4 or 8): ` +
        `the file is damaged`,
    );
  const read = (p: number) =>
    offsetSize === 8
      ? Number(view.getBigUint64(p, true))
      : offsetSize === 4
        ? view.getUint32(p, true)
        : view.getUint16(p, true);
  const eofAt = baseAt + 2 * offsetSize;
  need(eofAt + offsetSize, 'the end-of-file address');
  const end = read(baseAt) + read(eofAt);
  if (end > bytes.length)
    throw new RnnlabError(
      `"${source}" is truncated: its HDF5 superblock (byte ${at}) says the file ends at byte ${end}, but it has ` +
        `${bytes.length} bytes`,
    );
}

/** Read a Keras 2.x SimpleRNN + Dense HDF5 file. `dtype` is the rnnlab model's storage type (weights are float32). */
/**
 * Read a Keras HDF5 model from its bytes (browser-safe). `memoryBytes`, where known, is the memory the model may take:
 * a file that declares a network too large for it is refused before any weight is read.
 */
export function importKerasBuffer(
  buf: ArrayBuffer,
  source = 'model.hdf5',
  dtype: DType = 'float64',
  memoryBytes?: number,
): KerasImport {
  checkHdf5Superblock(buf, source);
  let f: hdf5.File;
  try {
    f = new hdf5.File(buf, source);
  } catch (e) {
    throw new RnnlabError(`"${source}" is not a readable HDF5 file: the reader failed with ${describeError(e)}`);
  }
  // jsfive reads lazily: a damaged file can fail inside any later call with the reader's internals ("thing is not a
  // function", "undefined is not iterable"); every such failure is the file's, and is said so in one line.
  try {
    return readKerasModel(f, source, dtype, memoryBytes);
  } catch (e) {
    if (e instanceof RnnlabError) throw e.message.includes(source) ? e : new RnnlabError(`"${source}": ${e.message}`);
    throw new RnnlabError(
      `"${source}" is not a readable Keras HDF5 file: the reader failed inside it with ${describeError(e)} (a ` +
        'damaged file?)',
    );
  }
}

function readKerasModel(f: hdf5.File, source: string, dtype: DType, memoryBytes?: number): KerasImport {
  const arch = readArchitecture(f, source);
  assertModelFits({ nIn: arch.I, nRec: arch.N, nOut: arch.O }, `"${source}"`, memoryBytes);
  const { layerNames, weightPaths } = weightPathsOf(f, source, arch.useBias);
  const model = modelFromWeights(f, arch, weightPaths, dtype);
  let trainingConfig: unknown = null;
  if ('training_config' in f.attrs) {
    try {
      trainingConfig = JSON.parse(String(f.attrs.training_config));
    } catch {
      trainingConfig = String(f.attrs.training_config);
    }
  }
  return {
    model,
    meta: {
      source,
      kerasVersion: strip(f.attrs.keras_version ?? 'unknown'),
      backend: strip(f.attrs.backend ?? 'unknown'),
      layerNames,
      weightPaths,
      trainingConfig,
    },
  };
}

interface KerasArchitecture {
  N: number;
  O: number;
  I: number;
  activation: 'tanh' | 'relu' | 'softplus';
  useBias: boolean;
}

/** model_config: a Sequential SimpleRNN + Dense model, its sizes, activation and whether it has a recurrent bias. */
function readArchitecture(f: hdf5.File, source: string): KerasArchitecture {
  let cfgText: unknown;
  try {
    cfgText = attr(f, 'model_config', 'the root group');
  } catch {
    throw new RnnlabError(`"${source}" has no model_config attribute: it is an HDF5 file but not a saved Keras model`);
  }
  let cfg: any;
  try {
    cfg = JSON.parse(String(cfgText));
  } catch (e) {
    throw new RnnlabError(`"${source}": model_config is not valid JSON (${(e as Error).message})`);
  }
  const layers: any[] = Array.isArray(cfg?.config) ? cfg.config : cfg?.config?.layers;
  if (cfg?.class_name !== 'Sequential' || !Array.isArray(layers))
    throw new RnnlabError(`"${source}": expected a Keras Sequential model, found ${JSON.stringify(cfg?.class_name)}`);
  const kinds = layers.map((l) => l.class_name);
  if (kinds.length !== 2 || kinds[0] !== 'SimpleRNN' || kinds[1] !== 'Dense') {
    throw new RnnlabError(`"${source}": only SimpleRNN + Dense models are supported, found [${kinds.join(', ')}]`);
  }
  const rnnCfg = layers[0].config,
    denseCfg = layers[1].config;
  const activations: Record<string, 'tanh' | 'relu' | 'softplus'> = {
    tanh: 'tanh',
    relu: 'relu',
    softplus: 'softplus',
  };
  const activation = activations[rnnCfg.activation];
  if (!activation)
    throw new RnnlabError(
      `"${source}": SimpleRNN activation "${rnnCfg.activation}" is not supported (tanh, relu, softplus)`,
    );
  if (denseCfg.activation !== 'linear')
    throw new RnnlabError(`"${source}": Dense activation "${denseCfg.activation}" is not supported (only linear)`);
  const N = rnnCfg.units,
    O = denseCfg.units;
  const I = rnnCfg.batch_input_shape?.[2];
  if (!Number.isInteger(N) || !Number.isInteger(O) || !Number.isInteger(I))
    throw new RnnlabError(`"${source}": cannot read units / input size from model_config`);
  return { N, O, I, activation, useBias: rnnCfg.use_bias !== false };
}

/** The layers' names and each weight's dataset path, from model_weights' layer_names and weight_names. */
function weightPathsOf(f: hdf5.File, source: string, useBias: boolean) {
  const mw = f.get('model_weights') as hdf5.Group;
  if (!mw) throw new RnnlabError(`"${source}": no model_weights group`);
  const layerNames = (attr(mw, 'layer_names', 'model_weights') as unknown[]).map(strip);
  if (layerNames.length !== 2)
    throw new RnnlabError(`"${source}": expected 2 layers in model_weights, found ${layerNames.length}`);
  const names = (layer: string) =>
    (attr(f.get(`model_weights/${layer}`) as hdf5.Group, 'weight_names', `model_weights/${layer}`) as unknown[]).map(
      strip,
    );
  const rnnNames = names(layerNames[0]);
  const denseNames = names(layerNames[1]);
  if (rnnNames.length !== (useBias ? 3 : 2))
    throw new RnnlabError(
      `"${source}": SimpleRNN has ${rnnNames.length} weights, expected ${useBias ? 3 : 2} (use_bias=${useBias})`,
    );
  if (denseNames.length !== 2) throw new RnnlabError(`"${source}": Dense has ${denseNames.length} weights, expected 2`);
  const path = (layer: string, w: string) => `model_weights/${layer}/${w}`;
  const weightPaths = [
    ...rnnNames.map((w) => path(layerNames[0], w)),
    ...denseNames.map((w) => path(layerNames[1], w)),
  ];
  return { layerNames, weightPaths };
}

/** The rnnlab model holding the file's weights, transposed from Keras' row-vector layout. */
function modelFromWeights(f: hdf5.File, arch: KerasArchitecture, weightPaths: string[], dtype: DType) {
  const { N, O, I, activation, useBias } = arch;
  const kernel = readWeights(dataset(f, weightPaths[0]), weightPaths[0], [I, N]);
  const recurrent = readWeights(dataset(f, weightPaths[1]), weightPaths[1], [N, N]);
  const bias = useBias ? readWeights(dataset(f, weightPaths[2]), weightPaths[2], [N]) : null;
  const dk = weightPaths[useBias ? 3 : 2],
    db = weightPaths[useBias ? 4 : 3];
  const denseKernel = readWeights(dataset(f, dk), dk, [N, O]);
  const denseBias = readWeights(dataset(f, db), db, [O]);
  const model = createModel({
    nIn: I,
    nRec: N,
    nOut: O,
    alpha: 1,
    activation,
    recurrentBias: useBias,
    trainH0: false,
    dtype,
  });
  const p = model.params;
  // W_in[i][k] = kernel[k][i], W_rec[i][j] = recurrent_kernel[j][i], W_out[o][i] = dense[i][o].
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < I; k++) p.W_in[i * I + k] = kernel[k * N + i];
    for (let j = 0; j < N; j++) p.W_rec[i * N + j] = recurrent[j * N + i];
    for (let o = 0; o < O; o++) p.W_out[o * N + i] = denseKernel[i * O + o];
  }
  if (bias) p.b.set(bias);
  p.b_out.set(denseBias);
  return model;
}
