/**
 * The hostile-input probe (issue 27) as a script a reviewer can run: `npm run probe` (or `npx tsx spec/faults/probe.ts
 * [--json]`). It builds hostile inputs in a fresh temporary folder — damaged model, checkpoint and Keras files, JSON
 * attacks, odd paths and special files, bad arguments and cluster variables — runs the real `rnnlab` command on each,
 * and classifies every case:
 *
 *   clear    exit 1 (runtime) or 2 (usage), exactly one "rnnlab: error:" line, no stack trace, no JavaScript
 *            internals in the message, within the time limit, and every input file unchanged
 *   accepted the case is one rnnlab should accept (a control) and it exited 0
 *   unclear  anything else: the case, what happened, and why it is not clear
 *
 * It prints one line per case and a summary, and exits 1 when any case is unclear. spec/faults/probe.spec.ts runs it
 * in CI. Each case names the finding of the probe that motivated it where there was one.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'spec', 'fixtures', 'keras', 'and_trained.hdf5');
const INTERNALS = /TypeError|ReferenceError|is not a function|is not iterable|Cannot read propert|undefined|\[object /;

export interface ProbeCase {
  name: string;
  args: string[];
  /** 'refuse' (the default): a clear error; 'accept': exit 0. */
  expect?: 'refuse' | 'accept';
  /** Files the case reads that must be unchanged afterwards. */
  inputs?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface ProbeResult {
  name: string;
  verdict: 'clear' | 'accepted' | 'unclear';
  code: number | null;
  why: string;
  firstLine: string;
}

function digest(file: string): string {
  try {
    // only regular files: reading a pipe or a device here would block or never end
    if (!fs.lstatSync(file).isFile()) return 'not a regular file';
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/** Run one case and judge it. */
export function runCase(c: ProbeCase): ProbeResult {
  const before = (c.inputs ?? []).map(digest);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'cli', 'bin.js'), ...c.args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, RNNLAB_DEBUG: '', ...c.env },
    timeout: c.timeoutMs ?? 60000,
  });
  const stderr = r.stderr ?? '';
  const errors = stderr.split('\n').filter((l) => l.startsWith('rnnlab: error:'));
  const firstLine = (errors[0] ?? stderr.split('\n')[0] ?? '').slice(0, 160);
  const changed = (c.inputs ?? []).filter((f, i) => digest(f) !== before[i]);
  const fail = (why: string): ProbeResult => ({ name: c.name, verdict: 'unclear', code: r.status, why, firstLine });
  if (r.error || r.status === null) return fail(`did not finish (${r.error?.message ?? r.signal})`);
  if (changed.length) return fail(`changed its input ${changed.join(', ')}`);
  if ((c.expect ?? 'refuse') === 'accept')
    return r.status === 0
      ? { name: c.name, verdict: 'accepted', code: 0, why: '', firstLine }
      : fail(`exit ${r.status}, expected 0`);
  if (r.status !== 1 && r.status !== 2) return fail(`exit ${r.status}, expected 1 or 2`);
  if (errors.length !== 1) return fail(`${errors.length} "rnnlab: error:" lines`);
  if (/\n\s+at .+:\d+:\d+/.test(stderr)) return fail('a stack trace');
  if (INTERNALS.test(errors[0])) return fail('JavaScript internals in the message');
  return { name: c.name, verdict: 'clear', code: r.status, why: '', firstLine };
}

/** The hostile inputs, made in `dir`. */
function makeInputs(dir: string): Record<string, string> {
  const f = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  const keras = fs.readFileSync(FIXTURE);
  const flipped = Buffer.from(keras);
  for (let i = 0; i < 64; i++) flipped[(i * 7919 + 4099) % flipped.length] ^= 0xa5;
  const fifo = path.join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);
  const folder = path.join(dir, 'a-folder');
  fs.mkdirSync(folder);
  return {
    empty: f('empty.json', ''),
    truncated: f('truncated.json', '{"format": "rnnlab-model", "version": 2, "config": {"nRec": 5'),
    notObject: f('array.json', '[1, 2, 3]'),
    deep: f('deep.json', `${'['.repeat(100000)}${']'.repeat(100000)}`),
    proto: f('proto.json', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
    nan: f('nan.json', '{"format": "rnnlab-model", "version": 2, "config": {"nRec": NaN}}'),
    bigNumber: f('big.json', '{"format": "rnnlab-model", "version": 2, "config": {"nRec": 1e308}}'),
    controlChars: f('ctrl.json', '{"format": "rnnlab-model\\u202e\\n\\u001b[31mforged", "version": 2}'),
    kerasTruncated: f('truncated.hdf5', keras.subarray(0, Math.floor(keras.length / 2))),
    kerasFlipped: f('flipped.hdf5', flipped),
    kerasNotHdf5: f('text.hdf5', 'not an HDF5 file at all'),
    masksBad: f('masks.json', '{"rec": [1, 0, "x"]}'),
    fifo,
    folder,
  };
}

