/** File helpers shared by models, checkpoints and results: atomic writes and readable read errors. */
import * as fs from 'fs';
import * as path from 'path';
import { RnnlabError } from './tensor';

/**
 * Write `text` durably: `file` ends up holding either its old content or all of the new, never a torn mix, and a
 * failed write is an error, never a success. The bytes go to a temporary file in the same directory (written in a
 * loop that checks every count, so a short write on a full disk is caught), which is fsynced, closed, renamed over
 * the target, and then the directory is fsynced so that the rename itself survives a crash. On any failure the
 * temporary file is removed and the previous version of `file` is left intact.
 */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | null = null;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fd = fs.openSync(tmp, 'wx');
    for (let off = 0; off < bytes.length; ) {
      const n = fs.writeSync(fd, bytes, off, bytes.length - off);
      if (n <= 0) throw new Error(`short write (${off} of ${bytes.length} bytes)`);
      off += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    if (fs.statSync(tmp).size !== bytes.length) throw new Error('the written size does not match');
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOSPC' ? 'no space left on the device' : err.code === 'EDQUOT' ? 'disk quota exceeded' : err.message;
    throw new RnnlabError(`cannot write "${file}": ${why}; the previous version, if any, is unchanged`);
  }
  fsyncDirectory(dir);
}

/** fsync a directory so that a rename inside it is durable (a no-op where the platform cannot open directories). */
function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    /* some file systems refuse fsync on directories (EINVAL); the file itself is already durable */
  } finally {
    fs.closeSync(fd);
  }
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
