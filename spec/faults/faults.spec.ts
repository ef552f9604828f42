/**
 * Fault injection, end to end through the real `rnnlab` command: full disks, corrupted and foreign checkpoints,
 * flags that would change a resumed run, two writers, special and symlinked output paths, impossible sizes,
 * overflowing models, float32 audits, leftovers of killed writers, damaged HDF5 files, hostile strings, and a
 * kill -9 / resume loop compared bit for bit with an uninterrupted run. Each case must end with one clear
 * "rnnlab: error:" line and a non-zero exit, and must leave no truncated file behind a success.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Rng, type TrainCheckpoint } from '@rnnlab/engine';
import { sealCheckpoint } from '@rnnlab/engine/advanced';
import { loadModel } from '@rnnlab/engine/node';
import { fixturePath } from '../helpers/fixtures';
import { rnnlab, ROOT, SMALL_TRAIN } from '../cli/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-faults-'));
const small = SMALL_TRAIN;

/** One clear error line, no stack trace, exit 1. */
function expectCleanError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('rnnlab: error:')),
  ).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

function trainedRun(name: string, extra: string[] = []): string {
  const dir = path.join(tmp, name);
  expect(rnnlab(['train', ...small, '--out', dir, ...extra]).code).toBe(0);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// Full disk: a real 300 kB tmpfs (needs root to mount; CI runs as root)

const isRoot = process.getuid?.() === 0;
const canMount = isRoot && spawnSync('sh', ['-c', 'command -v mount'], { encoding: 'utf8' }).status === 0;
const diskTest = canMount ? test : test.skip;
const diskName = (s: string) =>
  canMount ? s : `${s} — SKIPPED: mounting a tmpfs needs root (run the suite as root, as CI does)`;

/** A tmpfs mounted with `options` for the enclosing describe block (where mounting is possible); its path. */
function mountedTmpfs(name: string, options: string): string {
  const mnt = path.join(tmp, name);
  beforeAll(() => {
    if (!canMount) return;
    fs.mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mnt]);
  });
  afterAll(() => {
    if (canMount) spawnSync('umount', [mnt]);
  });
  return mnt;
}

describe('a full disk', () => {
  const mnt = mountedTmpfs('tiny-disk', 'size=300k');

  diskTest(
    diskName('train fails with a non-zero exit and leaves no truncated checkpoint, model or temporary file'),
    () => {
      const dir = path.join(mnt, 'run');
      // N = 60: a checkpoint is ~700 kB of JSON, more than the whole disk.
      const r = rnnlab([
        'train',
        '--task',
        'and',
        '--size',
        '60',
        '--trials',
        '64',
        '--batch',
        '16',
        '--epochs',
        '1',
        '--out',
        dir,
      ]);
      expectCleanError(
        r,
        /cannot write ".*checkpoint\.json": no space left on the device; the previous version, if any, is unchanged/,
      );
      for (const f of fs.readdirSync(dir)) {
        expect(f).not.toMatch(/\.tmp$/);
        if (f.endsWith('.json')) expect(() => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))).not.toThrow();
      }
      expect(fs.existsSync(path.join(dir, 'checkpoint.json'))).toBe(false);
    },
  );

  diskTest(
    diskName('a checkpoint that no longer fits leaves the previous one intact, and --resume continues from it'),
    () => {
      // Fill the disk after a first run has checkpointed, then resume: the next checkpoint write fails, the old one
      // stays.
      const dir = path.join(mnt, 'resume');
      expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '4']).code).toBe(0);
      const before = fs.readFileSync(path.join(dir, 'checkpoint.json'));
      const filler = path.join(mnt, 'filler');
      spawnSync('sh', ['-c', `dd if=/dev/zero of=${filler} bs=1k count=1000 2>/dev/null`]);
      const r = rnnlab(['train', '--resume', '--out', dir]);
      expectCleanError(r, /no space left on the device/);
      expect(fs.readFileSync(path.join(dir, 'checkpoint.json')).equals(before)).toBe(true);
      fs.rmSync(filler);
      expect(rnnlab(['train', '--resume', '--out', dir]).code).toBe(0);
    },
  );

  diskTest(diskName('import-keras and plot-task onto a full disk fail and leave no partial file'), () => {
    const filler = path.join(mnt, 'filler2');
    spawnSync('sh', ['-c', `dd if=/dev/zero of=${filler} bs=1k count=1000 2>/dev/null`]);
    try {
      expectCleanError(
        rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', path.join(mnt, 'and.json')]),
        /no space left on the device/,
      );
      expect(fs.existsSync(path.join(mnt, 'and.json'))).toBe(false);
      expectCleanError(rnnlab(['plot-task', 'ff', '--out', path.join(mnt, 'ff.png')]), /no space left on the device/);
      expect(fs.existsSync(path.join(mnt, 'ff.png'))).toBe(false);
      expect(fs.readdirSync(mnt).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      fs.rmSync(filler, { force: true });
    }
  });
});

