/**
 * The lab in a real browser (headless Chromium from Debian, driven by playwright-core): it trains the quick AND
 * preset to criterion and its weights are those of `rnnlab train --from-url` on the same link; an authors' Keras file
 * loaded by the file input has the engine's eigenvalues; the lesion controls change the lesioned network and its
 * degradation curve; a malformed or oversized file gets one message and the page goes on. Throughout: no console
 * error, no request outside the page's origin, and the page's CSP blocks one that is attempted. Screenshots go to
 * $RNNLAB_ARTIFACTS (default spec/web/artifacts, ignored by git) for CI to keep.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type RnnModel, weightsSha256 } from '@rnnlab/engine';
import { importKerasFile, loadModel } from '@rnnlab/engine/node';
import { importPsychRnn } from '@rnnlab/engine/psychrnn';
import { recurrentSpectrum } from '@rnnlab/analysis';
import { parseShareUrl, QUICK_AND, type Recipe, shareUrl } from '@rnnlab/experiments/share';
import { labFolder, serveLab } from '../../cli/lab-server';
import { ROOT, rnnlab } from '../cli/helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = process.env.RNNLAB_ARTIFACTS ?? path.join(ROOT, 'spec', 'web', 'artifacts');
const KERAS_AND = path.join(ROOT, 'spec', 'fixtures', 'keras', 'and_trained.hdf5');
const PSYCHRNN = path.join(ROOT, 'spec', 'fixtures', 'psychrnn', 'basic_dale_masks.npz');

jest.setTimeout(240000);

// The callbacks given to page.evaluate and page.waitForFunction run in the page, where these exist (the specs are
// type-checked with Node's types, without the DOM's).
declare const document: any;
declare const window: any;

/** The page's eigenvalues ([re, im] in any order) are the engine's for `model`, to 1e-12. */
function expectSameEigenvalues(shown: Array<[number, number]>, model: RnnModel): void {
  const engine = recurrentSpectrum(model).eigenvalues;
  expect(shown).toHaveLength(engine.length);
  const key = (a: [number, number]) => a[0] * 1e3 + a[1];
  const sorted = (xs: Array<[number, number]>) => xs.slice().sort((a, b) => key(a) - key(b));
  const want = sorted(engine.map((z) => [z.re, z.im]));
  sorted(shown).forEach(([re, im], i) => {
    expect(Math.abs(re - want[i][0])).toBeLessThan(1e-12);
    expect(Math.abs(im - want[i][1])).toBeLessThan(1e-12);
  });
}

// Where Debian's chromium is missing the suite reports itself skipped, with the fix in its name; under CI=true
// (where .ci/run installs it) a missing browser is a failure, as in spec/analysis/report.spec.ts.
const HAVE_BROWSER = fs.existsSync(CHROMIUM);
const suite = HAVE_BROWSER || process.env.CI === 'true' ? describe : describe.skip;
const SUITE_NAME = HAVE_BROWSER
  ? 'the lab in Chromium'
  : 'the lab in Chromium — SKIPPED: Debian chromium is not installed (fix: apt-get install chromium, or set ' +
    'CHROMIUM_PATH)';

