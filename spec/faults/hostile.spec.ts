/**
 * The third hostile probe (issue 27), its security, data-loss and crash cases, end to end through the real command:
 * a control character in a path written into a Slurm script, symbolic links below an output folder, a file's text
 * that would forge a terminal line, an output that is the input, and inputs that are devices, pipes or folders.
 * Each must end with one clear "rnnlab: error:" line, exit 1, and nothing written where it should not be.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sealCheckpoint } from '@rnnlab/engine/advanced';
import { lockDirectory, LockHeldError } from '@rnnlab/engine/node';
import { fixturePath } from '../helpers/fixtures';
import { rnnlab, SMALL_TRAIN } from '../cli/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-hostile-'));
const fresh = (name: string) => fs.mkdtempSync(path.join(tmp, `${name}-`));

function expectCleanError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(message);
  const lines = r.stderr.trim().split('\n');
  expect(lines.filter((l) => l.startsWith('rnnlab: error:'))).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('security', () => {
  test('a newline in --out cannot split a line of the Slurm scripts: refused, nothing written', () => {
    const base = fresh('slurm');
    const out = path.join(base, 'x\n#SBATCH --wrap=touch /tmp/pwned\necho pwned');
    const r = rnnlab(['paper', '--scale', 'tiny', '--slurm', '--out', out]);
    expectCleanError(r, /--out ".*" holds a control character, which would split a line of the Slurm script/);
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test.each([
    ["a run folder's epochs/", 'run', 'epochs'],
    ["a paper folder's jobs/", 'paper', 'jobs'],
    ["a paper job's checkpoint folder", 'paper', 'checkpoints'],
    ["a report's figures/", 'report', 'figures'],
  ])('a symbolic link at %s is refused; nothing lands where it points', (_what, kind, sub) => {
    const dir = fresh(kind);
    const elsewhere = fresh('elsewhere');
    let r;
    if (kind === 'report') {
      const run = path.join(dir, 'run');
      expect(rnnlab(['train', ...SMALL_TRAIN, '--out', run]).code).toBe(0);
      fs.mkdirSync(path.join(run, 'report'));
      fs.symlinkSync(elsewhere, path.join(run, 'report', sub));
      r = rnnlab(['report', run]);
    } else {
      fs.symlinkSync(elsewhere, path.join(dir, sub));
      r =
        kind === 'run'
          ? rnnlab(['train', ...SMALL_TRAIN, '--keep-epochs', 'all', '--out', dir])
          : rnnlab(['paper', '--scale', 'tiny', '--out', dir, '--workers', '1']);
    }
    expectCleanError(r, new RegExp(`"${dir}.*/${sub}" in the .* is a symbolic link .*refusing to write through it`));
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  test('text from a file cannot forge a terminal line: a newline and U+202E in run.json stay on one line', () => {
    const run = path.join(fresh('forged'), 'run');
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', run]).code).toBe(0);
    const recipe = JSON.parse(fs.readFileSync(path.join(run, 'run.json'), 'utf8'));
    recipe.task = 'and\nrnnlab: all checks passed \u202Egnp.txt';
    fs.writeFileSync(path.join(run, 'run.json'), JSON.stringify(recipe));
    const r = rnnlab(['report', run]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(r.stderr).toMatch(/^rnnlab: error: .*and\ufffdrnnlab: all checks passed \ufffdgnp\.txt/);
  });
});

