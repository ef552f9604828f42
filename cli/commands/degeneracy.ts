/**
 * `rnnlab degeneracy`: how different are networks that solve the same task? Behaviour, dynamics and weights, per pair.
 */
import { Command } from 'commander';
import { RnnlabError } from '@rnnlab/engine';
import { loadModel } from '@rnnlab/engine/node';
import { generate, getTask, noiseFreeParams } from '@rnnlab/tasks';
import { degeneracy, type DegeneracyPair } from '@rnnlab/analysis';
import { num } from '../parse';
import { jsonOption, out, outJson, paramOption, taskOfModels } from '../common';

export function degeneracyCommand(): Command {
  return new Command('degeneracy')
    .description(
      'solution degeneracy of two or more models of one task: output distance, 1 − CKA of the hidden trajectories, ' +
        'and W_rec distance after the best matching of units (analysis/degeneracy.ts)',
    )
    .argument('<models...>', 'rnnlab model files (two or more)')
    .option('--task <name>', 'task whose trials are run (default: the one the model files record)')
    .option('--trials <n>', 'noise-free trials', num('--trials', { integer: true, positive: true, max: 10000 }), 32)
    .option('--seed <n>', 'trial seed', num('--seed', { integer: true }), 4242)
    .addOption(paramOption())
    .addOption(jsonOption())
    .action((files: string[], o) => {
      if (files.length < 2) throw new RnnlabError('degeneracy compares two or more models');
      const loaded = files.map((f) => loadModel(f));
      const models = loaded.map((l) => l.model);
      const taskName = taskOfModels(
        files,
        loaded.map((l) => l.meta),
        o.task,
      );
      const shape = (i: number) => {
        const c = models[i].config;
        return `N=${c.nRec}, ${c.nIn} input(s), ${c.nOut} output(s)`;
      };
      for (let i = 1; i < models.length; i++)
        if (shape(i) !== shape(0))
          throw new RnnlabError(
            `${files[i]} (${shape(i)}) is not the size of ${files[0]} (${shape(0)}); degeneracy compares networks ` +
              'of one size on one task',
          );
      const task = getTask(taskName);
      const trials = generate(task, {
        nTrials: o.trials,
        seed: o.seed,
        params: { ...o.param, ...noiseFreeParams(task) },
      });
      const d = degeneracy(models, trials);
      if (o.json) {
        outJson('degeneracy', { files, task: taskName, trials: o.trials, ...d });
        return;
      }
      out(`${files.length} networks, ${d.pairs.length} pairs, ${o.trials} noise-free ${taskName} trials`);
      out('pair      behaviour  dynamics (1 − CKA)  DSA (angular)  weights (matched)');
      const row = (label: string, p: Pick<DegeneracyPair, 'behaviour' | 'dynamics' | 'dsa' | 'weights'>) =>
        out(
          `${label.padEnd(8)}  ${p.behaviour.toFixed(4).padStart(9)}  ${p.dynamics.toFixed(4).padStart(18)}  ` +
            `${p.dsa.toFixed(4).padStart(13)}  ` +
            `${Number.isNaN(p.weights) ? 'n/a (sizes differ)' : p.weights.toFixed(4).padStart(17)}`,
        );
      for (const p of d.pairs) row(`${p.a}-${p.b}`, p);
      row('mean', d.mean);
    });
}