suite(SUITE_NAME, () => {
  let browser: Browser;
  let page: Page;
  let server: http.Server;
  let origin: string;
  const consoleErrors: string[] = [];
  const outside: string[] = [];
  const outsideAnswered: string[] = [];
  const blocked: string[] = [];
  const violations: string[] = [];

  beforeAll(async () => {
    if (!HAVE_BROWSER)
      throw new Error(`${CHROMIUM} is missing but CI=true: .ci/system-deps.sh should have installed it (chromium)`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const served = await serveLab(labFolder(path.join(ROOT, 'web', 'dist')), '127.0.0.1', 0);
    server = served.server;
    origin = new URL(served.url).origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) outside.push(u);
    });
    page.on('response', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) outsideAnswered.push(r.url());
    });
    page.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure()?.errorText}`));
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e: any) => {
        const v = `${e.violatedDirective} ${e.blockedURI}`;
        (window.cspViolations ??= []).push(v);
        window.reportViolation(v);
      }),
    );
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const state = () => page.getAttribute('#status', 'data-state');

  it('trains the quick AND preset to criterion, to the weights `rnnlab train --from-url` gives its link', async () => {
    await page.click('#quick');
    await page.click('#train');
    // Pause a moment in, check that nothing moves, resume: slicing the run must not change its bits.
    await page.waitForFunction(() => Number(document.getElementById('progress').value) >= 20);
    await page.click('#pause');
    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'paused');
    const at = await page.getAttribute('#progress', 'value');
    // The pause's analysis asks for the lesion view; the worker answers after every message it sent before, so once
    // the answer is in, an update still on its way would have moved the bar.
    await page.waitForFunction(() => /weights removed/.test(document.getElementById('lesion-status').textContent));
    expect(await page.getAttribute('#progress', 'value')).toBe(at);
    await page.click('#resume');
    // timeout 0: wait for the event however long training takes here (jest's test timeout is the hang guard)
    await page.waitForFunction(() => document.getElementById('status')!.dataset.state === 'done', null, {
      timeout: 0,
    });
    expect(await page.textContent('#status')).toContain('early-stop');
    await page.waitForFunction(() => document.getElementById('weights-sha')!.textContent!.length === 64);
    const sha = await page.textContent('#weights-sha');
    const link = await page.inputValue('#share-url');
    expect(await page.textContent('#kernel')).toMatch(
      /^wasm-simd \(wasm-simd module sha256:[0-9a-f]{16}, @rnnlab\/engine /,
    );
    await page.waitForSelector('#fig-pca svg');
    await shot('trained');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-lab-node-'));
    try {
      const r = rnnlab(['train', '--from-url', link, '--out', path.join(dir, 'run'), '--json']);
      expect(r.code).toBe(0);
      const node = JSON.parse(r.stdout);
      expect(node.stopReason).toBe('early-stop');
      expect(node.weightsSha256).toBe(sha);
      const accuracy = await page.textContent('#accuracy');
      expect(accuracy).toContain(`${(100 * node.evaluation.accuracy).toFixed(1)} %`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports a model.json that rnnlab eval reads, with the weights the page shows', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-lab-export-'));
    try {
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(path.basename(file)).toBe('and-N50.json');
      const { model, meta } = loadModel(file);
      expect(weightsSha256(model)).toBe(await page.textContent('#weights-sha'));
      expect(meta.task).toBe('and');
      const r = rnnlab(['eval', file, '--backend', 'wasm-simd:plain', '--json']);
      expect(r.code).toBe(0);
      const accuracy = await page.textContent('#accuracy');
      expect(accuracy).toContain(`${(100 * JSON.parse(r.stdout).accuracy).toFixed(1)} %`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves the lesion controls and the lesioned network and its degradation curve follow', async () => {
    const degradation = () => page.innerHTML('#fig-degradation');
    await page.waitForSelector('#fig-degradation svg');
    await page.waitForFunction(() => /^0 weights removed/.test(document.getElementById('lesion-status')!.textContent!));
    const before = await degradation();
    const status = () => page.textContent('#lesion-status');
    await page.fill('#lesion-fraction', '30');
    await page.waitForFunction(
      () => !/^0 weights removed/.test(document.getElementById('lesion-status')!.textContent!),
    );
    // 30 % of the nonzero weights of a 50-unit W_rec (orthogonal start: all 2500 nonzero).
    expect(await status()).toMatch(/^750 weights removed/);
    const movedMarker = await degradation();
    expect(movedMarker).not.toBe(before);
    await page.selectOption('#lesion-mode', 'largest');
    await page.waitForFunction((old) => document.getElementById('fig-degradation')!.innerHTML !== old, movedMarker);
    expect(await degradation()).toContain('largest |w| first');
    expect(await page.isHidden('#error')).toBe(true); // no message so far (a pause's lesion request raced a resume)
    await page.fill('#lesion-hand', '0,1; 2,3');
    await page.waitForFunction(() =>
      /752 weights removed/.test(document.getElementById('lesion-status')!.textContent!),
    );
    await shot('lesioned');
  });

  it('trains a constrained run from a link (Dale, current, learnt τ, regularisers) to Node’s bits', async () => {
    const recipe = structuredClone(QUICK_AND) as Recipe;
    Object.assign(recipe, { nTrials: 64, taskParams: { inputNoise: 0.05 } });
    recipe.model = {
      ...recipe.model,
      nRec: 20,
      daleRatio: 0.8,
      formulation: 'current',
      autapses: false,
      perUnitAlpha: true,
      trainAlpha: true,
      alpha: 0.5,
      regularizers: { l2Rec: 1e-4, l2Rate: 1e-3 },
    };
    recipe.train = { ...recipe.train, epochs: 2 };
    const given = shareUrl(page.url(), { recipe, kernel: 'wasm-simd' });
    await page.goto(given);
    await page.click('#train');
    await page.waitForFunction(() => document.getElementById('status').dataset.state === 'done', null, {
      timeout: 0,
    });
    await page.waitForFunction(() => document.getElementById('weights-sha').textContent.length === 64);
    // The form read the link and wrote the same run back.
    const link = await page.inputValue('#share-url');
    expect(parseShareUrl(link).recipe).toEqual(recipe);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-lab-dale-'));
    try {
      const r = rnnlab(['train', '--from-url', link, '--out', path.join(dir, 'run'), '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).weightsSha256).toBe(await page.textContent('#weights-sha'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads an authors’ Keras file by the file input, with the engine’s eigenvalues', async () => {
    const before = await page.textContent('#eigenvalues');
    await page.setInputFiles('#file', KERAS_AND);
    await page.waitForFunction(() => document.getElementById('status')!.dataset.state === 'loaded');
    // the page clears the numbers when a file is chosen, then shows the new network's
    await page.waitForFunction(
      (old) => !['', old].includes(document.getElementById('eigenvalues')!.textContent),
      before,
    );
    const shown = JSON.parse((await page.textContent('#eigenvalues'))!) as Array<[number, number]>;
    expectSameEigenvalues(shown, importKerasFile(KERAS_AND).model);
    expect(await page.textContent('#status')).toContain('and_trained.hdf5');
    await shot('keras');
  });

  it('loads a PsychRNN .npz with the α and activation of the form, with the engine’s eigenvalues', async () => {
    await page.selectOption('#task', 'ng-go-nogo');
    await page.fill('#alpha', '0.2');
    await page.selectOption('#activation', 'relu');
    const before = await page.textContent('#eigenvalues');
    await page.setInputFiles('#file', PSYCHRNN);
    await page.waitForFunction(
      (old) => !['', old].includes(document.getElementById('eigenvalues').textContent),
      before,
    );
    const engine = importPsychRnn(fs.readFileSync(PSYCHRNN), { alpha: 0.2, activation: 'relu' }).model;
    expectSameEigenvalues(JSON.parse((await page.textContent('#eigenvalues'))!), engine);
    expect(await page.textContent('#status')).toContain('ng-go-nogo, N = 10');
  });

  it('gives a malformed or oversized file one message and keeps working', async () => {
    await page.setInputFiles('#file', {
      name: 'evil.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":'),
    });
    await page.waitForSelector('#error:not([hidden])');
    const message = (await page.textContent('#error'))!;
    expect(message).toMatch(/evil\.json.*not valid JSON/);
    expect(message.split('\n')).toHaveLength(1);
    const huge = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-huge-')), 'huge.hdf5');
    fs.writeFileSync(huge, Buffer.alloc(65 * 2 ** 20));
    await page.setInputFiles('#file', huge);
    fs.rmSync(path.dirname(huge), { recursive: true, force: true });
    await page.waitForFunction(() => /huge\.hdf5.*up to 64 MB/.test(document.getElementById('error')!.textContent!));
    // still working: the Keras network loaded before answers a lesion
    await page.fill('#lesion-fraction', '10');
    await page.waitForFunction(() =>
      /^\d+ weights removed/.test(document.getElementById('lesion-status')!.textContent!),
    );
    expect(await state()).toBe('loaded');
  });

  it('made no request outside its origin, logged no error, and its CSP blocks one that is attempted', async () => {
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(violations).toEqual([]);
    const failed = page.waitForEvent('requestfailed', (r) => r.url() === 'https://example.com/pixel.png');
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'https://example.com/pixel.png';
      document.body.append(img);
    });
    await failed;
    await page.waitForFunction(() => window.cspViolations.some((v: string) => v.includes('example.com')));
    expect(violations.some((v) => v.startsWith('img-src') && v.includes('example.com'))).toBe(true);
    // Chromium reports the attempt as a request that failed, blocked by the CSP, never answered
    expect(blocked).toContain('https://example.com/pixel.png csp');
    expect(outsideAnswered).toEqual([]);
  });
});
