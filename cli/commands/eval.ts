/** `rnnlab eval`: loss, accuracy and distance of a saved model on fresh trials. */
import { Command } from 'commander';
import { loadModel } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import { out, backendOption, paramOption, evaluate, checkTrialsFit, describeEval } from '../common';

export function evalCommand(): Command {
  return new Command('eval')
    .description('loss, accuracy and distance of a saved model on fresh trials')
    .argument('<model>', 'rnnlab model file (model.json)')
    .requiredOption('--task <name>', 'task')
    .option('--trials <n>', 'number of trials', num('--trials', { integer: true, positive: true }), 200)
    .option('--seed <n>', 'trial seed', num('--seed', { integer: true }), 12345)
    .addOption(paramOption())
    .addOption(backendOption())
    .option('--json', 'print JSON')
    .action((file, o) => {
      const { model } = loadModel(file);
      checkTrialsFit(o.task, o.trials, o.param, 'eval');
      const trials = generate(getTask(o.task), { nTrials: o.trials, seed: o.seed, params: o.param });
      const ev = evaluate(model, trials, o.task, resolveBackend(o.backend));
      out(o.json ? JSON.stringify(ev, null, 2) : `${o.task} on ${o.trials} fresh trials: ${describeEval(ev)}`);
    });
}
