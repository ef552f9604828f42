/** The field's tasks from the command line: source defaults in the recipe, psychometric curves, clear refusals. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rnnlab } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-field-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const recipe = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, run, 'run.json'), 'utf8'));
/** `rnnlab` with space-separated arguments, `@` standing for the spec's temporary folder. */
const cli = (args: string) => rnnlab(args.split(' ').map((a) => a.replace(/^@/, `${dir}/`)));

test("a Yang task trains with Yang's model unless a flag says otherwise; a NeuroGym task with cross-entropy", () => {
  expect(cli('train --task yang-dm1 --trials 32 --epochs 1 --size 16 --out @y').code).toBe(0);
  const r = recipe('y');
  expect(r.model).toMatchObject({ nRec: 16, activation: 'relu', alpha: 0.2, recurrentBias: true });
  expect(r.model.noiseStd).toBeCloseTo(0.05 * Math.sqrt(10), 12);
  expect(r.init).toMatchObject({ rec: 'orthogonal', gain: 0.5 });
  expect(r.model).not.toHaveProperty('outputWeights'); // cost 0, the default: the mask weighs every output alike
  expect(cli('train --task yang-dm1 --trials 32 --epochs 1 --size 16 --activation tanh --out @y2').code).toBe(0);
  expect(recipe('y2').model.activation).toBe('tanh');
  expect(cli('train --task ng-go-nogo --trials 32 --epochs 1 --size 8 --out @n').code).toBe(0);
  expect(recipe('n').model.readout).toBe('softmax');
});

test("--param cost=1 trains with Yang's own cost: his squared mask, fixation output ×4, a mean over every step", () => {
  expect(cli('train --task yang-dm1 --param cost=1 --trials 32 --epochs 1 --size 16 --out @yc').code).toBe(0);
  const r = recipe('yc');
  expect(r.taskParams).toEqual({ cost: 1 });
  expect(r.model.outputWeights).toEqual([4, ...new Array(32).fill(1)]);
  expect(r.train.loss).toBe('all-steps');
  const flags = '--trials 32 --epochs 1 --size 16 --loss-norm mask-sum --out @yc2';
  expect(cli(`train --task yang-multitask --param cost=1 ${flags}`).code).toBe(0);
  expect(recipe('yc2').model.outputWeights[0]).toBe(4); // the mixture reads its parts' hints
  expect(recipe('yc2').train.loss).toBe('mask-sum'); // a flag given wins over the hint
  const bad = cli('train --task and --output-weights 1,x --out @bad');
  expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/^rnnlab: error: --output-weights takes/)]);
  const wrong = cli('train --task and --output-weights 1,2 --out @bad');
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(/outputWeights must be null or 1 numbers \(one per output\), got \[1,2\]/);
});

test('psychometric: a trained perceptual decision network, every trial counted, a rising fitted curve', () => {
  const t = cli('train --task ng-perceptual-decision-making --size 64 --trials 10000 --epochs 20 --out @pdm');
  expect(t.code).toBe(0);
  const p = cli('psychometric @pdm/model.json --trials 400 --out @psy.svg --chrono-out @chrono.svg --json');
  expect(p.code).toBe(0);
  const [g] = JSON.parse(p.stdout).groups;
  const levels = g.psychometric.levels as Array<{ evidence: number; n: number; k: number; noChoice: number }>;
  expect(levels.map((l) => l.evidence)).toEqual([-51.2, -25.6, -12.8, -6.4, 0, 6.4, 12.8, 25.6, 51.2]);
  expect(levels.reduce((a, l) => a + l.n + l.noChoice, 0)).toBe(400);
  const share = (l: { n: number; k: number }) => l.k / Math.max(1, l.n);
  expect(share(levels[8])).toBeGreaterThan(share(levels[0]));
  expect(fs.readFileSync(path.join(dir, 'psy.svg'), 'utf8')).toMatch(/^<svg/);
  // Chronometric: every choice made has a decision time within the stimulus-to-decision window (21 steps of 100 ms).
  const chrono = g.chronometric as Array<{ strength: number; all: { n: number; mean: number } | null }>;
  expect(chrono.map((l) => l.strength)).toEqual([0, 6.4, 12.8, 25.6, 51.2]);
  expect(chrono.reduce((a, l) => a + (l.all?.n ?? 0), 0)).toBe(levels.reduce((a, l) => a + l.n, 0));
  for (const l of chrono) expect(l.all!.mean).toBeGreaterThanOrEqual(0);
  for (const l of chrono) expect(l.all!.mean).toBeLessThanOrEqual(2000);
  expect(fs.readFileSync(path.join(dir, 'chrono.svg'), 'utf8')).toMatch(/^<svg/);
  const text = cli('psychometric @pdm/model.json --trials 40').stdout;
  expect(text).toMatch(/decision time \(correct choices\) by strength: 0: \d+ ms/);
});

