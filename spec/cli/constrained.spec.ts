/**
 * Constrained models from the command line (issue 24): `train` with Dale's law, masks from a file, learnt time
 * constants, cross-entropy and regularisers; a resumed constrained run ends on the same bits; `audit` of every
 * formulation and readout; `report` shows the model's options and W_rec*; bad flags and mask files get one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { effectiveWeights, excitatoryCount } from '@rnnlab/engine';
import { loadModel } from '@rnnlab/engine/node';
import { rnnlab, SMALL_TRAIN } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-constrained-'));
const small = SMALL_TRAIN;
const N = 12;

/** A mask file for AND (2 inputs, 1 output) at N = 12: a sparse W_rec, one cut input, a frozen row. */
function maskFile(): string {
  const rec = Array.from({ length: N }, (_, i) =>
    Array.from({ length: N }, (_, j) => ((i * 7 + j * 3) % 5 === 0 ? 0 : 1)),
  );
  const inp = Array.from({ length: N }, (_, i) => [i === 0 ? 0 : 1, 1]);
  const frozen = Array.from({ length: N }, (_, i) => new Array(N).fill(i === 1 ? 0 : 1));
  const file = path.join(tmp, 'masks.json');
  fs.writeFileSync(file, JSON.stringify({ W_rec: rec, W_in: inp, trainable: { W_rec: frozen } }));
  return file;
}

const CONSTRAINED = ['--dale', '0.75', '--dale-balance', 'row-zero', '--no-autapses', '--learn-tau', '--alpha', '0.5'];

test('train with Dale, masks, learnt tau and an L2 rate penalty keeps every constraint, and resumes to the bit', () => {
  const masks = maskFile();
  const args = [...small, ...CONSTRAINED, '--masks', masks, '--l2-rate', '0.01', '--l1-rec', '1e-4'];
  const full = path.join(tmp, 'full');
  const r = rnnlab(['train', ...args, '--out', full]);
  expect(r.code).toBe(0);
  const { model } = loadModel(path.join(full, 'model.json'));
  expect(model.config).toMatchObject({ daleRatio: 0.75, autapses: false, perUnitAlpha: true, trainAlpha: true });
  expect(model.config.regularizers).toMatchObject({ l2Rate: 0.01, l1Rec: 1e-4 });
  const nE = excitatoryCount(model.config);
  const W = effectiveWeights(model).W_rec;
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      expect(j < nE ? W[i * N + j] >= 0 : W[i * N + j] <= 0).toBe(true);
      if (i === j || (i * 7 + j * 3) % 5 === 0) expect(W[i * N + j]).toBe(0);
    }
  expect(model.params.W_in[0]).toBe(0);
  const initial = loadModel(path.join(full, 'initial.json')).model;
  for (let j = 0; j < N; j++) expect(model.params.W_rec[N + j]).toBe(initial.params.W_rec[N + j]); // frozen row 1

  const dir = path.join(tmp, 'resumed');
  expect(rnnlab(['train', ...args, '--out', dir, '--max-steps', '7']).code).toBe(0);
  expect(rnnlab(['train', '--resume', '--out', dir]).code).toBe(0);
  const again = loadModel(path.join(dir, 'model.json')).model;
  expect(Array.from(again.params.flat)).toEqual(Array.from(model.params.flat));

  const rep = rnnlab(['report', path.join(full, 'model.json'), '--out', path.join(tmp, 'report')]);
  expect(rep.code).toBe(0);
  const html = fs.readFileSync(path.join(tmp, 'report', 'index.html'), 'utf8');
  expect(html).toContain("Dale's law");
  expect(html).toContain('9 excitatory, 3 inhibitory');
  expect(fs.existsSync(path.join(tmp, 'report', 'figures', 'connectivity.svg'))).toBe(true);
});

test('train --loss bce trains a sigmoid readout on AND (targets 0/1); --loss ce needs two or more outputs', () => {
  const r = rnnlab(['train', ...small, '--loss', 'ce', '--out', path.join(tmp, 'ce')]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/softmax \(cross-entropy\) needs at least 2 outputs; with one, use sigmoid/);
  const b = rnnlab(['train', ...small, '--loss', 'bce', '--out', path.join(tmp, 'bce')]);
  expect(b.code).toBe(0);
  expect(loadModel(path.join(tmp, 'bce', 'model.json')).model.config.readout).toBe('sigmoid');
  const ff = rnnlab(['train', ...small, '--task', 'osc', '--loss', 'bce', '--out', path.join(tmp, 'bce-osc')]);
  expect(ff.code).toBe(1);
  expect(ff.stderr).toMatch(/binary cross-entropy needs targets in \[0, 1\]; trial \d+, step \d+ has -/);
});

test.each([
  [['--dale', '1.2'], /daleRatio \(the excitatory fraction\) must be in \(0, 1\), got 1.2/],
  [['--dale', '0.01'], /gives 0 excitatory and 12 inhibitory units/],
  [['--tau', '10', '--alpha', '0.5'], /--tau and --alpha both set the time constant/],
  [['--dale-balance', 'psychrnn'], /Dale balance "psychrnn" needs Dale's law/],
  [['--l2-rate', '-1'], /--l2-rate must be >= 0, got -1/],
  [['--formulation', 'voltage'], /argument 'voltage' is invalid/],
])('bad flags %j: one clear line', (flags, message) => {
  const r = rnnlab(['train', ...small, ...(flags as string[]), '--out', path.join(tmp, 'bad')]);
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
});

test.each([
  [{ W_rec: [[1, 2]] }, /W_rec must hold only 0 and 1, found 2/],
  [{ W_rec: [[1, 0]] }, /connectivity mask has 2 entries, W_rec has 12x12 = 144/],
  [{ W_foo: [[1]] }, /unknown key "W_foo"/],
  [{ trainable: { bias: [1] } }, /trainable.bias is not a parameter/],
])('a bad mask file %j: one clear line', (content, message) => {
  const file = path.join(tmp, 'bad-masks.json');
  fs.writeFileSync(file, JSON.stringify(content));
  const r = rnnlab(['train', ...small, '--masks', file, '--out', path.join(tmp, 'bad-m')]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
});

test.each([
  ['rate', 'linear'],
  ['current', 'sigmoid'],
  ['current', 'softmax'],
])('audit of the default network (%s, %s): every option, each term, passes', (formulation, readout) => {
  const r = rnnlab(['audit', '--formulation', formulation, '--readout', readout]);
  expect(r.code).toBe(0);
  for (const t of ['task', 'l1In', 'l2In', 'l1Rec', 'l2Rec', 'l1Out', 'l2Out', 'l2Rate'])
    expect(r.stdout).toMatch(new RegExp(`term ${t}\\s+loss`));
  expect(r.stdout).toMatch(/^alpha\s+8/m);
  expect(r.stdout).toMatch(/entries skipped: removed by a connectivity mask or frozen by a trainable mask/);
});