describe('nothing lost', () => {
  test('import-keras refuses to write its output over its input, which stays intact', () => {
    const file = path.join(fresh('keras'), 'and.hdf5');
    fs.copyFileSync(fixturePath('keras/and_trained.hdf5'), file);
    const before = fs.readFileSync(file);
    const link = path.join(path.dirname(file), 'alias.hdf5');
    fs.linkSync(file, link); // the same file under another name
    for (const out of [file, link]) {
      const r = rnnlab(['import-keras', file, '--out', out]);
      expectCleanError(r, /is the input ".*and\.hdf5"; refusing to overwrite it/);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('no crash, no hang: only regular files are read, and only up to a size', () => {
  const fifo = path.join(tmp, 'pipe.json');
  beforeAll(() => {
    spawnSync('mkfifo', [fifo]);
  });
  test.each([
    [['eval', '/dev/zero', '--task', 'and'], /model file "\/dev\/zero": it is a device, not a regular file/],
    [['import-keras', '/dev/urandom', '--out', 'x.json'], /Keras file "\/dev\/urandom": it is a device/],
    [['eval', '@fifo', '--task', 'and'], /model file ".*pipe\.json": it is a named pipe, not a regular file/],
    [['eval', '@dir', '--task', 'and'], /model file ".*": it is a folder, not a regular file/],
  ])('%j', (args, message) => {
    const cwd = fresh('read');
    const r = rnnlab(
      args.map((a) => (a === '@fifo' ? fifo : a === '@dir' ? tmp : a)),
      cwd,
    );
    expectCleanError(r, message);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe('the command line, as a new user meets it', () => {
  test('--version prints the version and exits 0', () => {
    const r = rnnlab(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(
      JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cli', 'package.json'), 'utf8')).version,
    );
  });

  test.each([
    [['train', '--size', 'abc'], 2, /--size expects a number, got "abc"/],
    [['train', '--param', '__proto__=1'], 2, /--param __proto__ is not a parameter name/],
    [['train', '--task', '__proto__'], 1, /unknown task "__proto__"/],
    [['train', '--task', 'constructor'], 1, /unknown task "constructor"/],
    [['train', '--task', 'toString'], 1, /unknown task "toString"/],
    [['paper', '--scale', 'tiny', '--shard', '0/2', '--shard-count', '3'], 1, /says 2 shards but --shard-count says 3/],
    [['train', ...SMALL_TRAIN, '--out', ''], 1, /run directory: the path is empty/],
    [['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', ''], 1, /model file: the path is empty/],
  ])('%j exits %i with one line', (args, code, message) => {
    const cwd = fresh('cli');
    const r = rnnlab(args as string[], cwd);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('rnnlab: error:'))).toHaveLength(1);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('degeneracy refuses models of different sizes instead of printing NaN', () => {
    const dir = fresh('sizes');
    const a = path.join(dir, 'a'),
      b = path.join(dir, 'b');
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', a]).code).toBe(0);
    expect(rnnlab(['train', ...SMALL_TRAIN, '--size', '10', '--out', b]).code).toBe(0);
    const r = rnnlab(['degeneracy', `${a}/model.json`, `${b}/model.json`, '--task', 'and']);
    expectCleanError(r, /is not the size of .*degeneracy compares networks of one size/);
    expect(r.stdout).not.toMatch(/NaN/);
  });

  test('a run stopped before its first checkpoint resumes from its recipe, to the bits of an uninterrupted run', () => {
    const dir = fresh('early');
    const ref = path.join(dir, 'ref'),
      run = path.join(dir, 'run');
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', ref]).code).toBe(0);
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', run]).code).toBe(0);
    // What a kill before the first checkpoint leaves: the recipe and the initial network, nothing trained.
    for (const f of ['checkpoint.json', 'model.json']) fs.rmSync(path.join(run, f));
    const again = rnnlab(['train', ...SMALL_TRAIN, '--out', run]);
    expectCleanError(again, /already holds a run; use --resume/);
    const r = rnnlab(['train', '--resume', '--out', run]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/has no checkpoint yet .*starting it again from run\.json/);
    const params = (d: string) => JSON.parse(fs.readFileSync(path.join(d, 'model.json'), 'utf8')).params;
    expect(params(run)).toEqual(params(ref));
  });
});

describe('a checkpoint edited and sealed again is refused, field by field', () => {
  /** A run stopped after 7 updates (mid-epoch 2 of 3), and a way to edit its checkpoint and seal it again. */
  function stoppedRun(name: string): { dir: string; edit: (f: (ck: Record<string, any>) => void) => void } {
    const dir = path.join(fresh(name), 'run');
    expect(rnnlab(['train', ...SMALL_TRAIN, '--max-steps', '7', '--out', dir]).code).toBe(0);
    const file = path.join(dir, 'checkpoint.json');
    const edit = (f: (ck: Record<string, any>) => void) => {
      const { sha256: _old, ...ck } = JSON.parse(fs.readFileSync(file, 'utf8'));
      f(ck);
      fs.writeFileSync(file, JSON.stringify(sealCheckpoint(ck as never)));
    };
    return { dir, edit };
  }
  test.each([
    ['a changed epoch count', (ck: any) => (ck.train.epochs = 9), /its training configuration .*differs from/],
    ['a changed learning rate', (ck: any) => (ck.train.adam.lr = 0.5), /its training configuration/],
    ['a changed model size', (ck: any) => (ck.model.config.alpha = 0.5), /its model's configuration|SHA-256/],
    ['an ARC4 index out of range', (ck: any) => (ck.rng.arc4.i = 300), /rng.arc4.i and .j must be in \[0, 255\]/],
    ['an S that is not a permutation', (ck: any) => (ck.rng.arc4.S[3] = ck.rng.arc4.S[4]), /not a permutation/],
    ['an altered history loss', (ck: any) => (ck.history[0].loss *= 1.01), /history\[0\].loss is .* step losses give/],
    ['a negative history loss', (ck: any) => (ck.history[0].loss = -1), /history\[0\].loss is -1 but/],
    ['a running sum that disagrees', (ck: any) => (ck.epochLossSum += 1), /epochLossSum is .* step losses give/],
    ['a trial count that disagrees', (ck: any) => (ck.epochTrials += 16), /epochTrials is \d+ but \d+ steps/],
    [
      'a forged clipping amendment',
      (ck: any) => (ck.amendments = [{ step: 3, clipNorm: 5, previous: 0 }]),
      /the last amendment sets clipNorm 5 but train.clipNorm is 0/,
    ],
  ])('%s', (_what, change, message) => {
    const run = stoppedRun('ck');
    run.edit(change as (ck: Record<string, any>) => void);
    expectCleanError(rnnlab(['train', '--resume', '--out', run.dir]), message as RegExp);
  });
});

describe('a saved model brings its task', () => {
  const dir = fresh('task');
  const andRun = path.join(dir, 'and'),
    xorRun = path.join(dir, 'xor');
  beforeAll(() => {
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', andRun]).code).toBe(0);
    expect(rnnlab(['train', ...SMALL_TRAIN, '--task', 'xor', '--out', xorRun]).code).toBe(0);
  });
  test('eval and dynamics read the task from the model; a variant of it may be given, another task may not', () => {
    const model = path.join(andRun, 'model.json');
    const own = rnnlab(['eval', model]);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^and on 200 fresh trials: accuracy/);
    expect(rnnlab(['eval', model, '--task', 'and-paper']).code).toBe(0);
    expect(rnnlab(['dynamics', model]).code).toBe(0);
    expectCleanError(rnnlab(['eval', model, '--task', 'xor']), /was trained on task "and"; --task xor is another task/);
    const mixed = rnnlab(['degeneracy', model, path.join(xorRun, 'model.json')]);
    expectCleanError(mixed, /was trained on task "xor" but .* on "and"/);
  });
  test('a missing path is named first; an imported network without a task asks for --task', () => {
    expectCleanError(rnnlab(['eval', path.join(dir, 'nonexistent.json')]), /cannot read model file ".*": no such file/);
    expectCleanError(rnnlab(['report', path.join(dir, 'nope')]), /cannot read run folder or model file ".*nope"/);
    const imported = path.join(dir, 'authors.json');
    expect(rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', imported]).code).toBe(0);
    expectCleanError(rnnlab(['eval', imported]), /records no task \(an imported network\?\): give --task/);
    expect(rnnlab(['eval', imported, '--task', 'and']).code).toBe(0);
  });
});

describe('temporary files of a killed writer are cleaned in every folder, never those of a live one', () => {
  /** A pid no process has: the largest a Linux pid can be, plus one. */
  const deadPid = 4194304 + 1;
  test('report/ and report/figures/', () => {
    const run = path.join(fresh('tmpfiles'), 'run');
    expect(rnnlab(['train', ...SMALL_TRAIN, '--out', run]).code).toBe(0);
    const figures = path.join(run, 'report', 'figures');
    fs.mkdirSync(figures, { recursive: true });
    const dead = [path.join(run, 'report', `.index.html.${deadPid}.1700000000000.tmp`)];
    dead.push(path.join(figures, `.loss.svg.${deadPid}.1700000000000.tmp`));
    const live = path.join(figures, `.loss.png.${process.pid}.1700000000000.tmp`); // this test runner: alive
    for (const f of [...dead, live]) fs.writeFileSync(f, 'half a file');
    expect(rnnlab(['report', run]).code).toBe(0);
    for (const f of dead) expect(fs.existsSync(f)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });
});

describe('lock files that name no live writer (issue 27)', () => {
  const held = (content: string | null) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-lock-'));
    if (content !== null) fs.writeFileSync(path.join(dir, '.lock'), content);
    return dir;
  };
  test.each([
    ['pid 0 (kill(0) reaches the whole process group)', JSON.stringify({ pid: 0, host: os.hostname() })],
    ['pid -1 (kill(-1) reaches every process)', JSON.stringify({ pid: -1, host: os.hostname() })],
    ['a fractional pid', JSON.stringify({ pid: 1.5, host: os.hostname() })],
    ['an empty file (a writer killed between open and write)', ''],
    ['not JSON', 'garbage'],
  ])('%s: the lock is stale, said so, and taken over', (_name, content) => {
    const dir = held(content);
    const logs: string[] = [];
    const lock = lockDirectory(dir, (l) => logs.push(l));
    expect(logs.join('\n')).toMatch(/removing a stale lock \(unreadable/);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
  });

  test('a folder where the lock file should be is named, not looped on', () => {
    const dir = held(null);
    fs.mkdirSync(path.join(dir, '.lock'));
    expect(() => lockDirectory(dir)).toThrow(/the lock ".*\.lock" is a folder, not a lock file; remove it/);
  });

  test('a live writer of this host is refused as LockHeldError, naming it', () => {
    const dir = held(JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 'then' }));
    expect(() => lockDirectory(dir)).toThrow(LockHeldError);
    expect(() => lockDirectory(dir)).toThrow(new RegExp(`in use by another rnnlab process \\(pid ${process.ppid} on`));
  });
});

describe('hostile JSON gets one short line (issue 27)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-json-attack-'));
  const modelWith = (wIn: string) =>
    `{"format":"rnnlab-model","version":1,"config":{"nIn":1,"nRec":1,"nOut":1},"params":{"W_in":${wIn}}}`;
  test.each([
    [
      'arrays nested 100000 deep',
      modelWith('['.repeat(100000) + '1' + ']'.repeat(100000)),
      /params\.W_in has shape \[1, 1, 1, 1, … \(100000 dimensions\)\], expected \[1, 1\]/,
    ],
    [
      'a number beyond float64 (1e309)',
      modelWith('[[1e309]]'),
      /params\.W_in\[0\]\[0\] is Infinity \(beyond float64's range\), expected a finite number/,
    ],
  ])('%s', (_name, text, message) => {
    const file = path.join(dir, 'm.json');
    fs.writeFileSync(file, text);
    const r = rnnlab(['eval', file, '--task', 'and']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    // one line, naming at most four of the dimensions (the message had listed all 100000: 300 kB)
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/(1, ){5}/);
  });

  test('a mask file nested 100000 deep is refused before it is walked', () => {
    const file = path.join(dir, 'masks.json');
    fs.writeFileSync(file, `{"W_rec":${'['.repeat(100000)}1${']'.repeat(100000)}}`);
    const r = rnnlab(['train', ...SMALL_TRAIN, '--masks', file, '--out', path.join(dir, 'run')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/W_rec has shape \[1, 1, 1, 1, … \(100000 dimensions\)\]; rnnlab's arrays have at most 8/);
  });
});
