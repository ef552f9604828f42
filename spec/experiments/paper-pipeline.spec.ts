/**
 * The paper's experiments as a cluster runs them: a deterministic plan with costs, shards that partition it,
 * records that are verified before use, checkpoints inside a network that resume bit-exactly, and a merge whose
 * results do not depend on the sharding.
 */
import { spawn } from 'child_process';
import { createWasmBackend } from '@rnnlab/engine';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  assignShards,
  epochDistances,
  mergePaper,
  parseShard,
  planJobs,
  readRecord,
  recordPath,
  recurrentChange,
  replayBest,
  replayBestEpoch,
  replayPath,
  runJob,
  runPaper,
  runShard,
  shardedPlan,
  ShardStopped,
  slurmPlan,
  type JobResult,
  type PaperResults,
  type StoredRecord,
} from '@rnnlab/experiments';

/** Each scale's plan, resolved once as the command does. */
const TINY = planJobs('tiny'),
  MEDIUM = planJobs('medium');
const tmp = (tag: string) => fs.mkdtempSync(path.join(os.tmpdir(), `rnnlab-${tag}-`));
/** Results without what legitimately differs between runs (wall time). */
const science = (r: PaperResults) => {
  const { timing: _timing, ...rest } = r;
  return rest;
};
const withoutTime = (r: JobResult) => {
  const { seconds: _seconds, diagnostics, ...rest } = r;
  return { ...rest, diagnostics: { ...diagnostics, resumedFromCheckpoint: null } };
};

test("the plan is stable, ids are unique, and the medium scale is the paper's protocol at the issue's sizes", () => {
  const a = planJobs('medium').jobs,
    b = planJobs('medium').jobs;
  expect(a.map((j) => j.job.id)).toEqual(b.map((j) => j.job.id));
  expect(new Set(a.map((j) => j.job.id)).size).toBe(a.length);
  const size = a.filter((j) => j.experiments.includes('size'));
  expect([...new Set(size.map((j) => j.job.size))]).toEqual([50, 70, 100, 140, 180, 250]);
  expect(size.filter((j) => j.job.size === 100)).toHaveLength(12);
  const delay = a.filter((j) => j.experiments.includes('delay'));
  expect([...new Set(delay.map((j) => j.job.taskParams.memGap))]).toEqual([25, 50, 75, 100, 125, 150, 170]);
  expect(delay).toHaveLength(7 * 20); // 20 networks per delay (issue 28)
  // Diversity: 5 networks per task and initialisation, 20 for AND (damage, the noise controls)
  const diversity = a.filter((j) => j.experiments.includes('diversity'));
  expect(diversity).toHaveLength(6 * 2 * 5 + 2 * 20);
  expect(diversity.filter((j) => j.job.task === 'and').every((j) => j.job.taskParams.inputNoise === 0.1)).toBe(true);
  // The noise-free control: 10 AND networks per initialisation, trained without input noise
  const control = a.filter((j) => j.experiments.includes('control'));
  expect(control).toHaveLength(2 * 10);
  expect(control.every((j) => j.job.task === 'and' && j.job.taskParams.inputNoise === undefined)).toBe(true);
  // The shared N = 50 / 150 ms point is one job tagged with both sweeps: the size sweep takes its first 12 seeds.
  expect(a.filter((j) => j.experiments.includes('size') && j.experiments.includes('delay'))).toHaveLength(12);
  for (const { job } of a) {
    expect(job.nTrials).toBe(job.task === 'ff' ? 25000 : 15000);
    expect(job.train).toMatchObject({
      epochs: 20,
      batchSize: 64,
      loss: 'mask-nonzero',
      clipNorm: 0,
      adam: { lr: 1e-4, decay: 1e-4, convention: 'keras' },
    });
  }
  const hours = a.reduce((s, j) => s + j.estimatedSeconds, 0) / 3600;
  expect(hours).toBeGreaterThan(5);
  expect(hours).toBeLessThan(30);
});

test('shards partition the plan, deterministically and balanced by cost', () => {
  const costs = [9, 1, 1, 1, 5, 4, 3, 3, 2, 2];
  const owner = assignShards(costs, 3);
  expect(owner).toEqual(assignShards(costs, 3));
  const load = [0, 0, 0];
  owner.forEach((k, i) => {
    load[k] += costs[i];
  });
  expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
  const jobs = shardedPlan(MEDIUM, 7);
  const per = Array.from({ length: 7 }, (_, k) =>
    jobs.filter((j) => j.shard === k).reduce((s, j) => s + j.estimatedSeconds, 0),
  );
  expect(Math.max(...per) / Math.min(...per)).toBeLessThan(1.1);
});

