/** The rnnlab command end to end, in child processes, as a user runs it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { weightsSha256 } from '@rnnlab/engine';
import { loadModel } from '@rnnlab/engine/node';
import { fixturePath } from '../helpers/fixtures';
import { rnnlab, SMALL_TRAIN } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-cli-'));
const small = SMALL_TRAIN;

test('train writes a run directory and prints a one-line summary with accuracy', () => {
  const dir = path.join(tmp, 'full');
  const r = rnnlab(['train', ...small, '--out', dir]);
  expect(r.stderr).toContain('training and');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    new RegExp(
      String.raw`^and: finished after 3 epochs / 18 updates in [\d.]+ s \(wasm-simd(\+fma)?, gradient per-product\); ` +
        String.raw`final epoch loss [\d.e+-]+; on 200 fresh trials accuracy [\d.]+% .*model .*model.json ` +
        String.raw`\(weights SHA-256 [0-9a-f]{64}\)\n$`,
    ),
  );
  for (const f of ['run.json', 'initial.json', 'checkpoint.json', 'model.json'])
    expect(fs.existsSync(path.join(dir, f))).toBe(true);
  // the digest printed is that of the weights saved (the lab compares it with the page's)
  const printed = /weights SHA-256 ([0-9a-f]{64})/.exec(r.stdout)![1];
  expect(weightsSha256(loadModel(path.join(dir, 'model.json')).model)).toBe(printed);
});

test.each(['gpujs:webgpu', 'gpujs:webasm'])(
  'train --backend %s trains through one gpu.js pipeline per step, and resumes to the same bits',
  (backend) => {
    const full = path.join(tmp, `${backend.replace(':', '-')}-full`),
      dir = path.join(tmp, `${backend.replace(':', '-')}-resumed`);
    const r = rnnlab(['train', ...small, '--backend', backend, '--out', full]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`\\(${backend}, gradient gpu\\.js pipeline \\((fused-encoder|fused-threaded|fused-sync)\\)\\)`),
    );
    expect(rnnlab(['train', ...small, '--backend', backend, '--out', dir, '--max-steps', '7']).code).toBe(0);
    expect(rnnlab(['train', '--resume', '--out', dir]).code).toBe(0);
    const a = loadModel(path.join(full, 'model.json')).model.params.flat;
    const b = loadModel(path.join(dir, 'model.json')).model.params.flat;
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  },
);

test(
  'a run stopped part-way (like a killed one) and resumed ends with exactly the weights of an uninterrupted ' + 'run',
  () => {
    const full = path.join(tmp, 'full-ref');
    expect(rnnlab(['train', ...small, '--out', full]).code).toBe(0);
    const dir = path.join(tmp, 'interrupted');
    const first = rnnlab(['train', ...small, '--out', dir, '--max-steps', '7']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`continue with: rnnlab train --resume --out ${dir}`);
    expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(false);
    const second = rnnlab(['train', '--resume', '--out', dir]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('resuming');
    expect(second.stderr).not.toContain('warning');
    const a = loadModel(path.join(full, 'model.json')).model.params.flat;
    const b = loadModel(path.join(dir, 'model.json')).model.params.flat;
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  },
);

test('resuming on another build (e.g. no relaxed SIMD there) says so, lists both builds and continues', () => {
  const dir = path.join(tmp, 'other-build');
  expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '3']).code).toBe(0);
  const recipeFile = path.join(dir, 'run.json');
  const recipe = JSON.parse(fs.readFileSync(recipeFile, 'utf8'));
  // run.json names the build that trained it (engine/kernels/provenance.ts)
  expect(recipe.kernelBuilds).toHaveLength(1);
  expect(recipe.kernelBuilds[0]).toMatchObject({ backend: expect.stringMatching(/^wasm-simd/), engine: /@rnnlab/ });
  expect(recipe.kernelBuilds[0].kernel).toMatch(/module sha256:[0-9a-f]{16}$/);
  recipe.kernelBuilds[0] = { ...recipe.kernelBuilds[0], kernel: 'wasm-simd module sha256:0123456789abcdef' };
  fs.writeFileSync(recipeFile, JSON.stringify(recipe));
  const r = rnnlab(['train', '--resume', '--out', dir]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(
    new RegExp(
      String.raw`warning: this run resumes on another build \(kernel "wasm-simd module sha256:0123456789abcdef" ` +
        String.raw`there, .*\); it continues, but not bit-exactly .*run.json lists both builds`,
    ),
  );
  expect(JSON.parse(fs.readFileSync(recipeFile, 'utf8')).kernelBuilds).toHaveLength(2);
  expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
});

test('a run made before runs named their build: its backend name is compared', () => {
  const dir = path.join(tmp, 'unnamed-build');
  expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '3']).code).toBe(0);
  const recipeFile = path.join(dir, 'run.json');
  const { kernelBuilds: _drop, ...recipe } = JSON.parse(fs.readFileSync(recipeFile, 'utf8'));
  recipe.backend = 'wasm-simd (another machine)';
  fs.writeFileSync(recipeFile, JSON.stringify(recipe));
  const r = rnnlab(['train', '--resume', '--out', dir]);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(
    /warning: this run resumes on another build \(backend "wasm-simd \(another machine\)" there/,
  );
});

test('a checkpoint is a complete JSON file at every moment (written by rename), never a partial one', () => {
  const dir = path.join(tmp, 'ck');
  expect(rnnlab(['train', ...small, '--out', dir, '--max-steps', '5']).code).toBe(0);
  const ck = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
  expect(ck.format).toBe('rnnlab-checkpoint');
  expect(ck.adam.step).toBe(5);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('eval, audit and import-keras work on real inputs', () => {
  const model = path.join(tmp, 'and.json');
  const imp = rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', model]);
  expect(imp.code).toBe(0);
  expect(imp.stdout).toContain('Keras 2.0.6, N=50, 2 input(s), bias off');
  const ev = rnnlab(['eval', model, '--task', 'and', '--trials', '100', '--param', 'inputNoise=0.1', '--json']);
  expect(ev.code).toBe(0);
  expect(JSON.parse(ev.stdout).accuracy).toBeGreaterThanOrEqual(0.95);
  const au = rnnlab(['audit']);
  expect(au.code).toBe(0);
  const m = /max relative error over all checked entries: ([\d.e+-]+)/.exec(au.stdout);
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeLessThan(1e-6);
  expect(au.stdout).toMatch(/W_rec\s+\d+\s+\d+\s+64\/64/);
});

describe.each([
  ['an unknown task', ['train', '--task', 'nand'], /rnnlab: error: unknown task "nand"/],
  ['a bad number', ['train', '--size', 'ten'], /rnnlab: error: --size expects a number, got "ten"/],
  ['a fractional size', ['train', '--size', '2.5'], /--size expects a whole number/],
  ['a bad task parameter', ['train', '--param', 'memGap=x'], /--param memGap expects a number/],
  ['an unknown task parameter', ['train', '--param', 'delay=5'], /task "and" has no parameter "delay"/],
  [
    'an unreadable model',
    ['eval', '/nonexistent/model.json', '--task', 'and'],
    /cannot read model file "\/nonexistent\/model.json": no such file/,
  ],
  ['a corrupt model', ['eval', __filename, '--task', 'and'], /is not valid JSON/],
  [
    'a non-HDF5 Keras file',
    ['import-keras', __filename, '--out', '/tmp/x.json'],
    /is not an HDF5 file: no HDF5 signature at byte 0/,
  ],
  ['resume without a run', ['train', '--resume', '--out', '/nonexistent/run'], /cannot read run recipe/],
])('%s', (_label, args, message) => {
  test('exits non-zero (2 for a usage error, 1 at run time) with a one-line message and no stack trace', () => {
    const r = rnnlab(args);
    // A value no option can take is a usage error, as commander's own are; a failure while working exits 1.
    expect(r.code).toBe(/expects a (whole )?number/.test(message.source) ? 2 : 1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test('a diverging run says so and exits non-zero, keeping the last good checkpoint', () => {
  const dir = path.join(tmp, 'diverge');
  const r = rnnlab([
    'train',
    '--task',
    'and',
    '--size',
    '12',
    '--trials',
    '64',
    '--batch',
    '64',
    '--epochs',
    '50',
    '--lr',
    '1e3',
    '--adam',
    'pytorch',
    '--dtype',
    'float32',
    '--checkpoint-every',
    '1',
    '--out',
    dir,
  ]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/rnnlab: error: training diverged: the (loss|gradient norm) is (NaN|Infinity)/);
  const ck = JSON.parse(fs.readFileSync(path.join(dir, 'checkpoint.json'), 'utf8'));
  expect(ck.adam.step).toBeGreaterThan(0);
  expect(ck.model.params.W_rec.flat().every((v: unknown) => typeof v === 'number')).toBe(true);
});

test('commander usage errors exit with status 2', () => {
  const r = rnnlab(['train', '--init', 'bogus']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/error: option '--init <kind>' argument 'bogus' is invalid/);
});

test.each(['svg', 'png'])('plot-task draws trials of a task to %s', (ext) => {
  const file = path.join(tmp, `ff.${ext}`);
  const r = rnnlab(['plot-task', 'ff', '--trials', '2', '--out', file]);
  expect(r.code).toBe(0);
  const head = fs.readFileSync(file).subarray(0, 4).toString('latin1');
  expect(head).toBe(ext === 'svg' ? '<svg' : '\x89PNG');
  expect(rnnlab(['plot-task', 'ff', '--out', path.join(tmp, 'x.gif')]).stderr).toMatch(
    /--out must end in .svg or .png/,
  );
});

test("dynamics reads the authors' AND #04 network as paper-spec §4.2 records it", () => {
  const model = path.join(tmp, 'and04.json');
  expect(rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', model]).code).toBe(0);
  const r = rnnlab(['dynamics', model, '--task', 'and']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('λ* = 1.1040+0.0000i (real), 6 eigenvalues outside the unit circle');
  expect(r.stdout).toMatch(/after 10: oscillation \(period [\d.]+ steps\)/);
  expect(r.stdout).toMatch(/after 11: fixed-point, output 1\.0\d\d/);
  expect(r.stdout).toMatch(/fixed points found: \d+ \(\d+ stable\)/);
});

test(
  'degeneracy: a model against itself is 0 at every level; against a trained network it is not; one model is ' +
    'refused',
  () => {
    const a = path.join(tmp, 'deg-and04.json');
    expect(rnnlab(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', a]).code).toBe(0);
    const b = path.join(tmp, 'deg-small');
    expect(rnnlab(['train', ...small, '--size', '50', '--out', b]).code).toBe(0);
    const r = rnnlab(['degeneracy', a, a, path.join(b, 'model.json'), '--task', 'and', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.pairs).toHaveLength(3);
    const self = d.pairs.find((p: { a: number; b: number }) => p.a === 0 && p.b === 1);
    expect([self.behaviour, self.dynamics, self.weights]).toEqual([0, expect.any(Number), 0]);
    expect(Math.abs(self.dynamics)).toBeLessThan(1e-12);
    expect(d.pairs.find((p: { a: number; b: number }) => p.b === 2).weights).toBeGreaterThan(0.5);
    const one = rnnlab(['degeneracy', a, '--task', 'and']);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain('rnnlab: error: degeneracy compares two or more models');
  },
);

test('--keep-epochs all keeps every epoch; best makes model.json the epoch with the lowest training loss', () => {
  const all = path.join(tmp, 'keep-all');
  expect(rnnlab(['train', ...small, '--out', all, '--keep-epochs', 'all']).code).toBe(0);
  const files = fs.readdirSync(path.join(all, 'epochs')).sort();
  expect(files).toEqual(['epoch-001.json', 'epoch-002.json', 'epoch-003.json']);
  const last = loadModel(path.join(all, 'epochs', 'epoch-003.json')).model.params.flat;
  expect(
    Buffer.from(loadModel(path.join(all, 'model.json')).model.params.flat.buffer).equals(Buffer.from(last.buffer)),
  ).toBe(true);

  // A high learning rate makes the loss curve bumpy, so the best epoch need not be the last.
  const best = path.join(tmp, 'keep-best');
  const r = rnnlab(['train', ...small, '--lr', '0.05', '--epochs', '6', '--out', best, '--keep-epochs', 'best']);
  expect(r.code).toBe(0);
  const history = JSON.parse(fs.readFileSync(path.join(best, 'checkpoint.json'), 'utf8')).history as Array<{
    epoch: number;
    loss: number;
  }>;
  const k = history.reduce((b, h) => (h.loss < b.loss ? h : b)).epoch;
  const saved = loadModel(path.join(best, 'model.json'));
  const epochFile = loadModel(path.join(best, 'epochs', `epoch-${String(k).padStart(3, '0')}.json`)).model.params.flat;
  expect(Buffer.from(saved.model.params.flat.buffer).equals(Buffer.from(epochFile.buffer))).toBe(true);
  expect(k).not.toBe(6); // with these seeds the best epoch is an earlier one (4), so the restore path is exercised
  expect(saved.meta.restoredBestEpoch).toBe(k);
});
