/** Curricula: stages that advance on an accuracy threshold, each starting from the last, resumable bit for bit. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createWasmBackend } from '@rnnlab/engine';
import { sha256Hex } from '@rnnlab/engine/advanced';
import { runCurriculum, validateCurriculum, type Curriculum } from '@rnnlab/experiments';

const backend = createWasmBackend({ threads: 1 });
const PLAN: Curriculum = {
  format: 'rnnlab-curriculum',
  version: 1,
  stages: [
    { task: 'ng-perceptual-decision-making', params: { sigma: 0.3 }, nTrials: 2000, epochs: 15, threshold: 0.75 },
    { task: 'ng-perceptual-decision-making', params: { sigma: 1 }, nTrials: 2000, epochs: 15, threshold: 0.8 },
  ],
  model: { nRec: 32, readout: 'softmax' },
  init: { rec: 'orthogonal', seed: 1 },
  train: { batchSize: 32, lr: 0.003, seed: 1 },
  evalTrials: 300,
  evalSeed: 5,
};
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-curriculum-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const quiet = { log: () => {} };
const read = (...p: string[]) => fs.readFileSync(path.join(...p), 'utf8');

test('each stage ends at the first epoch end whose accuracy passes; the next starts from its weights', () => {
  const dir = path.join(root, 'whole');
  const r = runCurriculum(dir, PLAN, backend, quiet);
  expect(r.paused).toBe(false);
  expect(r.passed).toBe(2);
  for (const k of [1, 2]) {
    const record = JSON.parse(read(dir, `stage-${k}`, 'criterion.json')) as Array<{
      accuracy: number;
      passed: boolean;
    }>;
    expect(record.at(-1)!.passed).toBe(true);
    expect(record.slice(0, -1).every((e) => !e.passed && e.accuracy < PLAN.stages[k - 1].threshold)).toBe(true);
  }
  const stage2 = JSON.parse(read(dir, 'stage-2', 'run.json'));
  expect(stage2.startFrom).toEqual({
    file: '../stage-1/model.json',
    sha256: sha256Hex(read(dir, 'stage-1', 'model.json')),
  });
  const first = JSON.parse(read(dir, 'stage-1', 'model.json')).params;
  expect(JSON.parse(read(dir, 'stage-2', 'initial.json')).params).toEqual(first);
  // Run again: nothing more is trained.
  const before = read(dir, 'stage-2', 'model.json');
  expect(runCurriculum(dir, PLAN, backend, quiet).passed).toBe(2);
  expect(read(dir, 'stage-2', 'model.json')).toBe(before);
});

test('stopped every 40 updates and run again, it ends with the same bits as in one go', () => {
  const dir = path.join(root, 'pieces');
  let calls = 0;
  for (;;) {
    calls++;
    if (!runCurriculum(dir, PLAN, backend, { ...quiet, maxSteps: 40 }).paused) break;
  }
  expect(calls).toBeGreaterThan(3);
  for (const k of [1, 2]) {
    expect(read(dir, `stage-${k}`, 'model.json')).toBe(read(root, 'whole', `stage-${k}`, 'model.json'));
    expect(read(dir, `stage-${k}`, 'criterion.json')).toBe(read(root, 'whole', `stage-${k}`, 'criterion.json'));
  }
});

test('a stage that runs out of epochs ends the curriculum there, and says so', () => {
  const hard: Curriculum = { ...PLAN, stages: [{ ...PLAN.stages[0], epochs: 1, threshold: 0.99 }, PLAN.stages[1]] };
  const r = runCurriculum(path.join(root, 'hard'), hard, backend, quiet);
  expect(r).toMatchObject({ passed: 0, failedAt: 1, model: null });
  expect(fs.existsSync(path.join(root, 'hard', 'stage-2'))).toBe(false);
});

test('bad plans get one clear line; another plan in the same folder is refused', () => {
  expect(() => validateCurriculum({ ...PLAN, stages: [] }, 'p.json')).toThrow(
    /^p\.json: "stages" must be a non-empty list$/,
  );
  expect(() => validateCurriculum({ ...PLAN, stages: [{ ...PLAN.stages[0], threshold: 2 }] }, 'p.json')).toThrow(
    /stage 1: "threshold" must be in \(0, 1\]/,
  );
  expect(() => validateCurriculum({ ...PLAN, stages: [{ ...PLAN.stages[0], task: 'nope' }] }, 'p.json')).toThrow(
    /unknown task "nope"/,
  );
  expect(() => runCurriculum(path.join(root, 'whole'), { ...PLAN, evalSeed: 6 }, backend, quiet)).toThrow(
    /holds another curriculum/,
  );
});
