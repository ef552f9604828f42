/** `rnnlab plot-task`: a few trials of a task drawn to SVG or PNG. */
import { Command } from 'commander';
import { RnnlabError } from '@rnnlab/engine';
import { writeFileAtomic } from '@rnnlab/engine/node';
import { conditionNames, generate, getTask } from '@rnnlab/tasks';
import { renderSvg, svgToPng, trialsSpec } from '@rnnlab/analysis';
import { num } from '../parse';
import { checkTrialsFit, jsonOption, out, outJson, paramOption, prepareOutputFile } from '../common';

export function plotTaskCommand(): Command {
  return new Command('plot-task')
    .description('draw a few trials of a task (inputs, target) to SVG or PNG')
    .argument('<task>', 'task name')
    .requiredOption('--out <file>', 'output .svg or .png')
    .option(
      '--trials <n>',
      'trials (one per condition in turn; at most 64, more is not readable)',
      num('--trials', { integer: true, positive: true, max: 64 }),
      4,
    )
    .option('--seed <n>', 'seed', num('--seed', { integer: true }), 1)
    .addOption(paramOption())
    .addOption(jsonOption())
    .action(async (name, o) => {
      const task = getTask(name);
      if (!o.out.endsWith('.png') && !o.out.endsWith('.svg'))
        throw new RnnlabError(`--out must end in .svg or .png, got "${o.out}"`);
      prepareOutputFile(o.out, 'figure');
      checkTrialsFit(name, o.trials, o.param, 'plot-task');
      const tr = generate(task, { nTrials: o.trials, seed: o.seed, grid: true, params: o.param });
      const names = conditionNames(task, o.param);
      const { nSteps: T, nIn: I, nOut: O } = tr;
      const svg = await renderSvg(
        trialsSpec({
          title: `${task.title}: sample trials`,
          nSteps: T,
          dt: Number(tr.params.dt ?? 1),
          inputNames: task.inputs,
          outputNames: task.outputs,
          trials: Array.from({ length: tr.nTrials }, (_, b) => ({
            label: `trial ${b} (${names[tr.trialTypes![b]]})`,
            inputs: tr.inputs.subarray(b * T * I, (b + 1) * T * I),
            targets: tr.targets.subarray(b * T * O, (b + 1) * T * O),
          })),
        }),
      );
      if (o.out.endsWith('.png')) writeFileAtomic(o.out, svgToPng(svg));
      else writeFileAtomic(o.out, svg);
      if (o.json) return outJson('plot-task', { task: name, trials: tr.nTrials, figure: o.out });
      out(`${name}: ${tr.nTrials} trials → ${o.out}`);
    });
}
