/**
 * The lab's training speed against Node's, same kernel (wasm-simd, plain: the lab's default) and recipe: each
 * recipe is trained in Node by the engine's Trainer and in headless Chromium by the lab (web/dist, served by
 * `rnnlab lab`'s server), twice each, and the updates per second of wall time are printed with their ratio. The
 * issue's aim: the page at ≥ 80 % of Node. Printed, never a timed test. Needs `npm run build` and Debian's chromium.
 *
 *   npm run bench:lab
 */
import * as path from 'path';
import { chromium } from 'playwright-core';
import { createWasmBackend, Trainer } from '@rnnlab/engine';
import { buildTrials, drawnModel, QUICK_AND, type Recipe, shareUrl } from '@rnnlab/experiments/share';
import { labFolder, serveLab } from '../cli/lab-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** In the page (waitForFunction's callback); Node's types have no DOM. */
declare const document: { getElementById(id: string): { dataset: Record<string, string> } | null };

const RECIPES: Array<[string, Recipe]> = [
  ['AND N=50, batch 16, 10 epochs', { ...QUICK_AND, train: { ...QUICK_AND.train, epochs: 10, earlyStopLoss: 0 } }],
  [
    'AND N=200, batch 64, 2000 trials, 3 epochs',
    {
      ...QUICK_AND,
      nTrials: 2000,
      model: { ...QUICK_AND.model, nRec: 200 },
      train: { ...QUICK_AND.train, epochs: 3, batchSize: 64, earlyStopLoss: 0 },
    },
  ],
];

function nodeRate(recipe: Recipe): number {
  const backend = createWasmBackend({ fma: false });
  const t0 = performance.now();
  const trials = buildTrials(recipe);
  const { model, init } = drawnModel(recipe, trials);
  const trainer = new Trainer(model, trials, recipe.train, backend, init);
  while (!trainer.done) trainer.trainStep();
  const rate = trainer.step / ((performance.now() - t0) / 1000);
  trainer.dispose();
  return rate;
}

async function main(): Promise<void> {
  const { url, server } = await serveLab(labFolder(path.join(__dirname, '..', 'web', 'dist')), '127.0.0.1', 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  console.log('recipe | run | Node updates/s | page updates/s | page / Node');
  for (const [name, recipe] of RECIPES) {
    const link = shareUrl(url, { recipe, kernel: 'wasm-simd' });
    await page.goto(link);
    for (const run of ['cold', 'warm']) {
      const node = nodeRate(recipe);
      await page.click('#train');
      await page.waitForFunction(() => document.getElementById('status')!.dataset.state === 'done', null, {
        timeout: 600000,
      });
      const rate = Number(await page.getAttribute('#progress', 'data-wall-rate'));
      console.log(`${name} | ${run} | ${node.toFixed(1)} | ${rate.toFixed(1)} | ${(rate / node).toFixed(2)}`);
    }
  }
  await browser.close();
  server.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