test('--shard: K/N, Slurm array variables and Kubernetes Indexed Jobs; bad values are refused', () => {
  expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
  expect(parseShard('slurm', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({
    index: 3,
    count: 4,
  });
  expect(
    parseShard('slurm', { SLURM_ARRAY_TASK_ID: '11', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '10' }),
  ).toEqual({ index: 1, count: 4 });
  // --array=0-7:2: tasks 0, 2, 4, 6 are shards 0..3 of 4 (issue 27: task 6 had been "shard 6 of 4")
  const stepped = { SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' };
  expect(parseShard('slurm', { ...stepped, SLURM_ARRAY_TASK_ID: '6' })).toEqual({ index: 3, count: 4 });
  expect(() => parseShard('slurm', { ...stepped, SLURM_ARRAY_TASK_ID: '3' })).toThrow(/not on the array's grid/);
  expect(parseShard('k8s', { JOB_COMPLETION_INDEX: '0' }, 3)).toEqual({ index: 0, count: 3 });
  expect(() => parseShard('5/5')).toThrow(/0-based/);
  expect(() => parseShard('slurm', {})).toThrow(/SLURM_ARRAY_TASK_ID/);
  expect(() => parseShard('k8s', { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shard-count/);
  expect(() => parseShard('1-3')).toThrow(/K\/N/);
});

test('a network stopped mid-training resumes from its checkpoint and ends with the same bits', () => {
  const { job } = planJobs('tiny').jobs.find((j) => j.job.task === 'pulse')!;
  const dir = tmp('ck');
  const whole = runJob(job, { checkpointDir: null, checkpointEvery: 0 }) as JobResult;
  let steps = 0;
  const stopped = runJob(job, { checkpointDir: dir, checkpointEvery: 4, shouldStop: () => ++steps === 7 });
  expect(stopped).toBe('stopped');
  expect(fs.existsSync(path.join(dir, 'checkpoint.json'))).toBe(true);
  const resumed = runJob(job, { checkpointDir: dir, checkpointEvery: 4 }) as JobResult;
  expect(resumed.diagnostics.resumedFromCheckpoint).toBe(true);
  expect(withoutTime(resumed)).toEqual(withoutTime(whole));
  // A damaged checkpoint is refused, set aside, and the network trains from the start (still the same bits).
  runJob(job, { checkpointDir: dir, checkpointEvery: 4, shouldStop: () => true });
  const f = path.join(dir, 'checkpoint.json');
  fs.writeFileSync(
    f,
    fs.readFileSync(f, 'utf8').replace(/"epoch":(\d)/, (_m, d) => `"epoch":${Number(d) + 1}`),
  );
  const fresh = runJob(job, { checkpointDir: dir, checkpointEvery: 0 }) as JobResult;
  expect(fresh.diagnostics.resumedFromCheckpoint).toBe(false);
  expect(fs.readdirSync(dir).some((n) => n.startsWith('checkpoint.json.bad-'))).toBe(true);
  expect(withoutTime(fresh)).toEqual(withoutTime(whole));
});

describe('tiny scale end to end', () => {
  let single: PaperResults;
  let singleDir: string;
  beforeAll(async () => {
    singleDir = tmp('paper');
    single = await runPaper(TINY, singleDir, { workers: 2 });
  });

  test('one machine: records, results and a page; a rerun trains nothing', async () => {
    expect(single.size.map((p) => p.x)).toEqual([8, 12]);
    expect(single.delay.map((p) => p.x)).toEqual([20, 60]);
    expect(single.partial).toBe(false);
    for (const p of [...single.size, ...single.delay]) {
      expect(p.n).toBe(1);
      expect(p.distances).toHaveLength(1);
    }
    const html = fs.readFileSync(path.join(singleDir, 'index.html'), 'utf8');
    expect(html).toContain('id="fig-size"');
    // The large AND networks list each network's best and final epoch, from its record.
    const large = single.large.rows.flatMap((d) => d.learning);
    expect(large.map((l) => l.id).sort()).toEqual(
      planJobs('tiny')
        .jobs.filter((j) => j.experiments.includes('large'))
        .map((j) => j.job.id)
        .sort(),
    );
    for (const l of large) {
      const rec = JSON.parse(fs.readFileSync(path.join(singleDir, 'jobs', `${l.id}.json`), 'utf8'));
      expect([l.bestEpoch, l.bestLoss, l.finalLoss]).toEqual([
        rec.diagnostics.bestEpoch,
        rec.diagnostics.bestLoss,
        rec.finalLoss,
      ]);
      expect(html).toContain(`<tr><td>${l.id}</td><td>${l.bestEpoch}</td>`);
    }
    const files = fs.readdirSync(path.join(singleDir, 'jobs'));
    expect(files).toHaveLength(planJobs('tiny').jobs.length);
    const mtimes = files.map((f) => fs.statSync(path.join(singleDir, 'jobs', f)).mtimeMs);
    const r = await runShard(TINY, singleDir, {});
    expect(r).toEqual({ trained: 0, reused: files.length, heldElsewhere: [] });
    expect(files.map((f) => fs.statSync(path.join(singleDir, 'jobs', f)).mtimeMs)).toEqual(mtimes);
  });

  test('three shards, run apart, merge to the results of the single run', async () => {
    const dir = tmp('shards');
    for (const index of [2, 0, 1]) await runShard(TINY, dir, { shard: { index, count: 3 }, workers: 1 });
    expect(fs.existsSync(path.join(dir, 'results.json'))).toBe(false); // shards never write the page
    const merged = await mergePaper(TINY, dir);
    expect(science(merged)).toEqual(science(single));
  });

  test(
    'a network replayed to its best epoch is the network at that epoch; the merge shows it; bad replays are ' +
      'refused',
    async () => {
      // The core fact: training for k epochs gives the k-th epoch of a longer training, bit for bit. A record of a
      // 4-epoch training whose best epoch is said to be 2 replays to exactly the 2-epoch network.
      const large = planJobs('tiny').jobs.find((j) => j.experiments.includes('large'))!.job;
      const at = (epochs: number) =>
        runJob({ ...large, train: { ...large.train, epochs, earlyStopLoss: 0 } }) as JobResult;
      const two = at(2),
        four = at(4);
      expect(four.history.slice(0, 2)).toEqual(two.history);
      const record = {
        ...four,
        format: 'rnnlab-paper-record',
        version: 1,
        sha256: '',
        diagnostics: { ...four.diagnostics, bestEpoch: 2, bestLoss: two.history[1].loss },
      } as StoredRecord;
      const replay = replayBestEpoch(record);
      expect(replay).toMatchObject({ epoch: 2, loss: two.history[1].loss, accuracy: two.accuracy });
      expect(replay.meanDistance).toBe(two.meanDistance);
      expect(replay.distanceByCondition).toEqual(two.distanceByCondition);
      expect(replay.spectrum.radius).toBe(two.spectrum.radius);
      expect(replay.relativeChange).toBe(recurrentChange(two));
      expect(replay.relativeChange).not.toBe(recurrentChange(four));
      // A record whose losses this build cannot reproduce is refused, not replayed into a different network.
      const forged = {
        ...record,
        history: record.history.map((h, i) => (i === 0 ? { ...h, loss: h.loss * 1.001 } : h)),
      };
      expect(() => replayBestEpoch(forged)).toThrow(/does not reproduce the recorded losses/);
      // The pulse gap's epoch candidate: the distance after each epoch of a replayed run is that of a run stopped
      // there (the same fresh trials as the record's own evaluation).
      const where = {
        task: large.task,
        params: large.taskParams,
        n: large.evalTrials,
        seed: large.evalSeed,
        backend: createWasmBackend(),
      };
      const perEpoch = epochDistances(record, where);
      expect(perEpoch.map((d) => d.mean)).toEqual([
        at(1).meanDistance,
        two.meanDistance,
        at(3).meanDistance,
        four.meanDistance,
      ]);
      expect(() => epochDistances(forged, where)).toThrow(/epoch 1 loss .* is not the record's/);

      // Through the folder: replay a large network of the finished tiny run, merge, and read it on the page.
      const dir = tmp('replay');
      fs.cpSync(singleDir, dir, { recursive: true });
      const id = large.id;
      const [r] = replayBest(TINY, dir, [id]);
      const rec = readRecord(dir, large);
      if (rec.state !== 'ok') throw new Error('the tiny record is missing');
      expect([r.epoch, r.loss]).toEqual([rec.record.diagnostics.bestEpoch, rec.record.diagnostics.bestLoss]);
      const lines: string[] = [];
      const merged = await mergePaper(TINY, dir, { log: (l) => lines.push(l) });
      const entry = merged.large.rows.flatMap((d) => d.learning).find((l) => l.id === id)!;
      expect(entry.atBestEpoch).toEqual(r);
      expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain(
        `accuracy ${(100 * r.accuracy).toFixed(0)} %, distance ${r.meanDistance.toFixed(3)}`,
      );
      expect(lines).toEqual([]);
      // Unknown ids (a path among them) are refused before anything runs; a tampered replay is not used.
      expect(() => replayBest(TINY, dir, ['../../etc/passwd'])).toThrow(/is not a network of the tiny scale/);
      const f = replayPath(dir, id);
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/"meanDistance":[0-9.e-]+/, '"meanDistance":12345'));
      const again = await mergePaper(TINY, dir, { log: (l) => lines.push(l) });
      expect(again.large.rows.flatMap((d) => d.learning).find((l) => l.id === id)!.atBestEpoch).toBeNull();
      expect(lines.join('\n')).toMatch(/best-epoch replay refused: .*checksum does not match/);
    },
  );

  test('one writer per network: a network another live process holds the lock of is left to it', async () => {
    const dir = tmp('held');
    const id = TINY.jobs[0].job.id;
    const other = spawn('sleep', ['60']); // a live process of this host, standing in for another rnnlab run
    try {
      fs.mkdirSync(path.join(dir, 'checkpoints', id), { recursive: true });
      const holder = { pid: other.pid, host: os.hostname(), since: new Date().toISOString() };
      fs.writeFileSync(path.join(dir, 'checkpoints', id, '.lock'), JSON.stringify(holder));
      const logs: string[] = [];
      const r = await runShard(TINY, dir, { workers: 2, log: (l) => logs.push(l) });
      expect(r.heldElsewhere).toEqual([id]);
      expect(r.trained).toBe(TINY.jobs.length - 1);
      expect(fs.existsSync(path.join(dir, 'jobs', `${id}.json`))).toBe(false);
      expect(logs.join('\n')).toContain(`${id}: left to another process (pid ${other.pid} on ${os.hostname()}`);
      await expect(runPaper(TINY, dir, { workers: 1 })).rejects.toThrow(
        /1 network\(s\) .* are being trained by another process holding their checkpoints\/<id>\/\.lock/,
      );
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once('exit', resolve));
    // The holder is gone: its lock is stale, taken over, and the network trained here once.
    const r = await runShard(TINY, dir, { workers: 1 });
    expect(r).toEqual({ trained: 1, reused: TINY.jobs.length - 1, heldElsewhere: [] });
    expect(fs.existsSync(path.join(dir, 'checkpoints', id, '.lock'))).toBe(false);
  });

  test('merge refuses while records are missing and names them; --partial renders what exists, marked', async () => {
    const dir = tmp('partial');
    await runShard(TINY, dir, { shard: { index: 0, count: 3 }, workers: 1 });
    const missing = shardedPlan(TINY, 3)
      .filter((j) => j.shard !== 0)
      .map((j) => j.job.id);
    await expect(mergePaper(TINY, dir)).rejects.toThrow(
      new RegExp(`${missing.length} of \\d+ networks have no valid record.*${missing[0]}`),
    );
    const p = await mergePaper(TINY, dir, { partial: true });
    expect(p.partial).toBe(true);
    expect(p.missing.sort()).toEqual(missing.sort());
    expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('<b>Partial:</b>');
  });

  test(
    'a tampered record (planted HTML, a faked distance, a truncation) is refused, set aside and ' + 'recomputed',
    async () => {
      const dir = tmp('tamper');
      fs.cpSync(path.join(singleDir, 'jobs'), path.join(dir, 'jobs'), { recursive: true });
      const [a, b, c] = planJobs('tiny')
        .jobs.filter((j) => j.job.dynamics)
        .concat(planJobs('tiny').jobs)
        .map((j) => j.job);
      const edit = (id: string, f: (s: string) => string) =>
        fs.writeFileSync(recordPath(dir, id), f(fs.readFileSync(recordPath(dir, id), 'utf8')));
      edit(a.id, (s) =>
        s
          .replace('"fixed-point"', '"<img src=x onerror=alert(1)>"')
          .replace('"oscillation"', '"<img src=x onerror=alert(1)>"'),
      );
      edit(b.id, (s) => s.replace(/"meanDistance":[0-9.e+-]+/, '"meanDistance":1e9'));
      edit(c.id, (s) => s.slice(0, 100));
      for (const j of [a, b, c]) expect(readRecord(dir, j).state).toBe('bad');
      const logs: string[] = [];
      const r = await runShard(TINY, dir, { log: (l) => logs.push(l) });
      expect(r.trained).toBe(new Set([a.id, b.id, c.id]).size);
      expect(logs.join('\n')).toMatch(/refused.*set aside/);
      expect(fs.readdirSync(path.join(dir, 'jobs')).filter((f) => f.includes('.bad-')).length).toBe(r.trained);
      const merged = await mergePaper(TINY, dir);
      expect(science(merged)).toEqual(science(single));
      expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).not.toContain('<img');
    },
  );

  test(
    'an aborted shard checkpoints its running network and rejects with ShardStopped; the rerun finishes ' + 'it',
    async () => {
      const dir = tmp('abort');
      const ac = new AbortController();
      const run = runShard(TINY, dir, { workers: 1, stepDelayMs: 50, signal: ac.signal });
      const ck = path.join(dir, 'checkpoints');
      for (
        let i = 0;
        i < 200 &&
        !(fs.existsSync(ck) && fs.readdirSync(ck).some((d) => fs.existsSync(path.join(ck, d, 'checkpoint.json'))));
        i++
      )
        await new Promise((res) => setTimeout(res, 50));
      ac.abort();
      await expect(run).rejects.toBeInstanceOf(ShardStopped);
      const done = fs.existsSync(path.join(dir, 'jobs')) ? fs.readdirSync(path.join(dir, 'jobs')).length : 0;
      expect(done).toBeLessThan(planJobs('tiny').jobs.length);
      await runShard(TINY, dir, { workers: 2 });
      expect(science(await mergePaper(TINY, dir))).toEqual(science(single));
    },
  );
});

test(
  'Slurm scripts: an array of one task per shard with --requeue, a merge after it, the time limit from the cost ' +
    'model',
  () => {
    const p = slurmPlan({
      scale: 'medium',
      jobs: MEDIUM.jobs,
      dir: '/scratch/run 1',
      shards: 16,
      cpusPerTask: 4,
      maxConcurrent: 6,
      partition: 'cpu',
      rnnlab: ['/usr/bin/node', '/opt/rnnlab/cli/bin.js'],
    });
    expect(p.arrayScript).toMatch(/^#SBATCH --array=0-15%6$/m);
    expect(p.arrayScript).toMatch(/^#SBATCH --requeue$/m);
    expect(p.arrayScript).toMatch(/^#SBATCH --cpus-per-task=4$/m);
    expect(p.arrayScript).toMatch(/^#SBATCH --partition=cpu$/m);
    expect(p.arrayScript).toContain("--out '/scratch/run 1' --shard slurm");
    expect(p.arrayScript).toContain('scontrol requeue');
    expect(p.mergeScript).toContain("paper --scale medium --out '/scratch/run 1' --merge");
    expect(p.commands[1]).toContain('--dependency=afterok:$jid');
    // 10.6 core-hours over 16 × 4 CPUs ≈ 10 min per task, 1.5× plus 10 min; never shorter than the longest network.
    const longest = Math.max(...shardedPlan(MEDIUM, 16).map((j) => j.estimatedSeconds)) / 60;
    expect(p.suggestedMinutes).toBeGreaterThan(longest);
    expect(p.suggestedMinutes).toBeLessThan(120);
    const m = /^#SBATCH --time=(\d\d):(\d\d):00$/m.exec(p.arrayScript)!;
    expect(Number(m[1]) * 60 + Number(m[2])).toBe(p.suggestedMinutes);
    expect(() =>
      slurmPlan({
        scale: 'tiny',
        jobs: TINY.jobs,
        dir: '/x',
        shards: 2,
        cpusPerTask: 1,
        partition: 'a;rm -rf /',
        rnnlab: ['node'],
      }),
    ).toThrow(/partition/);
  },
);
