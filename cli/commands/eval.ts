/** `rnnlab eval`: loss, accuracy and distance of a saved model on fresh trials. */
import { Command } from 'commander';
import { loadModel } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import {
  backendOption,
  checkTrialsFit,
  describeEval,
  evaluate,
  jsonOption,
  out,
  outJson,
  paramOption,
  taskOfModels,
} from '../common';

export function evalCommand(): Command {
  return new Command('eval')
    .description('loss, accuracy and distance of a saved model on fresh trials')
    .argument('<model>', 'rnnlab model file (model.json)')
    .option('--task <name>', 'task (default: the one the model file records)')
    .option('--trials <n>', 'number of trials', num('--trials', { integer: true, positive: true }), 200)
    .option('--seed <n>', 'trial seed', num('--seed', { integer: true }), 12345)
    .addOption(paramOption())
    .addOption(backendOption())
    .addOption(jsonOption())
    .action((file, o) => {
      const { model, meta } = loadModel(file);
      const taskName = taskOfModels([file], [meta], o.task);
      checkTrialsFit(taskName, o.trials, o.param, 'eval');
      const trials = generate(getTask(taskName), { nTrials: o.trials, seed: o.seed, params: o.param });
      const ev = evaluate(model, trials, taskName, resolveBackend(o.backend));
      if (o.json) return outJson('eval', { model: file, task: taskName, trials: o.trials, ...ev });
      out(`${taskName} on ${o.trials} fresh trials: ${describeEval(ev)}`);
    });
}
