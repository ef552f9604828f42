/** Keras HDF5 files on disk (Node only, the /node entry): read the file, then keras-import.ts' importKerasBuffer. */
import * as os from 'os';
import type { DType } from '../core/tensor';
import { importKerasBuffer, type KerasImport } from './keras-import';
import { readBinaryFile } from './files';

/** Read a Keras 2.0.6 HDF5 model file; refuses a network larger than this machine's memory before reading weights. */
export function importKerasFile(file: string, dtype: DType = 'float64'): KerasImport {
  const buf = readBinaryFile(file, 'Keras file');
  return importKerasBuffer(
    buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    file,
    dtype,
    os.totalmem(),
  );
}