describe('a read-only filesystem', () => {
  const mnt = mountedTmpfs('read-only', 'ro,size=64k');

  diskTest(
    diskName('is named as such, also for a folder to create below it (issue 27: it read "no such file")'),
    () => {
      for (const out of [mnt, path.join(mnt, 'run', 'deeper')]) {
        const r = rnnlab(['train', '--task', 'and', '--size', '8', '--trials', '16', '--epochs', '1', '--out', out]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/rnnlab: error: cannot write to run directory ".*": read-only filesystem/);
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Checkpoints

describe('checkpoints are verified before a resume', () => {
  function halfRun(name: string): string {
    const dir = path.join(tmp, name);
    expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '6']).code).toBe(0);
    return dir;
  }
  const ckOf = (dir: string) => path.join(dir, 'checkpoint.json');

  test('a changed digit in the weights is refused by the checksum', () => {
    const dir = halfRun('digit');
    const text = fs.readFileSync(ckOf(dir), 'utf8');
    const i = text.indexOf('"W_rec":[[') + 12;
    const j = text.slice(i).search(/[1-8]/) + i;
    fs.writeFileSync(ckOf(dir), text.slice(0, j) + String(Number(text[j]) + 1) + text.slice(j + 1));
    expectCleanError(
      rnnlab(['train', '--resume', '--out', dir]),
      /checkpoint .*: its SHA-256 does not match its content.*cannot be resumed from/,
    );
  });

  test('a truncated checkpoint is refused as invalid JSON', () => {
    const dir = halfRun('truncated');
    const text = fs.readFileSync(ckOf(dir), 'utf8');
    fs.writeFileSync(ckOf(dir), text.slice(0, text.length >> 1));
    expectCleanError(rnnlab(['train', '--resume', '--out', dir]), /checkpoint .* is not valid JSON/);
  });

  test('a missing section, re-sealed so the checksum passes, is named', () => {
    const dir = halfRun('section');
    const { sha256: _s, ...payload } = JSON.parse(fs.readFileSync(ckOf(dir), 'utf8')) as TrainCheckpoint;
    delete (payload as Partial<TrainCheckpoint>).adam;
    fs.writeFileSync(ckOf(dir), JSON.stringify(sealCheckpoint(payload as TrainCheckpoint)));
    expectCleanError(rnnlab(['train', '--resume', '--out', dir]), /the "adam" section is missing/);
  });

  test('a checkpoint from another run (other seed) is refused: it does not belong to this run directory', () => {
    const a = halfRun('belongs-a');
    const b = path.join(tmp, 'belongs-b');
    expect(rnnlab(['train', ...small, '--seed', '9', '--out', b, '--max-steps', '6']).code).toBe(0);
    fs.copyFileSync(ckOf(a), ckOf(b));
    expectCleanError(rnnlab(['train', '--resume', '--out', b]), /does not belong to this run/);
  });

  test(
    'a flag that would change the recipe is refused on --resume; --clip is applied from the next update and ' +
      'recorded',
    () => {
      const dir = halfRun('flags');
      expectCleanError(
        rnnlab(['train', '--resume', '--out', dir, '--lr', '0.1', '--size', '30']),
        /(--lr, --size|--size, --lr) would change the recipe .* refused/,
      );
      const r = rnnlab(['train', '--resume', '--out', dir, '--clip', '0.5']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/gradient clipping at norm 0\.5 from update 7 on \(was off\)/);
      const recipe = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
      expect(recipe.amendments).toEqual([{ step: 6, clipNorm: 0.5, previous: 0 }]);
      expect(recipe.train.clipNorm).toBe(0.5);
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Writers and paths

describe('one writer per run directory, and output paths', () => {
  test(
    'a second trainer on the same --out refuses at once while the first runs; the first finishes ' + 'intact',
    async () => {
      const dir = path.join(tmp, 'two-writers');
      const first = spawn(
        process.execPath,
        [
          path.join(ROOT, 'cli', 'bin.js'),
          'train',
          '--task',
          'and',
          '--size',
          '100',
          '--trials',
          '1600',
          '--batch',
          '16',
          '--epochs',
          '3',
          '--out',
          dir,
        ],
        { stdio: 'ignore' },
      );
      const exited = new Promise<number>((res) => first.on('exit', (c) => res(c ?? -1)));
      for (let i = 0; i < 200 && !fs.existsSync(path.join(dir, '.lock')); i++)
        await new Promise((r) => setTimeout(r, 50));
      const second = rnnlab(['train', ...small, '--out', dir]);
      // "At once" means: the refusal came while the first writer still held the run, not after waiting for it.
      expect(first.exitCode).toBeNull();
      expectCleanError(
        second,
        new RegExp(
          `${dir.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&')} is in use by another rnnlab process \\(pid ${first.pid}`,
        ),
      );
      expect(await exited).toBe(0);
      expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
      expect(loadModel(path.join(dir, 'model.json')).model.config.nRec).toBe(100);
    },
  );

  test('a stale lock (its process is gone) is explained and taken over; leftover temporary files are removed', () => {
    const dir = path.join(tmp, 'stale');
    expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '4']).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    fs.writeFileSync(
      path.join(dir, '.lock'),
      JSON.stringify({ pid: Number(dead), host: os.hostname(), since: '2026-01-01T00:00:00Z' }),
    );
    fs.writeFileSync(path.join(dir, '.checkpoint.json.12345.1700000000000.tmp'), '{"trunc');
    const r = rnnlab(['train', '--resume', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`removing a stale lock \\(pid ${dead} on .* no longer runs`));
    expect(r.stderr).toMatch(
      /removed 1 temporary file\(s\) left by an interrupted writer: \.checkpoint\.json\.12345\.1700000000000\.tmp/,
    );
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === '.lock')).toEqual([]);
  });

  test.each([
    [['train', ...small, '--out', '/proc/x']],
    [['import-keras', 'spec/fixtures/keras/and_trained.hdf5', '--out', '/proc/x/m.json']],
    [['paper', '--scale', 'tiny', '--out', '/proc/x']],
    [['plot-task', 'and', '--out', '/sys/x.png']],
  ])('%j fails before any work, naming the pseudo-filesystem', (args) => {
    const r = rnnlab(args);
    expectCleanError(r, /is inside \/(proc|sys), a pseudo-filesystem/);
    expect(r.stderr + r.stdout).not.toMatch(/epoch \d|loss/); // refused before the first update
  });

  test('report refuses a symlinked report folder instead of writing through it', () => {
    const run = trainedRun('symlinked');
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
    fs.symlinkSync(elsewhere, path.join(run, 'report'));
    expectCleanError(
      rnnlab(['report', run]),
      /report folder ".*report" is a symbolic link .* refusing to write through it/,
    );
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Sizes, numbers, precision, files

describe('impossible sizes fail at once with an estimate', () => {
  test.each([
    [['train', '--task', 'and', '--size', '1000000000', '--out', 'x'], /N = 1000000000 needs .*parameters/],
    [
      ['train', '--task', 'and', '--trials', '1000000000', '--out', 'x'],
      /training 1000000000 trials of 200 steps at N = 50 needs .*(WebAssembly|one array holds|this machine has)/,
    ],
    [
      ['train', '--task', 'and', '--param', 'memGap=1000000', '--out', 'x'],
      /training 15000 trials of 1000180 steps at N = 50 needs .*[\d.]+ (GiB|TiB)/,
    ],
    [['eval', '@model', '--task', 'and', '--trials', '2000000000'], /eval: 2000000000 trials of 200 steps needs/],
    [['plot-task', 'and', '--trials', '1000000000', '--out', 'x.png'], /--trials/],
  ])('%j', (args, message) => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'size-'));
    const r = rnnlab(
      args.map((a) => (a === '@model' ? path.join(trainedRun('for-eval'), 'model.json') : a)),
      cwd,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Invalid typed array length|heap limit|\n\s+at /);
    expect(fs.existsSync(path.join(cwd, 'x'))).toBe(false);
  });

  test('a model file claiming nRec = 1e9 is refused with the size it would need', () => {
    const f = path.join(tmp, 'huge.json');
    fs.writeFileSync(
      f,
      JSON.stringify({
        format: 'rnnlab-model',
        version: 1,
        config: { nIn: 2, nRec: 1e9, nOut: 1 },
        init: null,
        params: {},
        recMask: null,
        meta: {},
      }),
    );
    expectCleanError(rnnlab(['eval', f, '--task', 'and']), /N = 1000000000 needs/);
  });
});

test('dynamics on a model whose weights overflow is an error, not a printed Infinity or NaN', () => {
  const src = path.join(tmp, 'and04.json');
  expect(rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', src]).code).toBe(0);
  const m = JSON.parse(fs.readFileSync(src, 'utf8'));
  m.params.W_rec = m.params.W_rec.map((row: number[]) => row.map((w) => w * 1e306));
  // Edited by hand, so written as an unsealed version-1 file (a sealed one would be refused by its checksum first).
  delete m.sha256;
  m.version = 1;
  fs.writeFileSync(path.join(tmp, 'overflow.json'), JSON.stringify(m));
  const r = rnnlab(['dynamics', path.join(tmp, 'overflow.json'), '--task', 'and']);
  expect(r.code).toBe(1);
  expect(r.stdout).not.toMatch(/Infinity|NaN/);
  expect(r.stderr).toMatch(
    new RegExp(
      String.raw`rnnlab: error: cannot analyse .*overflow\.json: .*largest \|W_rec\| entry [\d.]+e\+30\d; ` +
        'weights this large overflow the computation',
    ),
  );
});

test('audit on a float32 gpu.js backend is refused with the reason, not reported as a failed gradient', () => {
  expectCleanError(
    rnnlab(['audit', '--backend', 'gpujs:cpu']),
    /gpujs:cpu computes in float32, whose rounding alone exceeds that/,
  );
});

test('a truncated HDF5 file is refused with the offsets, even when its weights lie before the cut', () => {
  const bytes = fs.readFileSync(fixturePath('keras/and_trained.hdf5'));
  // Cut a few hundred bytes off the end: the weights are still readable, but the file is not whole.
  const f = path.join(tmp, 'cut.hdf5');
  fs.writeFileSync(f, bytes.subarray(0, bytes.length - 300));
  expectCleanError(
    rnnlab(['import-keras', f, '--out', path.join(tmp, 'cut.json')]),
    new RegExp(
      `is truncated: its HDF5 superblock \\(byte 0\\) says the file ends at byte ${bytes.length}, but it has ` +
        `${bytes.length - 300} bytes`,
    ),
  );
  const g = path.join(tmp, 'not.hdf5');
  fs.writeFileSync(g, 'not hdf5 at all');
  expectCleanError(
    rnnlab(['import-keras', g, '--out', path.join(tmp, 'not.json')]),
    /is not an HDF5 file: no HDF5 signature at byte 0, 512, 1024/,
  );
});

test('terminal control sequences in run.json are neutralised before printing', () => {
  const dir = path.join(tmp, 'escapes');
  expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '2']).code).toBe(0);
  const recipe = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
  recipe.task = 'and\u001b]0;pwned\u0007\u001b[2J';
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(recipe));
  const r = rnnlab(['report', dir]);
  expect(r.code).toBe(1);
  // eslint-disable-next-line no-control-regex -- the control characters are what must not come through
  expect(r.stderr + r.stdout).not.toMatch(/[\u001b\u0007]/);
  expect(r.stderr).toMatch(/rnnlab: error: .*and\ufffd\]0;pwned/);
});

