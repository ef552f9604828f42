/** File helpers shared by models, checkpoints and results: atomic writes and readable read errors. */
import * as fs from 'fs';
import * as path from 'path';
import { RnnlabError } from './tensor';

/**
 * Write `text` so that `file` is either the old content or the new, never a torn mix: write a temporary file in the
 * same directory, fsync it, then rename over the target (atomic on POSIX file systems).
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new RnnlabError(`cannot read ${what} "${file}": ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RnnlabError(`${what} is not valid JSON (${(e as Error).message})`);
  }
}
