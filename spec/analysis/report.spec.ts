/**
 * The report: figures are written as SVG and PNG, the summary is computed, and the page loads in headless Chromium
 * (Debian's chromium, installed by .ci/system-deps.sh) without console errors and with every figure on it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cloneModel, createModel, initialize, jsBackend, Trainer } from '@rnnlab/engine';
import { generate, getTask } from '@rnnlab/tasks';
import { writeReport } from '@rnnlab/analysis';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-report-'));
// A bias-free tanh network always has the origin as a fixed point, so the fixed-point figure is always there.
const FIGURES = ['loss', 'trials', 'hidden', 'spectrum', 'connectivity', 'weights', 'pca', 'fixed-points'];

let summary: Awaited<ReturnType<typeof writeReport>>;

beforeAll(async () => {
  const task = getTask('and');
  const model = createModel({ nIn: 2, nRec: 16, nOut: 1 });
  initialize(model, { rec: 'orthogonal', seed: 2 });
  const initial = cloneModel(model);
  const trainer = new Trainer(
    model,
    generate(task, { nTrials: 64, seed: 2 }),
    {
      epochs: 2,
      batchSize: 16,
      adam: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0, convention: 'pytorch' },
    },
    jsBackend,
  );
  trainer.run();
  summary = await writeReport(
    {
      title: 'spec report',
      model,
      initial,
      history: { stepLosses: trainer.stepLosses, epochs: trainer.history },
      task,
      taskParams: {},
      backend: jsBackend,
      seed: 5,
      evalTrials: 40,
    },
    dir,
  );
});

test('every figure is written as SVG and as a PNG with the PNG signature', () => {
  for (const f of FIGURES) {
    expect(fs.readFileSync(path.join(dir, 'figures', `${f}.svg`), 'utf8')).toMatch(
      /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/,
    );
    expect(fs.readFileSync(path.join(dir, 'figures', `${f}.png`)).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
  }
  expect(summary.figures).toHaveLength(2 * FIGURES.length);
});

test('the PCA figure draws every condition in one basis with the variance each PC explains (issue 26)', () => {
  const svg = fs.readFileSync(path.join(dir, 'figures', 'pca.svg'), 'utf8');
  const share = /one PCA basis for all trials \(PC1-3: ([\d.]+) %, ([\d.]+) %, ([\d.]+) % of variance[;)]/.exec(svg);
  expect(share).not.toBeNull();
  const [a, b, c] = share!.slice(1).map(Number);
  expect(a).toBeGreaterThanOrEqual(b);
  expect(b).toBeGreaterThanOrEqual(c);
  expect(a + b + c).toBeLessThanOrEqual(100.05);
  // every condition is in the legend, the one whose state barely moves too (a per-trial basis had dropped it)
  for (const name of ['00', '01', '10', '11']) expect(svg).toContain(`(${name})`);
});

test('the summary holds accuracy, distance, spectra and weight statistics that match the model', () => {
  expect(summary.accuracy).toBeGreaterThanOrEqual(0);
  expect(summary.accuracy).toBeLessThanOrEqual(1);
  expect(Object.values(summary.perCondition).reduce((s, c) => s + c.total, 0)).toBe(40);
  expect(summary.spectrum.initial!.spectralRadius).toBeCloseTo(1, 5); // orthogonal init: every |λ| = 1
  expect(summary.spectrum.trained.spectralRadius).not.toBe(summary.spectrum.initial!.spectralRadius);
  expect(summary.weights.trained.n).toBe(256);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).meanDistance).toBe(summary.meanDistance);
});

// Tests never install packages. Without Chromium a developer's run reports this spec as skipped, with the reason and
// the fix in its name; under CI=true (where .ci/run installs it) a missing browser is a failure.
const browserTest = CHROMIUM || process.env.CI === 'true' ? test : test.skip;
const browserSpecName =
  CHROMIUM || process.env.CI === 'true'
    ? 'the page loads in headless Chromium without console errors and shows every figure'
    : 'the page in headless Chromium — SKIPPED: Debian chromium is not installed (fix: apt-get install chromium, or ' +
      'bash .ci/system-deps.sh)';

browserTest(browserSpecName, () => {
  if (!CHROMIUM)
    throw new Error(
      'Debian chromium is not installed but CI=true: .ci/system-deps.sh should have installed it (apt-get install ' +
        'chromium)',
    );
  const page = `file://${path.join(dir, 'index.html')}`;
  const shot = path.join(dir, 'page.png');
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-'))}`,
    '--enable-logging=stderr',
    '--v=0',
  ];
  const dom = spawnSync(CHROMIUM, [...flags, '--dump-dom', page], { encoding: 'utf8', timeout: 60000 });
  expect(dom.status).toBe(0);
  for (const f of FIGURES) expect(dom.stdout).toMatch(new RegExp(`<figure id="fig-${f}"><svg[^>]*class="marks"`));
  expect(dom.stdout).toContain('Accuracy <b>');
  const consoleErrors = dom.stderr.split('\n').filter((l) => /CONSOLE|Uncaught|ERR_FILE_NOT_FOUND/.test(l));
  expect(consoleErrors).toEqual([]);
  const ss = spawnSync(CHROMIUM, [...flags, `--screenshot=${shot}`, '--window-size=1200,2400', page], {
    encoding: 'utf8',
    timeout: 60000,
  });
  expect(ss.status).toBe(0);
  const png = fs.readFileSync(shot);
  expect(png.length).toBeGreaterThan(50000); // a blank 1200×2400 page compresses to a few kB
});

test('the PCA figure draws the fixed points in its basis, and the Jacobian spectra figure their stability', () => {
  const pcaSvg = fs.readFileSync(path.join(dir, 'figures', 'pca.svg'), 'utf8');
  expect(pcaSvg).toMatch(/fixed point\(s\), \d+ stable/);
  expect(pcaSvg).toMatch(/stable fixed point/);
  const jac = fs.readFileSync(path.join(dir, 'figures', 'fixed-points.svg'), 'utf8');
  expect(jac).toMatch(/Eigenvalues of the Jacobian at the fixed points/);
  expect(jac).toMatch(/fixed point 1 \((stable|unstable)\)/);
});

test('a two-option task adds its psychometric and chronometric curves, consistent with its choices', async () => {
  const task = getTask('ng-perceptual-decision-making');
  const model = createModel({ nIn: 3, nRec: 12, nOut: 3, readout: 'softmax' });
  initialize(model, { rec: 'orthogonal', seed: 4 });
  const out = path.join(dir, 'pdm');
  fs.mkdirSync(out);
  const s = await writeReport(
    {
      title: 'pdm',
      model,
      initial: null,
      history: null,
      task,
      taskParams: {},
      backend: jsBackend,
      seed: 1,
      evalTrials: 30,
    },
    out,
  );
  for (const f of ['psychometric', 'chronometric']) expect(s.figures).toContain(`figures/${f}.svg`);
  const made = s.psychometric!.levels.reduce((a, l) => a + l.n, 0);
  expect(made).toBeGreaterThan(0);
  expect(s.psychometric!.levels.reduce((a, l) => a + l.n + l.noChoice, 0)).toBe(30);
  expect(s.chronometric!.reduce((a, l) => a + (l.all?.n ?? 0), 0)).toBe(made);
  expect(summary.psychometric).toBeNull(); // AND has no two options
  expect(summary.chronometric).toBeNull();
});
