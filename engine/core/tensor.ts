/**
 * The engine's minimal tensor layer: flat typed arrays with explicit shapes.
 *
 * Everything numeric in rnnlab is a Float32Array or a Float64Array, row-major, with its shape carried beside it
 * (in a `Tensor`, in a name such as `h_TxBxN`, or in a comment). Hot loops take the flat array plus offsets and
 * leading dimensions (stdlib/BLAS style) so that no view object is created per call.
 */
import ndarray from 'ndarray';

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

/** A flat array with its row-major shape. `data.length === product(shape)`. */
export interface Tensor<A extends FloatArray = FloatArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

/** Thrown for any malformed input: wrong shapes, non-finite numbers, bad configs, corrupt files. */
export class RnnlabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RnnlabError';
  }
}

export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensor<A extends FloatArray>(data: A, shape: readonly number[]): Tensor<A> {
  if (data.length !== product(shape)) {
    throw new RnnlabError(
      `tensor: data has ${data.length} elements but shape [${shape.join(', ')}] needs ${product(shape)}`,
    );
  }
  return { data, shape: [...shape] };
}

/** An ndarray view over a tensor, for callers who want indexing (`.get(i, j)`) or slicing. */
export function view(t: Tensor) {
  return ndarray(t.data, [...t.shape]);
}

/** Throws unless every element is finite; `what` names the array in the message. */
export function assertFinite(a: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isFinite(v)) {
      throw new RnnlabError(`${what} contains ${v} at flat index ${i}; inputs, targets and weights must be finite`);
    }
  }
}

export function assertLength(a: ArrayLike<number>, expected: number, what: string, shapeText: string): void {
  if (a === null || typeof a !== 'object' || typeof a.length !== 'number')
    throw new RnnlabError(`${what} is missing or not an array (shape ${shapeText})`);
  if (a.length !== expected) {
    throw new RnnlabError(`${what} has ${a.length} elements but shape ${shapeText} needs ${expected}`);
  }
}

export function assertPositiveInteger(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RnnlabError(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  }
}

/** Nested number[][] (row-major) to a flat array of the given dtype, checking that it is rectangular. */
/** The most dimensions a nested array from a file may have (rnnlab's own have at most 3). */
const MAX_NESTED_DIMS = 8;

export function fromNested(rows: unknown, dtype: DType, what: string, expectShape?: readonly number[]): Tensor {
  const shape: number[] = [];
  let probe: unknown = rows;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  // A hostile file can nest 10⁵ arrays deep: name the shape briefly, and refuse it before the (recursive) walk.
  const shown =
    shape.length > MAX_NESTED_DIMS
      ? `[${shape.slice(0, 4).join(', ')}, … (${shape.length} dimensions)]`
      : `[${shape.join(', ')}]`;
  if (expectShape && (shape.length !== expectShape.length || shape.some((d, i) => d !== expectShape[i]))) {
    throw new RnnlabError(`${what} has shape ${shown}, expected [${expectShape.join(', ')}]`);
  }
  if (shape.length > MAX_NESTED_DIMS)
    throw new RnnlabError(`${what} has shape ${shown}; rnnlab's arrays have at most ${MAX_NESTED_DIMS} dimensions`);
  const out = allocate(dtype, product(shape));
  let k = 0;
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) {
        // JSON.parse reads 1e309 as Infinity, which JSON.stringify would print as null
        const shownValue = typeof node === 'number' ? `${node} (beyond float64's range)` : JSON.stringify(node);
        throw new RnnlabError(`${what}${path} is ${shownValue}, expected a finite number`);
      }
      out[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new RnnlabError(`${what}${path} is not an array of length ${shape[depth]} (ragged or malformed)`);
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(rows, 0, '');
  return { data: out, shape };
}

/** Flat row-major data to nested arrays (for JSON). */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): unknown {
  const build = (offset: number, depth: number): unknown => {
    if (depth === shape.length) return data[offset];
    const stride = product(shape.slice(depth + 1));
    const out: unknown[] = new Array(shape[depth]);
    for (let i = 0; i < shape[depth]; i++) out[i] = build(offset + i * stride, depth + 1);
    return out;
  };
  return build(0, 0);
}
