/**
 * Shared runs (experiments/run/share.ts): the link the lab writes, read back by the lab and by
 * `rnnlab train --from-url`. A link is untrusted input: every malformed or hostile one is one clear error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseShareUrl, QUICK_AND, type Recipe, type SharedRun, shareUrl } from '@rnnlab/experiments/share';
import { recipeIdentity } from '@rnnlab/experiments';
import { RnnlabError } from '@rnnlab/engine';
import { rnnlab } from '../cli/helpers';

const BASE = 'http://127.0.0.1:5178/';
const quick: SharedRun = { recipe: structuredClone(QUICK_AND), kernel: 'wasm-simd' };

/** A link whose run JSON is `body` as given (not built by shareUrl). */
const linkOf = (body: unknown) => `${BASE}#run=${encodeURIComponent(JSON.stringify(body))}`;
const body = (over: Record<string, unknown> = {}, recipe: Record<string, unknown> = {}) => ({
  v: 1,
  kernel: 'wasm-simd',
  recipe: { ...structuredClone(QUICK_AND), ...recipe },
  ...over,
});

describe('shared-run links', () => {
  it('read back the run they were written from, with the build when given', () => {
    const run: SharedRun = { ...quick, build: '8d8c7777acacf1b8' };
    const link = shareUrl(BASE, run);
    expect(link.startsWith(`${BASE}#run=`)).toBe(true);
    expect(parseShareUrl(link)).toEqual(run);
    expect(parseShareUrl(link.slice(link.indexOf('#') + 1))).toEqual(run);
  });

  it('keep task parameters and a constrained model', () => {
    const recipe = structuredClone(QUICK_AND) as Recipe;
    recipe.taskParams = { inputNoise: 0.05 };
    recipe.model = { ...recipe.model, daleRatio: 0.8, autapses: false };
    expect(parseShareUrl(shareUrl(BASE, { recipe, kernel: 'wasm-simd+fma' })).recipe).toEqual(recipe);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no fragment', BASE, /no "#run=" part/],
    ['not URL-encoded', `${BASE}#run=%E0%A4%A`, /not URL-encoded/],
    ['not JSON', `${BASE}#run=%7Bnope`, /not valid JSON/],
    ['an array', linkOf([1, 2]), /must be an object/],
    ['another version', linkOf(body({ v: 2 })), /version 2/],
    ['an unknown kernel', linkOf(body({ kernel: 'gpujs' })), /kernel must be one of/],
    ['a build that is not hex', linkOf(body({ build: '<script>' })), /hexadecimal/],
    ['an unknown top-level key', linkOf(body({ extra: 1 })), /unknown key "extra"/],
    [
      'a prototype key',
      `${BASE}#run=${encodeURIComponent('{"v":1,"__proto__":{"x":1},"kernel":"wasm-simd"}')}`,
      /unknown key "__proto__"/,
    ],
    ['an unknown task', linkOf(body({}, { task: 'andd' })), /unknown task|andd/],
    ['a start file', linkOf(body({}, { startFrom: { file: '/etc/passwd', sha256: 'x' } })), /unknown key "startFrom"/],
    ['a task parameter that is text', linkOf(body({}, { taskParams: { inputNoise: '0.1' } })), /finite number/],
    ['no trials', linkOf(body({}, { nTrials: 0 })), /nTrials must be at least 1/],
    ['fractional trials', linkOf(body({}, { nTrials: 1.5 })), /nTrials must be an integer/],
    ['an input size', linkOf(body({}, { model: { nRec: 5, nIn: 3 } })), /unknown key "nIn"/],
    ['a negative size', linkOf(body({}, { model: { nRec: -5 } })), /nRec/],
    ['an unknown Adam key', linkOf(body({}, { train: { adam: { lr: 1e-3, momentum: 1 } } })), /unknown key "momentum"/],
    ['zero epochs', linkOf(body({}, { train: { epochs: 0 } })), /epochs must be a positive integer/],
    ['a link too long', `${BASE}#run=${'x'.repeat(1 << 21)}`, /longer than/],
  ];
  it.each(bad)('refuse %s with one line', (_what, link, message) => {
    let err: unknown;
    try {
      parseShareUrl(link);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RnnlabError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('the quick AND preset', () => {
  it('is the recipe `rnnlab train --quick` writes into run.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-quick-'));
    try {
      const r = rnnlab(['train', '--quick', '--max-steps', '1', '--out', path.join(dir, 'run')]);
      expect(r.code).toBe(0);
      const runJson = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'run.json'), 'utf8'));
      expect(recipeIdentity(QUICK_AND)).toBe(recipeIdentity(runJson));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rnnlab train --from-url', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-url-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains the linked run on the plain kernel, twice to the same weights, and names another build', () => {
    const recipe = structuredClone(QUICK_AND) as Recipe;
    Object.assign(recipe, { nTrials: 64 });
    recipe.model = { ...recipe.model, nRec: 12 };
    recipe.train = { ...recipe.train, epochs: 2 };
    const link = shareUrl(BASE, { recipe, kernel: 'wasm-simd', build: '0123456789abcdef' });
    const runs = ['a', 'b'].map((name) =>
      rnnlab(['train', '--from-url', link, '--out', path.join(dir, name), '--json']),
    );
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: the link was made on kernel build 0123456789abcdef/);
    }
    const [a, b] = runs.map((r) => JSON.parse(r.stdout));
    expect(a.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.weightsSha256).toBe(a.weightsSha256);
    const runJson = JSON.parse(fs.readFileSync(path.join(dir, 'a', 'run.json'), 'utf8'));
    expect(runJson.backendName).toBe('wasm-simd:plain');
    expect(runJson.kernelBuilds[0].backend).toBe('wasm-simd');
    expect(recipeIdentity(runJson)).toBe(recipeIdentity({ ...recipe, train: runJson.train }));
  });

  it('refuses flags that would change the run, and a bad link, in one line', () => {
    const link = shareUrl(BASE, quick);
    const r = rnnlab(['train', '--from-url', link, '--size', '10', '--out', path.join(dir, 'c')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--size cannot be given with it/);
    const bad = rnnlab(['train', '--from-url', `${BASE}#run=%7B`, '--out', path.join(dir, 'd')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'd'))).toBe(false);
  });
});
