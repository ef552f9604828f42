/**
 * NumPy's .npy format, read and written from bytes
 * (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 *
 *   "\x93NUMPY" major minor  header_len (uint16 LE for 1.0, uint32 LE for 2.0/3.0)  header  data
 *   header = a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } padded with spaces
 *            to a multiple of 64 bytes and ended by '\n'
 *
 * The header is parsed as data (three fields matched by pattern), never evaluated. Numeric dtypes (float, int,
 * unsigned, bool, little or big endian) are read into float64; an object array ('|O', a pickle) is reported as such
 * and never unpickled.
 */
import { RnnlabError } from '../core/tensor';

export interface NpyArray {
  /** The values, C order, as float64 (null for a pickled object array, which is never read). */
  data: Float64Array | null;
  shape: number[];
  /** NumPy's descr, e.g. '<f4'. */
  descr: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Parse one .npy file; `what` names it in errors. */
export function readNpy(bytes: Uint8Array, what: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new RnnlabError(`${what} is not a .npy array`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const long = major >= 2;
  const headerLen = long ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = long ? 12 : 10;
  if (start + headerLen > bytes.length) throw new RnnlabError(`${what}: its .npy header runs past the end of the file`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new RnnlabError(`${what}: unreadable .npy header ${JSON.stringify(header.trim().slice(0, 80))}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new RnnlabError(`${what}: bad .npy shape (${shapeText})`);
      return n;
    });
  if (descr.endsWith('O')) return { data: null, shape, descr };
  const count = shape.reduce((a, b) => a * b, 1);
  const data = readValues(bytes.subarray(start + headerLen), descr, count, what);
  return { data: fortran === 'True' ? fromFortran(data, shape) : data, shape, descr };
}

/** The numeric values of a .npy body as float64. */
function readValues(body: Uint8Array, descr: string, count: number, what: string): Float64Array {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) throw new RnnlabError(`${what}: dtype ${descr} is not a numeric type rnnlab reads`);
  const little = m[1] !== '>';
  const [kind, size] = [m[2], Number(m[3])];
  const ok = kind === 'f' ? [4, 8].includes(size) : kind === 'b' ? size === 1 : [1, 2, 4, 8].includes(size);
  if (!ok) throw new RnnlabError(`${what}: dtype ${descr} is not a numeric type rnnlab reads`);
  if (body.length < count * size)
    throw new RnnlabError(`${what}: holds ${body.length} bytes of data, its shape needs ${count * size}`);
  const view = new DataView(body.buffer, body.byteOffset, count * size);
  const out = new Float64Array(count);
  for (let i = 0, at = 0; i < count; i++, at += size) {
    if (kind === 'f') out[i] = size === 4 ? view.getFloat32(at, little) : view.getFloat64(at, little);
    else if (kind === 'b' || size === 1) out[i] = kind === 'i' ? view.getInt8(at) : view.getUint8(at);
    else if (size === 2) out[i] = kind === 'i' ? view.getInt16(at, little) : view.getUint16(at, little);
    else if (size === 4) out[i] = kind === 'i' ? view.getInt32(at, little) : view.getUint32(at, little);
    else out[i] = Number(kind === 'i' ? view.getBigInt64(at, little) : view.getBigUint64(at, little));
  }
  return out;
}

/** Fortran (column-major) order to C order. */
function fromFortran(data: Float64Array, shape: number[]): Float64Array {
  if (shape.length < 2) return data;
  const out = new Float64Array(data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < data.length; c++) {
    let f = 0,
      stride = 1;
    for (let d = 0; d < shape.length; d++) {
      f += idx[d] * stride;
      stride *= shape[d];
    }
    out[c] = data[f];
    for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
  return out;
}

/** One .npy file (format 1.0, little endian, C order) holding `data` as '<f4' or '<f8'. */
export function writeNpy(data: ArrayLike<number>, shape: number[], dtype: 'float32' | 'float64'): Uint8Array {
  const size = dtype === 'float32' ? 4 : 8;
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f${size}', 'fortran_order': False, 'shape': (${dims}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad === 64 ? 0 : pad) + '\n';
  const out = new Uint8Array(10 + header.length + data.length * size);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const at = 10 + header.length;
  for (let i = 0; i < data.length; i++) {
    if (size === 4) view.setFloat32(at + 4 * i, data[i], true);
    else view.setFloat64(at + 8 * i, data[i], true);
  }
  return out;
}
