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

/**
 * Channel names for a line of text: a run of numbered names (m1_0 … m1_31) is written as its two ends, and a run of
 * five or more sharing a prefix before "_" (Yang's rule units) as its two ends and its count.
 */
function compact(names: readonly string[]): string {
  const out: string[] = [];
  const prefix = (n: string) => /^([^_]+_)/.exec(n)?.[1];
  for (let i = 0; i < names.length;) {
    const m = /^(.*?)(\d+)$/.exec(names[i]);
    let j = i;
    while (m && j + 1 < names.length && names[j + 1] === `${m[1]}${Number(m[2]) + (j + 1 - i)}`) j++;
    if (j - i >= 2) out.push(`${names[i]}…${names[j]}`);
    else {
      const p = prefix(names[i]);
      j = i;
      while (p && j + 1 < names.length && prefix(names[j + 1]) === p) j++;
      if (j - i >= 4) out.push(`${names[i]}…${names[j]} (${j - i + 1})`);
      else j = i;
      if (j === i) out.push(names[i]);
    }
    i = j + 1;
  }
  return out.join(', ');
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
        const types = r.conditions.length > 12 ? `${r.conditions.length}` : r.conditions.join(', ');
        out(`  inputs ${compact(r.inputs)}; outputs ${compact(r.outputs)}; trial types ${types}`);
        out(
          `  ${r.steps} steps; --param ${Object.entries(r.defaults)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`,
        );
      }
    });
}
