/** `rnnlab report`: an HTML page with figures for a run directory or a model file. */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { modelFromJson, parseJson, RnnlabError } from '@rnnlab/engine';
import { loadModel, prepareOutputDir, readTextFile } from '@rnnlab/engine/node';
import { getTask } from '@rnnlab/tasks';
import { writeReport } from '@rnnlab/analysis';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import type { RunRecipe } from '@rnnlab/experiments';
import { backendOption, jsonOption, out, outJson, taskOfModels } from '../common';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'an HTML page with figures (loss, trials, units, spectrum, weights, PCA) for a run directory or a model file',
    )
    .argument('<run>', 'run directory (from rnnlab train) or model file')
    .option('--task <name>', 'task (default: the one the run or model file records)')
    .option('--out <dir>', 'output directory (default <run>/report)')
    .option('--trials <n>', 'evaluation trials', num('--trials', { integer: true, positive: true }), 200)
    .option('--seed <n>', 'evaluation seed', num('--seed', { integer: true }), 12345)
    .addOption(backendOption())
    .addOption(jsonOption())
    .action(async (run, o) => {
      if (!fs.existsSync(run)) throw new RnnlabError(`cannot read run folder or model file "${run}": no such file`);
      const isDir = fs.statSync(run).isDirectory();
      let model,
        initial = null,
        history = null,
        task = o.task,
        taskParams: Record<string, number> = {};
      if (isDir) {
        const recipe = parseJson(
          readTextFile(path.join(run, 'run.json'), 'run recipe'),
          `${run}/run.json`,
        ) as RunRecipe;
        task = task ?? recipe.task;
        taskParams = recipe.taskParams;
        const modelFile = fs.existsSync(path.join(run, 'model.json')) ? path.join(run, 'model.json') : null;
        const ck = parseJson(
          readTextFile(path.join(run, 'checkpoint.json'), 'checkpoint'),
          `${run}/checkpoint.json`,
        ) as { stepLosses: number[]; history: Array<{ epoch: number; loss: number; steps: number }>; model: unknown };
        model = modelFile ? loadModel(modelFile).model : modelFromJson(ck.model, `${run}/checkpoint.json`).model;
        initial = loadModel(path.join(run, 'initial.json')).model;
        history = { stepLosses: ck.stepLosses, epochs: ck.history };
      } else {
        const loaded = loadModel(run);
        model = loaded.model;
        task = taskOfModels([run], [loaded.meta], task);
      }
      const dir = o.out ?? (isDir ? path.join(run, 'report') : `${run.replace(/\.json$/, '')}-report`);
      prepareOutputDir(dir, 'report folder');
      const s = await writeReport(
        {
          title: `rnnlab report: ${task}`,
          model,
          initial,
          history,
          task: getTask(task),
          taskParams,
          backend: resolveBackend(o.backend),
          seed: o.seed,
          evalTrials: o.trials,
        },
        dir,
      );
      if (o.json)
        return outJson('report', {
          page: path.join(dir, 'index.html'),
          figures: s.figures.map((f) => path.join(dir, f)),
          accuracy: s.accuracy,
          meanDistance: s.meanDistance,
        });
      out(
        `report → ${path.join(dir, 'index.html')} (${s.figures.length / 2} figures; accuracy ` +
          `${(100 * s.accuracy).toFixed(1)}%, mean distance ${s.meanDistance.toFixed(3)})`,
      );
    });
}
