/**
 * `--json` on every command (issue 27): stdout is exactly one JSON document `{ "command": …, … }` with the fields
 * docs/cli.md lists, human progress stays on stderr, and strings from files stay data (a direction mark in a path is
 * a \u escape in the document, never the raw character).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixturePath } from '../helpers/fixtures';
import { rnnlab, SMALL_TRAIN } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-json-'));
/** A folder whose name holds U+202E (right-to-left override): what a hostile file name would put on a terminal. */
const odd = path.join(tmp, 'run\u202Egnp.json');
const run = path.join(odd, 'run');
const model = path.join(run, 'model.json');

function json(args: string[]): Record<string, any> {
  const r = rnnlab([...args, '--json']);
  if (r.code !== 0) throw new Error(`rnnlab ${args.join(' ')} --json failed: ${r.stderr}`);
  expect(r.stdout).not.toContain('\u202E');
  return JSON.parse(r.stdout);
}

beforeAll(() => fs.mkdirSync(odd));

test('train: one document, the run and its evaluation', () => {
  const t = json(['train', ...SMALL_TRAIN, '--out', run]);
  expect(t).toMatchObject({ command: 'train', finished: true, task: 'and', epochs: 3, updates: 18, model });
  expect(t.evaluation).toMatchObject({ trials: 200, accuracy: expect.any(Number), loss: expect.any(Number) });
});

test('eval, report, dynamics, degeneracy, audit, plot-task', () => {
  expect(json(['eval', model, '--trials', '50'])).toMatchObject({ command: 'eval', model, task: 'and', trials: 50 });
  const rep = json(['report', run]);
  expect(rep).toMatchObject({ command: 'report', page: path.join(run, 'report', 'index.html') });
  expect(rep.figures.every((f: string) => fs.existsSync(f))).toBe(true);
  const dyn = json(['dynamics', model]);
  expect(dyn).toMatchObject({
    command: 'dynamics',
    model,
    options: expect.any(Object),
    spectralRadius: expect.any(Number),
  });
  const deg = json(['degeneracy', model, model, '--trials', '4']);
  expect(deg).toMatchObject({ command: 'degeneracy', files: [model, model], networks: 2 });
  const au = json(['audit', '--max-entries', '4']);
  expect(au).toMatchObject({ command: 'audit', passed: true, terms: expect.any(Array) });
  const fig = path.join(tmp, 'ff.svg');
  expect(json(['plot-task', 'ff', '--out', fig])).toEqual({ command: 'plot-task', task: 'ff', trials: 4, figure: fig });
});

test('import-keras, import-psychrnn, export-psychrnn, paper --list', () => {
  const k = json(['import-keras', fixturePath('keras/and_trained.hdf5'), '--out', path.join(tmp, 'k.json')]);
  expect(k).toMatchObject({ command: 'import-keras', model: path.join(tmp, 'k.json'), config: { nRec: 50 } });
  const p = json([
    'import-psychrnn',
    fixturePath('psychrnn/basic_dale_masks.npz'),
    '--alpha',
    '0.2',
    '--out',
    path.join(tmp, 'p.json'),
  ]);
  expect(p).toMatchObject({ command: 'import-psychrnn', ignored: ['W_rec/Adam', 'W_rec/Adam_1', 'transfer_function'] });
  const e = json(['export-psychrnn', path.join(tmp, 'p.json'), '--out', path.join(tmp, 'p.npz')]);
  expect(e).toMatchObject({ command: 'export-psychrnn', dtype: 'float32', psychrnnNeeds: { alpha: 0.2 } });
  const l = json(['paper', '--scale', 'tiny', '--list']);
  expect(l).toMatchObject({ command: 'paper', mode: 'list', scale: 'tiny' });
  expect(l.jobs.length).toBeGreaterThan(5);
});

test('tasks: every task with its parameters, defaults and source, as text and as one document', () => {
  const t = json(['tasks']);
  expect(t.command).toBe('tasks');
  const names = t.tasks.map((x: { name: string }) => x.name);
  expect(names).toEqual(expect.arrayContaining(['and', 'xor', 'ff', 'osc', 'pulse', 'pulse-root']));
  const pulse = t.tasks.find((x: { name: string }) => x.name === 'pulse');
  expect(pulse).toMatchObject({ inputs: ['A'], outputs: ['y'], conditions: ['no-pulse', 'pulse'], steps: 300 });
  expect(pulse.defaults).toMatchObject({ memGap: 20, noise: 0.03, trialMs: 300 });
  expect(pulse.source).toMatch(/Jarne & Laje/);
  const text = rnnlab(['tasks']);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^pulse: Timed pulse \(figure-time generator\)/m);
  expect(text.stdout.split('\n').filter((l) => /^\S+: /.test(l))).toHaveLength(names.length);
});
