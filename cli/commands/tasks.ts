/**
 * `rnnlab tasks`: every task rnnlab has, with its inputs, outputs, trial types, parameters and their defaults, the
 * source it follows and the generator's trial length at the defaults (`--json` too).
 */
import { Command } from 'commander';
import { conditionNames, generate, TASKS, type AnyTask } from '@rnnlab/tasks';
import { jsonOption, out, outJson } from '../common';

interface TaskRow {
  name: string;
  title: string;
  source: string;
  inputs: string[];
  outputs: string[];
  conditions: string[];
  defaults: Record<string, number>;
  /** Steps of one trial at the defaults. */
  steps: number;
}

function row(task: AnyTask): TaskRow {
  return {
    name: task.name,
    title: task.title,
    source: task.citation,
    inputs: [...task.inputs],
    outputs: [...task.outputs],
    conditions: conditionNames(task, {}),
    defaults: { ...(task.defaults as Record<string, number>) },
    steps: generate(task, { nTrials: 1, seed: 1 }).nSteps,
  };
}

export function tasksCommand(): Command {
  return new Command('tasks')
    .description('list every task with its inputs, outputs, trial types, parameters, defaults and source')
    .addOption(jsonOption())
    .action((o) => {
      const rows = Object.values(TASKS).map(row);
      if (o.json) return outJson('tasks', { tasks: rows });
      for (const r of rows) {
        out(`${r.name}: ${r.title} (${r.source})`);
        out(`  inputs ${r.inputs.join(', ')}; outputs ${r.outputs.join(', ')}; trial types ${r.conditions.join(', ')}`);
        out(
          `  ${r.steps} steps; --param ${Object.entries(r.defaults)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
        );
      }
    });
}