test('bad requests get one line: a task without two options, a grouping value trials do not record', () => {
  expect(cli('train --task and --size 8 --trials 16 --epochs 1 --out @and').code).toBe(0);
  const a = cli('psychometric @and/model.json');
  expect(a.code).not.toBe(0);
  expect(a.stderr.trim()).toBe('rnnlab: error: task "and" has no two-option choice, so no psychometric curve');
  const c = cli('psychometric @pdm/model.json --chrono-out @c.pdf');
  expect(c.stderr.trim()).toBe('rnnlab: error: --chrono-out must end in .svg or .png, got "' + dir + '/c.pdf"');
  const b = cli('psychometric @pdm/model.json --by colour --trials 10');
  expect(b.code).not.toBe(0);
  expect(b.stderr.trim().split('\n')).toHaveLength(1);
  expect(b.stderr).toMatch(/records no "colour" per trial/);
});

test('curriculum: a plan file runs to its end as one JSON document; a bad plan gets one line', () => {
  const plan = {
    format: 'rnnlab-curriculum',
    version: 1,
    stages: [{ task: 'ng-go-nogo', nTrials: 256, epochs: 8, threshold: 0.9 }],
    model: { nRec: 16, readout: 'softmax' },
    init: { rec: 'orthogonal', seed: 1 },
    train: { batchSize: 32, lr: 0.01, seed: 1 },
    evalTrials: 100,
    evalSeed: 3,
  };
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan));
  const r = cli('curriculum @plan.json --out @cur --json');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout);
  expect(doc).toMatchObject({ command: 'curriculum', paused: false });
  expect(doc.stages).toHaveLength(1);
  fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...plan, stages: [{ ...plan.stages[0], epochs: 0 }] }));
  const bad = cli('curriculum @bad.json --out @cur2');
  expect(bad.code).not.toBe(0);
  expect(bad.stderr.trim()).toMatch(/^rnnlab: error: .*bad\.json: stage 1: "epochs" must be a positive integer$/);
});

test('report: the trials figure counts time in the task\u2019s own dt, and the loss is named after the readout', () => {
  expect(cli('train --task ng-perceptual-decision-making --size 8 --trials 64 --epochs 2 --out @rep').code).toBe(0);
  expect(cli('report @rep').code).toBe(0);
  const svg = (name: string) => fs.readFileSync(path.join(dir, 'rep', 'report', 'figures', `${name}.svg`), 'utf8');
  // 22 steps of 100 ms: the axis reaches 2,000 ms (it read 0–20 "ms" when dt was taken as 1).
  expect(svg('trials')).toMatch(/>2,000</);
  expect(svg('loss')).toContain('loss (cross-entropy)');
});

test('tasks: rings and rule units are written as ranges in the text list, in full in --json', () => {
  const text = cli('tasks').stdout;
  expect(text).toContain('inputs fix, m1_0…m1_31, m2_0…m2_31, rule_fdgo…rule_dmcnogo (20); ');
  expect(text).toContain('; outputs fix, out_0…out_31; ');
  const json = JSON.parse(cli('tasks --json').stdout);
  expect(json.tasks.find((t: { name: string }) => t.name === 'yang-dm1').inputs).toHaveLength(85);
});