// ---------------------------------------------------------------------------------------------------------------
// kill -9 at random moments (checkpoints every update, so many kills land inside a checkpoint write)

test(
  'kill -9 at random moments, then --resume until done: the weights equal an uninterrupted run bit for ' + 'bit',
  async () => {
    const args = [...SMALL_TRAIN, '--size', '32', '--trials', '640', '--checkpoint-every', '1'];
    const ref = path.join(tmp, 'kill-ref');
    const t0 = Date.now();
    expect(rnnlab(['train', ...args, '--out', ref]).code).toBe(0);
    const whole = Date.now() - t0;
    const dir = path.join(tmp, 'kill');
    const rng = new Rng(2026);
    let kills = 0;
    for (let round = 0; round < 60; round++) {
      const resumable = fs.existsSync(path.join(dir, 'checkpoint.json'));
      // Killed before its first checkpoint: nothing to resume, start the run again from scratch.
      if (!resumable) fs.rmSync(dir, { recursive: true, force: true });
      const cmd = resumable ? ['train', '--resume', '--out', dir] : ['train', ...args, '--out', dir];
      const child = spawn(process.execPath, [path.join(ROOT, 'cli', 'bin.js'), ...cmd], { stdio: 'ignore' });
      const code = await new Promise<number | string>((res) => {
        // Kill at a random moment after start-up, within a fifth of a whole run (so each life makes a little progress,
        // and with a checkpoint after every update many kills land inside a checkpoint write); after 8 kills let it
        // finish.
        const timer =
          kills < 8
            ? setTimeout(
                () => child.kill('SIGKILL'),
                Math.floor(500 + rng.uniform() * 0.2 * Math.max(whole - 500, 500)),
              )
            : null;
        child.on('exit', (c, sig) => {
          if (timer) clearTimeout(timer);
          res(sig ?? c ?? -1);
        });
      });
      if (code === 'SIGKILL') {
        kills++;
        continue;
      }
      expect(code).toBe(0);
      if (fs.existsSync(path.join(dir, 'model.json'))) break;
    }
    expect(kills).toBeGreaterThanOrEqual(6);
    const a = loadModel(path.join(ref, 'model.json')).model.params.flat;
    const b = loadModel(path.join(dir, 'model.json')).model.params.flat;
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp') || f === '.lock')).toEqual([]);
  },
  400000,
);
