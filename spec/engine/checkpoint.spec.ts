/**
 * Checkpoints are verified before use: the SHA-256 (checked against Node's crypto), then every field. Each
 * corruption below is one a user or a failing disk could produce; each must be refused with the field named.
 */
import { createHash } from 'crypto';
import {
  createModel,
  initialize,
  jsBackend,
  Rng,
  type TrainCheckpoint,
  type TrainCheckpointPayload,
  Trainer,
  type Trials,
  trialsFingerprint,
  verifyCheckpoint,
} from '@rnnlab/engine';
import { sealCheckpoint, sha256Hex } from '@rnnlab/engine/advanced';

function trials(B: number, T: number, seed: number): Trials {
  const rng = new Rng(seed);
  const tr: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: 1,
    nOut: 1,
    inputs: new Float64Array(B * T),
    targets: new Float64Array(B * T),
    mask: new Float64Array(B * T).fill(1),
  };
  rng.fillNormal(tr.inputs);
  rng.fillUniform(tr.targets, -0.5, 0.5);
  return tr;
}

function trainer(steps: number, clipNorm = 0): Trainer {
  const model = createModel({ nIn: 1, nRec: 6, nOut: 1, noiseStd: 0.02, dtype: 'float64' });
  const init = initialize(model, { rec: 'normal', seed: 5 });
  const t = new Trainer(
    model,
    trials(20, 8, 1),
    {
      epochs: 4,
      batchSize: 8,
      seed: 3,
      clipNorm,
      adam: { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' },
    },
    jsBackend,
    init,
  );
  t.run({ maxSteps: steps });
  return t;
}

/**
 * A checkpoint with `edit` applied to its payload and re-sealed, so the schema check (not the checksum) must catch it.
 */
function resealed(edit: (p: TrainCheckpointPayload & Record<string, unknown>) => void): TrainCheckpoint {
  const { sha256: _sum, ...payload } = JSON.parse(JSON.stringify(trainer(4).toCheckpoint())) as TrainCheckpoint;
  edit(payload as TrainCheckpointPayload & Record<string, unknown>);
  return JSON.parse(JSON.stringify(sealCheckpoint(payload)));
}

test('sha256Hex equals Node crypto on every length around the block edges and on non-ASCII text', () => {
  for (let n = 0; n < 200; n++) {
    const s = 'aé€😀'.repeat(n).slice(0, n);
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  }
  // FIPS 180-2 example
  expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a sealed checkpoint round-trips through JSON and verifies', () => {
  const ck = JSON.parse(JSON.stringify(trainer(5).toCheckpoint()));
  expect(() => verifyCheckpoint(ck)).not.toThrow();
  expect(ck.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('one changed digit anywhere (weights, trial order, Adam moments) is caught by the checksum', () => {
  const text = JSON.stringify(trainer(5).toCheckpoint());
  for (const key of ['"W_rec":[[', '"order":[', '"m":[', '"v":[']) {
    const at = text.indexOf(key) + key.length;
    let i = at;
    while (!/[1-8]/.test(text[i])) i++;
    const changed = text.slice(0, i) + String(Number(text[i]) + 1) + text.slice(i + 1);
    expect(() => verifyCheckpoint(JSON.parse(changed), 'ck')).toThrow(/ck: its SHA-256 does not match its content/);
  }
});

test(
  'missing sections, a version-1 file and a foreign format are refused by name, never with JavaScript ' + 'internals',
  () => {
    const base = JSON.parse(JSON.stringify(trainer(4).toCheckpoint()));
    for (const k of ['data', 'adam', 'train', 'model', 'rng']) {
      expect(() =>
        verifyCheckpoint(
          resealed((p) => {
            delete p[k];
          }),
        ),
      ).toThrow(new RegExp(`"${k}" section is missing`));
    }
    expect(() => verifyCheckpoint({ ...base, version: 1 })).toThrow(/version 1 carries no checksum/);
    expect(() => verifyCheckpoint({ ...base, format: 'x' })).toThrow(/not an rnnlab training checkpoint/);
    expect(() => verifyCheckpoint(null)).toThrow(/not a JSON object/);
    const { sha256: _s, ...unsealed } = base;
    expect(() => verifyCheckpoint(unsealed)).toThrow(/"sha256" is missing/);
  },
);

test.each([
  [
    'an out-of-range trial index',
    (p: any) => {
      p.order[0] = 999;
    },
    /order\[0\] = 999 is not a trial index/,
  ],
  [
    'a negative trial index',
    (p: any) => {
      p.order[1] = -1;
    },
    /order\[1\] = -1 is not a trial index/,
  ],
  [
    'a duplicated trial',
    (p: any) => {
      p.order[1] = p.order[0];
    },
    /not a permutation: trial \d+ appears twice/,
  ],
  [
    'a short trial order',
    (p: any) => {
      p.order.pop();
    },
    /order has 19 entries, expected 20/,
  ],
  [
    'a null Adam state',
    (p: any) => {
      p.adam.m = null;
    },
    /adam\.m is missing or not a list/,
  ],
  [
    'Adam moments of the wrong size',
    (p: any) => {
      p.adam.v.push(0);
    },
    /adam\.v has \d+ entries, expected \d+/,
  ],
  [
    'a negative second moment',
    (p: any) => {
      p.adam.v[0] = -1;
    },
    /adam\.v\[0\] must be a finite number >= 0/,
  ],
  [
    'a negative epoch',
    (p: any) => {
      p.epoch = -1;
    },
    /epoch must be an integer in \[0, 4\]/,
  ],
  [
    'a huge epoch',
    (p: any) => {
      p.epoch = 1e9;
    },
    /epoch must be an integer in \[0, 4\]/,
  ],
  [
    'a step that does not match epoch and position',
    (p: any) => {
      p.adam.step = 3;
    },
    /adam\.step is 3 but epoch 1 and step 1 of 3 per epoch make 4/,
  ],
  [
    'a loss curve of the wrong length',
    (p: any) => {
      p.stepLosses.push(0.1);
    },
    /stepLosses has 5 entries, expected 4/,
  ],
  [
    'a stop reason that is not one',
    (p: any) => {
      p.stopReason = 'bored';
    },
    /stopReason must be null/,
  ],
  [
    'a broken RNG state',
    (p: any) => {
      p.rng.arc4.S = [1, 2];
    },
    /rng must hold an ARC4 state/,
  ],
  [
    'a bad fingerprint',
    (p: any) => {
      p.data.fingerprint = 'zz';
    },
    /data\.fingerprint must be 16 hex digits/,
  ],
  [
    'a malformed model',
    (p: any) => {
      p.model.params.W_rec = [[1]];
    },
    /model: its SHA-256 does not match/,
  ],
  [
    'a malformed unsealed model',
    (p: any) => {
      delete p.model.sha256;
      p.model.version = 1;
      p.model.params.W_rec = [[1]];
    },
    /params\.W_rec/,
  ],
])('%s is refused (re-sealed, so the schema check must see it)', (_what, edit, message) => {
  expect(() => verifyCheckpoint(resealed(edit), 'ck')).toThrow(message);
});

test('amending the clipping from a step on is recorded and survives the checkpoint; the resumed run uses it', () => {
  const t = trainer(4, 0);
  t.amendClipNorm(0.01);
  expect(t.amendments).toEqual([{ step: 4, clipNorm: 0.01, previous: 0 }]);
  const back = Trainer.fromCheckpoint(JSON.parse(JSON.stringify(t.toCheckpoint())), trials(20, 8, 1), jsBackend);
  expect(back.config.clipNorm).toBe(0.01);
  expect(back.amendments).toEqual(t.amendments);
  // The same trainer continued without the amendment takes different steps (clipping at 0.01 bites).
  const plain = trainer(4, 0);
  back.run({ maxSteps: 2 });
  plain.run({ maxSteps: 2 });
  expect(Buffer.from(back.model.params.flat.buffer).equals(Buffer.from(plain.model.params.flat.buffer))).toBe(false);
});

test(
  'checkpointText (payload stringified once) is exactly JSON.stringify of the sealed checkpoint, and ' + 'verifies',
  () => {
    const t = trainer(5);
    const text = t.checkpointText({ recipe: { a: 1 } });
    expect(text).toBe(JSON.stringify(t.toCheckpoint({ recipe: { a: 1 } })));
    expect(() => verifyCheckpoint(JSON.parse(text))).not.toThrow();
  },
);

test('the data fingerprint changes with any word of inputs, targets or mask, and with how they are split', () => {
  const a = trials(20, 8, 1);
  const fp = trialsFingerprint(a);
  expect(fp).toMatch(/^[0-9a-f]{16}$/);
  for (const k of ['inputs', 'targets', 'mask'] as const) {
    const b = trials(20, 8, 1);
    b[k][77] = b[k][77] + 1e-12;
    expect(trialsFingerprint(b)).not.toBe(fp);
  }
});

// Yang's multi-task set (25600 trials × 209 steps × 85 inputs) is 3.6 GB: its word count passes int32.
test('trialsFingerprint hashes a set of more than 2 GB, to its last word', () => {
  const big = trials(1, 1, 1);
  big.inputs = new Float64Array(2 ** 28 + 1); // 2^31 + 8 bytes
  const fp = trialsFingerprint(big);
  expect(fp).toMatch(/^[0-9a-f]{16}$/);
  big.inputs[2 ** 28] = 1;
  expect(trialsFingerprint(big)).not.toBe(fp);
});
