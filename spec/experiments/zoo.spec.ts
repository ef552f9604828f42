/** The task zoo: entries trained by the one driver, recorded on fresh trials, resumable, never overwritten. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createWasmBackend } from '@rnnlab/engine';
import { loadRecords, runZoo, writeZooPage, ZOO, zooRecipe, type ZooEntry } from '@rnnlab/experiments';
import { getTask } from '@rnnlab/tasks';

const backend = createWasmBackend({ threads: 1 });
const tiny: ZooEntry[] = [
  { task: 'ng-go-nogo', protocol: { size: 8, nTrials: 64, epochs: 2 } },
  { task: 'ng-perceptual-decision-making', protocol: { size: 8, nTrials: 64, epochs: 2 } },
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-zoo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every NeuroGym and Yang task of the catalogue has a zoo entry, and the multi-task network one more', () => {
  const names = ZOO.map((e) => e.task);
  for (const t of names) expect(() => getTask(t)).not.toThrow();
  expect(names.filter((t) => t.startsWith('yang-'))).toHaveLength(21);
  expect(names.filter((t) => t.startsWith('ng-')).length).toBeGreaterThanOrEqual(7);
});

test('Yang entries train with his model; NeuroGym entries with cross-entropy', () => {
  const yang = zooRecipe(
    ZOO.find((e) => e.task === 'yang-dm1')!,
    backend,
  );
  expect(yang.model).toMatchObject({ nRec: 256, activation: 'relu', alpha: 0.2 });
  expect(yang.init).toMatchObject({ rec: 'orthogonal', gain: 0.5 });
  expect(zooRecipe(tiny[0], backend).model).toMatchObject({ nRec: 8, readout: 'softmax' });
});

test('a zoo run trains, records each entry on fresh trials, writes the page, and keeps what it has', () => {
  const log: string[] = [];
  const steps = runZoo(dir, tiny, backend, { log: (s) => log.push(s) });
  expect([...steps.values()]).toEqual(['recorded', 'recorded']);
  const records = loadRecords(dir);
  const r = records.get('ng-perceptual-decision-making')!;
  expect(r.evaluation.trials).toBe(1000);
  expect(r.training.epochs).toBe(2);
  // The run's time was recorded (timing.json: one call), whatever the machine's speed.
  expect(r.training.calls).toBe(1);
  expect(Number.isFinite(r.training.seconds)).toBe(true);
  expect(r.kernelBuilds[0].kernel).toMatch(/sha256|own loops/);
  expect(r.psychometric!.levels.length).toBe(9);
  expect(records.get('ng-go-nogo')!.psychometric).toBeNull();
  expect([...runZoo(dir, tiny, backend, { log: () => {} }).values()]).toEqual(['had a record', 'had a record']);
  return writeZooPage(dir, tiny, records).then(() => {
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html).toContain('id="ng-perceptual-decision-making"');
    expect(html).toMatch(/2 of 2 networks trained/);
    expect(html).toContain("default-src 'none'");
    // Every row of the table has its 8 cells (a cell wrapped twice once shifted the columns).
    const rows = html.slice(html.indexOf('<table>'), html.indexOf('</table>')).split('<tr>').slice(2);
    for (const r of rows) expect(r.match(/<td[ >]/g)).toHaveLength(8);
  });
});

test('a run folder holding another recipe is refused, not overwritten', () => {
  const other = path.join(dir, 'other');
  fs.mkdirSync(path.join(other, 'runs', 'ng-go-nogo'), { recursive: true });
  const recipe = { ...zooRecipe(tiny[0], backend), nTrials: 999 };
  fs.writeFileSync(path.join(other, 'runs', 'ng-go-nogo', 'run.json'), JSON.stringify(recipe));
  expect(() => runZoo(other, tiny.slice(0, 1), backend, { log: () => {} })).toThrow(/holds another recipe/);
  expect(JSON.parse(fs.readFileSync(path.join(other, 'runs', 'ng-go-nogo', 'run.json'), 'utf8')).nTrials).toBe(999);
});

test('an entry not learned at its first protocol gets its second attempt; the record keeps both', () => {
  const entry: ZooEntry = {
    task: 'ng-dual-delay-match-sample',
    protocol: { size: 4, nTrials: 32, epochs: 1 },
    retry: { size: 4, nTrials: 32, epochs: 2, lr: 3e-3, clip: 1 },
  };
  const zoo = path.join(dir, 'retry');
  runZoo(zoo, [entry], backend, { log: () => {} });
  const r = loadRecords(zoo).get(entry.task)!;
  expect(r.attempts.map((a) => [a.run, a.learned])).toEqual([
    ['ng-dual-delay-match-sample', false],
    ['ng-dual-delay-match-sample@2', r.evaluation.learned],
  ]);
  expect(r.protocol).toEqual(entry.retry);
  const second = JSON.parse(fs.readFileSync(path.join(zoo, 'runs', `${entry.task}@2`, 'run.json'), 'utf8'));
  expect(second.train).toMatchObject({ epochs: 2, clipNorm: 1, adam: { lr: 3e-3 } });
});

test("a noisy task's record carries its ideal observer's accuracy, and the line scales with it", () => {
  const entry: ZooEntry = { task: 'ng-post-decision-wager', protocol: { size: 4, nTrials: 32, epochs: 1 } };
  const zoo = path.join(dir, 'ideal');
  runZoo(zoo, [entry], backend, { log: () => {} });
  const e = loadRecords(zoo).get(entry.task)!.evaluation;
  // On the zoo's 1000 fresh trials an ideal observer is right on about 78 % (zero coherence: a coin).
  expect(e.ideal!.accuracy).toBeGreaterThan(0.7);
  expect(e.ideal!.accuracy).toBeLessThan(0.85);
  expect(e.ideal!.decidable).toBeGreaterThan(e.ideal!.accuracy);
  expect(e.learned).toBe(e.decidable >= 0.9 * e.ideal!.decidable);
  expect(loadRecords(dir).get('ng-go-nogo')!.evaluation.ideal).toBeUndefined();
});
