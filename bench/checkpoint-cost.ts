/**
 * Cost of one checkpoint (build, SHA-256 seal, durable write, verification) at the paper's protocol: printed, never a
 * timed test.
 */
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { createModel, initialize, jsBackend, Trainer, trialsFingerprint, verifyCheckpoint } from '@rnnlab/engine';
import { sha256Hex } from '@rnnlab/engine/advanced';
import { writeFileAtomic } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
for (const N of [50, 250]) {
  const tr = generate(getTask('and'), { nTrials: 15000, seed: 2 });
  const m = createModel({ nIn: 2, nRec: N, nOut: 1 });
  const init = initialize(m, { rec: 'normal', seed: 1 });
  const t = new Trainer(m, tr, { epochs: 20, batchSize: 64 }, jsBackend, init);
  // The state of a network late in training (epoch 18 of 20), consistent so that it verifies.
  const spe = t.stepsPerEpoch;
  t.epoch = 17;
  t.stepInEpoch = 5;
  t.adam.step = 17 * spe + 5;
  t.epochTrials = 5 * 64;
  t.epochLossSum = 0.01;
  for (let e = 1; e <= 17; e++) t.history.push({ epoch: e, loss: 0.001 * e, steps: e * spe });
  t.stepLosses.push(...Array.from({ length: t.adam.step }, (_, i) => 1 / (i + 3)));
  t.adam.m.fill(1.234e-5);
  t.adam.v.fill(2.345e-9);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-'));
  const time = (f: () => void, k = 5) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < k; i++) f();
    return Number(process.hrtime.bigint() - t0) / 1e6 / k;
  };
  const fingerprint = time(() => trialsFingerprint(tr), 1);
  void t.dataFingerprint; // computed once per trainer; not part of a checkpoint's cost
  let text = '';
  const seal = time(() => {
    text = t.checkpointText({});
  });
  const { sha256: _s, ...payload } = JSON.parse(text);
  const pj = JSON.stringify(payload);
  const hash = time(() => sha256Hex(pj));
  const write = time(() => writeFileAtomic(path.join(dir, 'checkpoint.json'), text));
  const verify = time(() => verifyCheckpoint(JSON.parse(text)));
  console.log(
    `N=${N}: ${(text.length / 1e6).toFixed(2)} MB; data fingerprint (once per run) ${fingerprint.toFixed(0)} ms; per ` +
      `checkpoint: build+seal ${seal.toFixed(1)} ms (sha256 alone ${hash.toFixed(1)} ms), durable write ` +
      `${write.toFixed(1)} ms, parse+verify ${verify.toFixed(1)} ms`,
  );
}
