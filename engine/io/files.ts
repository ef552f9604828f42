/** File helpers shared by models, checkpoints and results: atomic writes and readable read errors. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RnnlabError } from '../core/tensor';

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
    for (let off = 0; off < bytes.length;) {
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
    if (fd !== null)
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing */
      }
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw new RnnlabError(`cannot write "${file}": ${fsFailure(e)}; the previous version, if any, is unchanged`);
  }
  fsyncDirectory(dir);
}

/** A file-system error in words: what a user can act on (a full disk, a read-only mount), else Node's message. */
function fsFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOENT: 'no such file',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only filesystem',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
  };
  return (err.code !== undefined && words[err.code]) || err.message;
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

/** The largest text file read whole: V8's longest string is about 2^29 characters. */
export const MAX_TEXT_FILE_BYTES = 512 * 1024 ** 2;
/** The largest binary file read whole (a Keras HDF5 network): one Node Buffer. */
export const MAX_BINARY_FILE_BYTES = 2 * 1024 ** 3 - 1;

/**
 * Check that `file` is a regular file of at most `maxBytes` before anything reads it: a device (/dev/zero,
 * /dev/urandom) would be read forever or until memory runs out, a FIFO would block the open itself, a folder gives
 * an unhelpful error, and a file over the cap would fail deep inside V8. One clear line for each.
 */
function checkReadableFile(file: string, what: string, maxBytes: number): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new RnnlabError(`cannot read ${what} "${file}": ${fsFailure(e)}`);
  }
  if (!st.isFile()) {
    const kind = st.isDirectory()
      ? 'a folder'
      : st.isFIFO()
        ? 'a named pipe'
        : st.isCharacterDevice() || st.isBlockDevice()
          ? 'a device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
    throw new RnnlabError(`cannot read ${what} "${file}": it is ${kind}, not a regular file`);
  }
  if (st.size > maxBytes)
    throw new RnnlabError(
      `cannot read ${what} "${file}": it has ${st.size} bytes, more than the ${maxBytes} a ${what} may have`,
    );
}

/** Read a whole file once checkReadableFile accepts it; a failure is one line naming the file. */
function readChecked<T>(file: string, what: string, maxBytes: number, read: (f: string) => T): T {
  checkReadableFile(file, what, maxBytes);
  try {
    return read(file);
  } catch (e) {
    throw new RnnlabError(`cannot read ${what} "${file}": ${fsFailure(e)}`);
  }
}

export function readTextFile(file: string, what: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  return readChecked(file, what, maxBytes, (f) => fs.readFileSync(f, 'utf8'));
}

export function readBinaryFile(file: string, what: string, maxBytes = MAX_BINARY_FILE_BYTES): Buffer {
  return readChecked(file, what, maxBytes, (f) => fs.readFileSync(f));
}

/** Write probes made by this process (part of each probe's name, so that no two probes collide). */
let probes = 0;

/** Folders whose files are not ordinary files: writing there hangs or means nothing (Linux pseudo-filesystems). */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Make `dir` ready to receive output, or fail at once with one clear line: a path inside /proc, /sys or /dev, a
 * symbolic link (output would land elsewhere), something that is not a directory, or a directory we cannot write
 * (probed by creating and removing a file, so a read-only or full filesystem is found before any work is done).
 */
export function prepareOutputDir(dir: string, what = 'output directory'): string {
  // path.resolve('') is the current folder: an empty --out must not write a run there.
  if (dir.trim() === '') throw new RnnlabError(`${what}: the path is empty`);
  const abs = path.resolve(dir);
  for (const root of SPECIAL_ROOTS) {
    if (abs === root || abs.startsWith(`${root}/`))
      throw new RnnlabError(`${what} "${dir}" is inside ${root}, a pseudo-filesystem; choose an ordinary folder`);
  }
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new RnnlabError(`${what} "${dir}": ${(e as Error).message}`);
  }
  if (st?.isSymbolicLink())
    throw new RnnlabError(
      `${what} "${dir}" is a symbolic link (to "${fs.readlinkSync(abs)}"); refusing to write through it: give the ` +
        `real folder`,
    );
  if (st && !st.isDirectory()) throw new RnnlabError(`${what} "${dir}" exists and is not a directory`);
  try {
    fs.mkdirSync(abs, { recursive: true });
    // Unique per host, process and call: shards on several hosts may probe one shared folder at once.
    const probe = path.join(abs, `.rnnlab-write-probe.${os.hostname()}.${process.pid}.${Date.now()}.${++probes}`);
    fs.writeFileSync(probe, 'x');
    fs.unlinkSync(probe);
  } catch (e) {
    throw new RnnlabError(`cannot write to ${what} "${dir}": ${fsFailure(creationFailure(abs, e))}`);
  }
  return abs;
}

/**
 * Node's recursive mkdir reports ENOENT where a parent cannot be written (a read-only filesystem, no permission):
 * then the nearest folder that exists says why (issue 27: a read-only filesystem read "no such file").
 */
function creationFailure(abs: string, e: unknown): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let parent = path.dirname(abs);
  while (parent !== path.dirname(parent) && !fs.existsSync(parent)) parent = path.dirname(parent);
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (why) {
    return why;
  }
  try {
    // access() can pass on a read-only mount for root: try to create the first missing folder for the real answer
    const first = path.join(parent, path.relative(parent, abs).split(path.sep)[0]);
    fs.mkdirSync(first);
    fs.rmdirSync(first);
  } catch (why) {
    return why;
  }
  return e;
}

