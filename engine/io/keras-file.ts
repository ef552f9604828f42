/** Keras HDF5 files on disk (Node only, the /node entry): read the file, then keras-import.ts' importKerasBuffer. */
import * as fs from 'fs';
import * as os from 'os';
import { RnnlabError, type DType } from '../core/tensor';
import { importKerasBuffer, type KerasImport } from './keras-import';
import { checkReadableFile, MAX_BINARY_FILE_BYTES } from './files';

/** Read a Keras 2.0.6 HDF5 model file; refuses a network larger than this machine's memory before reading weights. */
export function importKerasFile(file: string, dtype: DType = 'float64'): KerasImport {
  checkReadableFile(file, 'Keras file', MAX_BINARY_FILE_BYTES);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new RnnlabError(
      `cannot read Keras file "${file}": ` +
        `${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  return importKerasBuffer(
    buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    file,
    dtype,
    os.totalmem(),
  );
}
