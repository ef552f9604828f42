/** The JSON model format: exact round trip, and a clear error for every kind of malformed or mismatched file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createModel, initialize, modelFromJson, modelToJson, RnnlabError, setRecMask } from '@rnnlab/engine';
import { loadModel, saveModel } from '@rnnlab/engine/node';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-model-'));

function sample(dtype: 'float32' | 'float64' = 'float32') {
  const model = createModel({ nIn: 2, nRec: 6, nOut: 1, alpha: 0.5, recurrentBias: true, dtype });
  const init = initialize(model, { rec: 'orthogonal', seed: 12 });
  return { model, init };
}

test.each(['float32', 'float64'] as const)(
  'a %s model saved and loaded again has bit-identical weights, config and init',
  (dtype) => {
    const { model, init } = sample(dtype);
    const mask = new Array(36).fill(1);
    mask[3] = 0;
    setRecMask(model, mask);
    const file = path.join(dir, `m-${dtype}.json`);
    saveModel(file, model, init, { task: 'and' });
    const back = loadModel(file);
    expect(back.model.config).toEqual(model.config);
    expect(Buffer.from(back.model.params.flat.buffer).equals(Buffer.from(model.params.flat.buffer))).toBe(true);
    expect(back.init).toEqual(init);
    expect(back.meta).toEqual({ task: 'and' });
    expect(Array.from(back.model.recMask!)).toEqual(mask);
  },
);

const corruptions: Array<[string, (o: any) => unknown, RegExp]> = [
  ['wrong format tag', (o) => ({ ...o, format: 'keras' }), /expected "rnnlab-model"/],
  [
    'future version',
    (o) => ({ ...o, version: 99 }),
    /version 99 is not supported \(this rnnlab reads versions 1, 2 and 3\)/,
  ],
  [
    'missing parameter',
    (o) => {
      delete o.params.W_out;
      return o;
    },
    /params.W_out is missing/,
  ],
  [
    'wrong parameter shape',
    (o) => {
      o.params.W_rec.pop();
      return o;
    },
    /params.W_rec has shape \[5, 6\], expected \[6, 6\]/,
  ],
  [
    'ragged matrix',
    (o) => {
      o.params.W_rec[2].pop();
      return o;
    },
    /W_rec\[2\] is not an array of length 6/,
  ],
  [
    'non-numeric weight',
    (o) => {
      o.params.W_in[0][1] = 'x';
      return o;
    },
    /W_in\[0\]\[1\] is "x", expected a finite number/,
  ],
  [
    'null weight (what JSON.stringify makes of NaN)',
    (o) => {
      o.params.b[0] = null;
      return o;
    },
    /params.b\[0\] is null/,
  ],
  [
    'bad activation',
    (o) => {
      o.config.activation = 'sigmoid';
      return o;
    },
    /activation must be one of/,
  ],
  [
    'alpha out of range',
    (o) => {
      o.config.alpha = 1.5;
      return o;
    },
    /alpha \(dt\/tau\) must be in \(0, 1\]/,
  ],
  [
    'unknown config key',
    (o) => {
      o.config.tau = 100;
      return o;
    },
    /unknown key "tau"/,
  ],
  [
    'mask value not 0/1',
    (o) => {
      o.recMask = o.params.W_rec.map((r: number[]) => r.map(() => 2));
      return o;
    },
    /only 0 and 1/,
  ],
  [
    'weight under a removed connection',
    (o) => {
      o.recMask = o.params.W_rec.map((r: number[]) => r.map(() => 1));
      o.recMask[1][2] = 0;
      return o;
    },
    /W_rec\[1\]\[2\] = .* but the connectivity mask removes it/,
  ],
  ['not an object', () => [1, 2, 3], /expected a JSON object/],
];

/** The file as version 1 (no checksum), so that each schema check below is reached, not the checksum. */
function unsealed(model: ReturnType<typeof sample>['model'], init: ReturnType<typeof sample>['init']) {
  const { sha256: _s, ...o } = JSON.parse(JSON.stringify(modelToJson(model, init)));
  return { ...o, version: 1 };
}

test.each(corruptions)('a file with a %s is rejected with a clear message', (_label, corrupt, message) => {
  const { model, init } = sample();
  expect(() => modelFromJson(corrupt(unsealed(model, init)))).toThrow(message);
  expect(() => modelFromJson(corrupt(unsealed(model, init)))).toThrow(RnnlabError);
});

test('a saved model is sealed with a SHA-256: any edit is refused; an unsealed version-1 file still loads', () => {
  const { model, init } = sample();
  const sealed = JSON.parse(JSON.stringify(modelToJson(model, init)));
  expect(sealed.version).toBe(2);
  expect(sealed.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(() => modelFromJson(sealed)).not.toThrow();
  const edited = JSON.parse(JSON.stringify(sealed));
  edited.params.W_rec[0][0] += 1e-9;
  expect(() => modelFromJson(edited, 'm.json')).toThrow(
    'm.json: its SHA-256 does not match its content (the file was changed or damaged after it was written)',
  );
  const { sha256: _s, ...bare } = sealed;
  expect(() => modelFromJson(bare, 'm.json')).toThrow('m.json: "sha256" is missing');
  expect(
    Buffer.from(modelFromJson(unsealed(model, init)).model.params.flat.buffer).equals(
      Buffer.from(model.params.flat.buffer),
    ),
  ).toBe(true);
});

test('truncated JSON and missing files give errors that name the file', () => {
  const file = path.join(dir, 'truncated.json');
  const { model } = sample();
  fs.writeFileSync(file, JSON.stringify(modelToJson(model)).slice(0, 200));
  expect(() => loadModel(file)).toThrow(/truncated.json" is not valid JSON/);
  expect(() => loadModel(path.join(dir, 'nope.json'))).toThrow(/cannot read model file .*nope.json": no such file/);
});

test('saving over an existing file replaces it whole and leaves no temporary files', () => {
  const { model, init } = sample();
  const file = path.join(dir, 'over.json');
  fs.writeFileSync(file, 'old');
  saveModel(file, model, init);
  expect(loadModel(file).model.config.nRec).toBe(6);
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