/**
 * Make the folders `subs` (paths relative to `root`, an output folder prepareOutputDir accepted) ready to receive
 * files: every component below `root` must be a real folder or not exist yet (then it is created). A symbolic link
 * anywhere below the root would send the run's files elsewhere, so it is refused with its name, as is a component
 * that exists and is not a folder.
 */
export function prepareSubdirs(root: string, subs: readonly string[], what = 'output folder'): void {
  const base = path.resolve(root);
  for (const sub of subs) {
    let at = base;
    for (const part of path
      .normalize(sub)
      .split(path.sep)
      .filter((p) => p !== '' && p !== '.')) {
      if (part === '..') throw new RnnlabError(`${what}: "${sub}" leaves "${root}"`);
      at = path.join(at, part);
      let st: fs.Stats | null = null;
      try {
        st = fs.lstatSync(at);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new RnnlabError(`${what} "${at}": ${e}`);
      }
      if (st?.isSymbolicLink())
        throw new RnnlabError(
          `"${at}" in the ${what} is a symbolic link (to "${fs.readlinkSync(at)}"); refusing to write through it`,
        );
      if (st && !st.isDirectory()) throw new RnnlabError(`"${at}" in the ${what} exists and is not a directory`);
      if (!st) fs.mkdirSync(at);
    }
  }
}

/**
 * Remove the temporary files that writeFileAtomic leaves when its process is killed mid-write
 * (".<name>.<pid>.<ms>.tmp").
 * Only call this while holding the folder's lock: then no other writer can own them. Returns the names removed.
 */
export function removeStaleTempFiles(dir: string, onlyDeadWriters = false): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = /^\..+\.(\d+)\.\d+\.tmp$/.exec(n);
    if (!m || (onlyDeadWriters && processAlive(Number(m[1])))) continue;
    try {
      fs.unlinkSync(path.join(dir, n));
      removed.push(n);
    } catch {
      /* gone already */
    }
  }
  return removed;
}

/**
 * Without the folder's lock (a report, a merge), only a writer that is gone can have left a temporary file: one whose
 * process still runs on this host may be writing it now. The folder is one machine's output here, so the pid names
 * a process of this host.
 */
export function removeDeadWritersTempFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((d) => removeStaleTempFiles(d, true).map((n) => path.join(d, n)));
}

export interface DirLock {
  file: string;
  release(): void;
}

/** The lock is held by a process that runs (on this host) or cannot be checked (another host). */
export class LockHeldError extends RnnlabError {
  constructor(
    message: string,
    readonly holder: { pid: number; host: string; since: string },
  ) {
    super(message);
    this.name = 'LockHeldError';
  }
}

/**
 * Take the one-writer lock of a run directory: `<dir>/<name>` (default .lock), created with O_EXCL (atomic on local
 * filesystems and NFSv3+), holding {pid, host, since}. A second writer is refused at once with who holds it. A lock
 * left by a process that no longer runs on this host (kill -9, a crash, a reboot) is stale: it is explained on `log`
 * and taken over. A lock from another host cannot be checked from here and is always refused, with how to remove it.
 */
export function lockDirectory(dir: string, log: (s: string) => void = () => {}, name = '.lock'): DirLock {
  const file = path.join(dir, name);
  const me = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(me));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number; host?: string };
          if (held.pid === me.pid && held.host === me.host) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return { file, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new RnnlabError(`cannot create the lock "${file}": ${(e as Error).message}`);
    }
    let held: { pid?: unknown; host?: unknown; since?: unknown } = {};
    if (isFolder(file))
      throw new RnnlabError(
        `the lock "${file}" is a folder, not a lock file; remove it (nothing rnnlab writes is there)`,
      );
    try {
      held = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      /* empty or torn: the writer died between open and write */
    }
    // A pid that is not a positive integer names no single process (kill(0) and kill(-1) reach whole groups): the
    // lock is unreadable, hence stale.
    const host = typeof held.host === 'string' ? held.host : null;
    const pid =
      typeof held.pid === 'number' && Number.isInteger(held.pid) && held.pid > 0 && host !== null ? held.pid : null;
    const since = typeof held.since === 'string' ? held.since : 'an unknown time';
    const sameHost = host === me.host;
    if (pid !== null && host !== null && sameHost && processAlive(pid)) {
      throw new LockHeldError(
        `${dir} is in use by another rnnlab process (pid ${pid} on ${host}, since ${since}); one writer per run ` +
          `directory: wait for it, stop it, or choose another --out`,
        { pid, host, since },
      );
    }
    if (pid !== null && host !== null && !sameHost) {
      throw new LockHeldError(
        `${dir} is locked by pid ${pid} on host ${host} (since ${since}), which cannot be checked from here; if that ` +
          `process is gone, remove ${file}`,
        { pid, host, since },
      );
    }
    log(
      `rnnlab: ${dir}: removing a stale lock ` +
        `(${pid === null ? 'unreadable' : `pid ${pid} on ${host} no longer runs`}, since ${since})`,
    );
    try {
      fs.unlinkSync(file);
    } catch {
      /* someone else removed it: retry */
    }
  }
  throw new RnnlabError(`${dir}: could not take the lock ${file} (another process keeps recreating it)`);
}

function isFolder(file: string): boolean {
  try {
    return fs.lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
