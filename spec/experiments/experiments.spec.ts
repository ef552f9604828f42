/** Damage protocols and the authors' tables (the pipeline itself: spec/experiments/paper-pipeline.spec.ts). */
import { createModel, initialize, jsBackend, simulate } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';
import { damage, damageSweep, DAMAGE_THRESHOLDS, removed } from '@rnnlab/analysis';
import { readDamageTable, readScaleTable } from '@rnnlab/experiments';
import { fixturePath } from '../helpers/fixtures';
import { createHash } from 'crypto';
import { seal, sealProblem, sealText } from '@rnnlab/engine/advanced';

/** Node's own SHA-256 (OpenSSL) as the independent reference for the engine's plain-TypeScript one. */
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('removal rules: cumulative by magnitude, by sign, and bands between consecutive thresholds', () => {
  const k = 3; // threshold 0.010, previous 0.0075
  expect(removed('both', 0.009, k)).toBe(true);
  expect(removed('both', -0.009, k)).toBe(true);
  expect(removed('both', 0.01, k)).toBe(false);
  expect(removed('positive', -0.001, k)).toBe(false);
  expect(removed('negative', -0.001, k)).toBe(true);
  expect(removed('positive-band', 0.005, k)).toBe(false);
  expect(removed('positive-band', 0.008, k)).toBe(true);
  expect(removed('negative-band', -0.0075, k)).toBe(true);
  expect(removed('negative-band', -0.006, k)).toBe(false);
});

test('for W ~ N(0, 0.1414²) the thresholds remove 2Φ(thr/σ) − 1 of the weights (36.4% at 0.067)', () => {
  const m = createModel({ nIn: 2, nRec: 400, nOut: 1 });
  initialize(m, { rec: 'normal', gain: 0.1414 * 20, seed: 3 }); // std = g/√N = 0.1414
  const { fractionRemoved } = damage(m, 'both', DAMAGE_THRESHOLDS.length - 1);
  expect(fractionRemoved).toBeCloseTo(0.364, 2);
  expect(damage(m, 'positive', DAMAGE_THRESHOLDS.length - 1).fractionRemoved).toBeCloseTo(0.182, 2);
});

test('a zero-size lesion leaves the outputs unchanged, and distances are reported per trial type', () => {
  const m = createModel({ nIn: 2, nRec: 10, nOut: 1 });
  initialize(m, { seed: 2 });
  const task = getTask('and');
  const tr = generate(task, { nTrials: 8, grid: true, params: { inputNoise: 0.1 } });
  expect(Array.from(simulate(damage(m, 'both', 0).model, tr, jsBackend).outputs)).toEqual(
    Array.from(simulate(m, tr, jsBackend).outputs),
  );
  const rows = damageSweep(m, tr, ['00', '10', '01', '11'], jsBackend, [0, 0.05], ['both']);
  expect(rows).toHaveLength(2);
  expect(Object.keys(rows[0].distance).sort()).toEqual(['00', '01', '10', '11']);
  expect(rows[0].fractionRemoved).toBe(0);
});

test("the authors' tables parse: 22 sizes, 24 delays, 19 damage thresholds", () => {
  expect(readScaleTable(fixturePath('paper-data/size_at_150_ms.txt'))).toHaveLength(22);
  const delays = readScaleTable(fixturePath('paper-data/time_delay.txt'));
  expect(delays).toHaveLength(24);
  expect(delays.find((r) => r.x === 25)).toEqual({ x: 25, distance: 0.989617, error: 0.029081, networks: 35 });
  const d = readDamageTable(fixturePath('paper-data/damage_01_pos_y_neg.txt'));
  expect(d).toHaveLength(19);
  expect(d[0].distance['00']).toBeCloseTo(0.223765, 6);
});

test('a sealed file carries the SHA-256 of its own content and fails the check after any edit', () => {
  const payload = { format: 'x', version: 1, losses: [0.5, 0.25], note: 'a "quoted" string' };
  const text = seal(payload);
  expect(text).toBe(JSON.stringify({ ...payload, sha256: sha256(JSON.stringify(payload)) }));
  expect(sealText(JSON.stringify(payload))).toBe(text);
  const raw = JSON.parse(text);
  expect(sealProblem(raw)).toBeNull();
  expect(sealProblem({ ...raw, losses: [0.5, 0.26] })).toBe('its checksum does not match its content');
  expect(sealProblem({ ...raw, sha256: undefined })).toBe('its checksum does not match its content');
  expect(sealProblem(payload)).toBe('its checksum does not match its content');
  expect(() => sealText('{}')).toThrow(/non-empty JSON object/);
  expect(() => sealText('[1]')).toThrow(/non-empty JSON object/);
});