/** Every case of the probe; `dir` is a fresh folder it may write into. */
export function probeCases(dir: string): ProbeCase[] {
  const x = makeInputs(dir);
  const out = (name: string) => path.join(dir, 'out', name);
  const model = (key: keyof typeof x, name: string): ProbeCase => ({
    name,
    args: ['eval', x[key], '--task', 'and'],
    inputs: [x[key]],
  });
  return [
    model('empty', 'an empty model file'),
    model('truncated', 'a truncated model file'),
    model('notObject', 'a model file that is a JSON array'),
    model('deep', 'deeply nested JSON (probe: "Maximum call stack size exceeded")'),
    model('proto', 'a model file of __proto__ and constructor keys'),
    model('nan', 'NaN in a model file'),
    model('bigNumber', 'nRec = 1e308'),
    model('controlChars', 'control and direction characters in a model file'),
    model('fifo', 'a named pipe as the model (probe: blocked forever)'),
    model('folder', 'a folder as the model'),
    { name: '/dev/zero as the model (probe: std::bad_alloc)', args: ['eval', '/dev/zero', '--task', 'and'] },
    { name: 'a missing model file', args: ['eval', path.join(dir, 'nonexistent.json')] },
    { name: 'a truncated Keras file', args: ['import-keras', x.kerasTruncated, '--out', out('k1.json')] },
    { name: 'a corrupted Keras file', args: ['import-keras', x.kerasFlipped, '--out', out('k2.json')] },
    { name: 'a text file as Keras', args: ['import-keras', x.kerasNotHdf5, '--out', out('k3.json')] },
    {
      name: '/dev/urandom as Keras (probe: read until killed)',
      args: ['import-keras', '/dev/urandom', '--out', out('k4.json')],
    },
    {
      name: 'import-keras over its own input (probe: overwritten)',
      args: ['import-keras', x.kerasTruncated, '--out', x.kerasTruncated],
      inputs: [x.kerasTruncated],
    },
    { name: '--task __proto__', args: ['train', '--task', '__proto__', '--out', out('p1')] },
    { name: '--task constructor', args: ['train', '--task', 'constructor', '--out', out('p2')] },
    { name: '--task toString', args: ['train', '--task', 'toString', '--out', out('p3')] },
    { name: '--param __proto__=1 (probe: dropped silently)', args: ['train', '--param', '__proto__=1'] },
    { name: '--size abc (probe: exit 1)', args: ['train', '--size', 'abc'] },
    { name: '--size 1e9', args: ['train', '--size', '1e9', '--out', out('big')] },
    { name: '--lr -1', args: ['train', '--lr', '-1', '--out', out('lr')] },
    { name: "--out '' (probe: wrote into the current folder)", args: ['train', '--quick', '--out', ''] },
    { name: '--out under /proc', args: ['train', '--quick', '--out', '/proc/rnnlab-probe'] },
    { name: 'an unknown option', args: ['train', '--no-such-option'] },
    { name: 'an unknown command', args: ['no-such-command'] },
    { name: 'a masks file with a string', args: ['train', '--masks', x.masksBad, '--out', out('m')] },
    { name: '--shard 3/3', args: ['paper', '--scale', 'tiny', '--shard', '3/3', '--out', out('s1')] },
    {
      name: '--shard 0/2 with --shard-count 3 (probe: conflict ignored)',
      args: ['paper', '--scale', 'tiny', '--shard', '0/2', '--shard-count', '3', '--out', out('s2')],
    },
    {
      name: 'Slurm task id off the array grid',
      args: ['paper', '--scale', 'tiny', '--shard', 'slurm', '--out', out('s3')],
      env: {
        SLURM_ARRAY_TASK_ID: '3',
        SLURM_ARRAY_TASK_COUNT: '4',
        SLURM_ARRAY_TASK_MIN: '0',
        SLURM_ARRAY_TASK_STEP: '2',
      },
    },
    {
      name: 'a newline in --out of a Slurm script (probe: split an #SBATCH line)',
      args: ['paper', '--scale', 'tiny', '--slurm', '--out', path.join(dir, 'x\n#SBATCH --wrap=touch /tmp/pwned')],
    },
    {
      name: 'shell characters in --partition',
      args: ['paper', '--scale', 'tiny', '--slurm', '--partition', 'a;rm -rf'],
    },
    { name: 'degeneracy of one model', args: ['degeneracy', x.empty] },
    { name: 'report of a missing run (probe: "needs --task")', args: ['report', path.join(dir, 'no-run')] },
    { name: 'control: --version', args: ['--version'], expect: 'accept' },
    { name: 'control: --help', args: ['--help'], expect: 'accept' },
  ];
}

function main(): void {
  const json = process.argv.includes('--json');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-probe-'));
  fs.mkdirSync(path.join(dir, 'out'));
  const results = probeCases(dir).map(runCase);
  const count = (v: ProbeResult['verdict']) => results.filter((r) => r.verdict === v).length;
  if (json) process.stdout.write(`${JSON.stringify({ results }, null, 1)}\n`);
  else {
    for (const r of results)
      process.stdout.write(`${r.verdict.padEnd(8)} ${r.name}${r.why ? ` — ${r.why}` : ''}\n    ${r.firstLine}\n`);
    process.stdout.write(
      `${results.length} cases: ${count('clear')} clear, ${count('accepted')} accepted controls, ` +
        `${count('unclear')} unclear\n`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.exitCode = count('unclear') ? 1 : 0;
}

if (require.main === module) main();
