/** `rnnlab paper` as a cluster user drives it: --list, --shard, SIGTERM, --merge, --slurm. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { ROOT, rnnlab } from './helpers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-cli-paper-'));

test('--list prints every job in plan order with its cost and the total in core-hours', () => {
  const r = rnnlab(['paper', '--scale', 'medium', '--list', '--shard-count', '4']);
  expect(r.code).toBe(0);
  const rows = r.stdout.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('id\t'));
  // Diversity 6 tasks × 2 inits × 5 and AND 2 × 20, the noise-free AND control 2 × 10, the training-time pulse
  // generator at 25 ms × 12, delay 7 × 20, size 6 × 12 (its N = 50 point is 12 of the delay sweep's 150 ms
  // networks), and the large AND networks 2 × 3: 60 + 40 + 20 + 12 + 140 + 72 − 12 + 6.
  expect(rows).toHaveLength(338);
  expect(rows[0]).toMatch(/^and-inputNoise0\.1-N50-normal-s1\tdiversity\t50\t200\t\d+\t[0-3]$/);
  expect(rows[rows.length - 1]).toMatch(/^and-inputNoise0\.1-N500-orthogonal-s3\tlarge\t500\t200\t\d+\t[0-3]$/);
  expect(r.stdout).toMatch(/# total: \d+\.\d core-hours/);
  expect(rnnlab(['paper', '--scale', 'medium', '--list']).stdout).toBe(
    rnnlab(['paper', '--scale', 'medium', '--list']).stdout,
  );
});

test('bad cluster options get one clear line', () => {
  for (const [args, msg] of [
    [['--shard', '3/3'], /shard 3 does not exist in 3 shards/],
    [['--shard', 'slurm'], /SLURM_ARRAY_TASK_ID/],
    [['--merge', '--list'], /cannot be combined/],
    [['--partial'], /--partial goes with --merge/],
    [['--replay-best', 'x', '--merge'], /--merge, --replay-best cannot be combined/],
    [['--replay-best', ' , '], /--replay-best needs network ids or 'diverged'/],
    [['--replay-best', '../jobs/x'], /"\.\.\/jobs\/x" is not a network of the tiny scale/],
    [['--replay-best', 'and-inputNoise0.1-N16-normal-s1'], /and-inputNoise0\.1-N16-normal-s1 has no valid record/],
  ] as const) {
    const r = rnnlab(['paper', '--scale', 'tiny', '--out', tmp(), ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  const dir = tmp();
  const m = rnnlab(['paper', '--scale', 'tiny', '--out', dir, '--merge']);
  expect(m.code).toBe(1);
  expect(m.stderr).toMatch(/networks have no valid record.*pulse-memGap150-N8-orthogonal-s1/);
});

test(
  'SIGTERM checkpoints the running network and exits 75; the same command then finishes with the same ' + 'results',
  async () => {
    const dir = tmp();
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'cli', 'bin.js'), 'paper', '--scale', 'tiny', '--out', dir, '--shard', '0/2', '--workers', '1'],
      { env: { ...process.env, RNNLAB_FAULT_STEP_DELAY_MS: '40' } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number>((res) => child.on('exit', (code) => res(code ?? -1)));
    const ck = path.join(dir, 'checkpoints');
    const hasCheckpoint = () =>
      fs.existsSync(ck) && fs.readdirSync(ck).some((d) => fs.existsSync(path.join(ck, d, 'checkpoint.json')));
    for (let i = 0; i < 400 && !hasCheckpoint(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(hasCheckpoint()).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(75);
    expect(stderr).toMatch(/SIGTERM: checkpointing/);
    expect(rnnlab(['paper', '--scale', 'tiny', '--out', dir, '--shard', '0/2']).code).toBe(0);
    expect(rnnlab(['paper', '--scale', 'tiny', '--out', dir, '--shard', '1/2']).code).toBe(0);
    const merged = rnnlab(['paper', '--scale', 'tiny', '--out', dir, '--merge']);
    expect(merged.code).toBe(0);
    const ref = tmp();
    expect(rnnlab(['paper', '--scale', 'tiny', '--out', ref]).code).toBe(0);
    const science = (d: string) => {
      const { timing: _timing, ...rest } = JSON.parse(fs.readFileSync(path.join(d, 'results.json'), 'utf8'));
      return rest;
    };
    expect(science(dir)).toEqual(science(ref));
  },
);

test('--slurm writes the array and merge scripts and prints the sbatch commands', () => {
  const dir = tmp();
  const r = rnnlab([
    'paper',
    '--scale',
    'medium',
    '--out',
    dir,
    '--slurm',
    '--array-size',
    '12',
    '--cpus-per-task',
    '4',
    '--max-concurrent',
    '3',
    '--partition',
    'debug',
  ]);
  expect(r.code).toBe(0);
  const arr = fs.readFileSync(path.join(dir, 'slurm', 'paper.sbatch'), 'utf8');
  expect(arr).toMatch(/^#SBATCH --array=0-11%3$/m);
  expect(arr).toContain('--shard slurm');
  expect(r.stdout).toContain(`sbatch --parsable ${path.join(dir, 'slurm', 'paper.sbatch')}`);
  expect(r.stdout).toContain('--dependency=afterok:$jid');
});

// The full plan's list (≈ 80 kB) overflows the pipe's buffer, so the write after head exits does fail with EPIPE.
test('a reader that stops early (--list | head -1) ends the command quietly, without a stack trace', () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" cli/bin.js paper --scale full --list | head -1`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.stdout).toMatch(/^# 1232 jobs of scale full/);
  expect(r.stderr).toBe('');
});
