/**
 * Trial generation against training, for every zoo task at its zoo recipe: the seconds to generate the run's whole
 * trial set, and the run's training time estimated from timed updates (warm-up excluded) × the run's updates. The
 * issue's bound: generation is at most 5 % of a training run. Printed, never a timed test.
 *
 *   npm run bench:tasks                      every zoo task (Yang's at 256 units: ~1 min each)
 *   npm run bench:tasks -- ng-go-nogo yang-dm1
 */
import { Trainer } from '@rnnlab/engine';
import { createWasmBackend, enableRelaxedSimd } from '@rnnlab/engine/node';
import { buildTrials, initialModel, ZOO, zooRecipe } from '@rnnlab/experiments';

enableRelaxedSimd();
const backend = createWasmBackend({ threads: 1 });
const wanted = process.argv.slice(2);
const entries = wanted.length ? ZOO.filter((e) => wanted.includes(e.task)) : ZOO;
const seconds = (f: () => void) => {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

console.log(`backend ${backend.name}; generation share = generation / (generation + training)`);
console.log('task | trials | steps | generate (s) | per trial (ms) | training est. (s) | share');
for (const entry of entries) {
  const recipe = zooRecipe(entry, backend);
  let trials = buildTrials(recipe);
  const gen = seconds(() => {
    trials = buildTrials(recipe);
  });
  const { model, init } = initialModel(recipe, trials);
  const trainer = new Trainer(model, trials, recipe.train, backend, init);
  trainer.run({ maxSteps: 2 }); // warm-up
  const timed = 8;
  const perUpdate = seconds(() => trainer.run({ maxSteps: timed })) / timed;
  trainer.dispose();
  const training = perUpdate * trainer.stepsPerEpoch * (recipe.train.epochs ?? 20);
  const share = gen / (gen + training);
  console.log(
    [
      entry.task,
      recipe.nTrials,
      trials.nSteps,
      gen.toFixed(2),
      ((1000 * gen) / recipe.nTrials).toFixed(3),
      training.toFixed(0),
      `${(100 * share).toFixed(2)} %${share > 0.05 ? '  ABOVE 5 %' : ''}`,
    ].join(' | '),
  );
}
