/**
 * `rnnlab psychometric`: a trained model's choices against the evidence on fresh trials (every condition in turn),
 * with the maximum-likelihood curve (bias, slope, lapse), per group where `--by` names a trial value; `--out`
 * draws it to SVG or PNG.
 */
import { Command, Option } from 'commander';
import { RnnlabError, simulate } from '@rnnlab/engine';
import { loadModel, writeFileAtomic } from '@rnnlab/engine/node';
import { choicesByEvidence, generate, getTask } from '@rnnlab/tasks';
import { psychometric, psychometricSpec, renderSvg, svgToPng, type Link } from '@rnnlab/analysis';
import { num } from '../parse';
import { resolveBackend } from '../backends';
import {
  backendOption,
  checkTrialsFit,
  jsonOption,
  out,
  outJson,
  paramOption,
  prepareOutputFile,
  taskOfModels,
} from '../common';

export function psychometricCommand(): Command {
  return new Command('psychometric')
    .description('choices against evidence on fresh trials, with a fitted curve (bias, slope, lapse)')
    .argument('<model>', 'rnnlab model file (model.json)')
    .option('--task <name>', 'task (default: the one the model file records)')
    .option('--trials <n>', 'trials, every condition in turn', num('--trials', { integer: true, positive: true }), 1000)
    .option('--seed <n>', 'trial seed', num('--seed', { integer: true }), 12345)
    .addOption(new Option('--link <f>', 'the curve').choices(['probit', 'logistic']).default('probit'))
    .option('--by <value>', 'one curve per value of this trial variable (a context, a modality)')
    .option('--out <file>', 'draw the curves to .svg or .png')
    .addOption(paramOption())
    .addOption(backendOption())
    .addOption(jsonOption())
    .action(async (file, o) => {
      if (o.out !== undefined && !/\.(svg|png)$/.test(o.out))
        throw new RnnlabError(`--out must end in .svg or .png, got "${o.out}"`);
      if (o.out !== undefined) prepareOutputFile(o.out, 'figure', [file]);
      const { model, meta } = loadModel(file);
      const taskName = taskOfModels([file], [meta], o.task);
      const task = getTask(taskName);
      if (!task.choice) throw new RnnlabError(`task "${taskName}" has no two-option choice, so no psychometric curve`);
      checkTrialsFit(taskName, o.trials, o.param, 'psychometric');
      const trials = generate(task, { nTrials: o.trials, seed: o.seed, grid: true, params: o.param });
      const { outputs } = simulate(model, trials, resolveBackend(o.backend));
      const c = choicesByEvidence(task, trials, outputs, o.by);
      const groups = [...new Set(c.groups)]
        .sort((a, b) => a - b)
        .map((g) => {
          const idx = c.groups.flatMap((x, i) => (x === g ? [i] : []));
          const name = o.by === undefined ? taskName : `${o.by} = ${g}`;
          const fit = psychometric(
            idx.map((i) => c.evidence[i]),
            idx.map((i) => c.choices[i]),
            { link: o.link as Link },
          );
          return { name, psychometric: fit };
        });
      if (o.out !== undefined) {
        const svg = await renderSvg(
          psychometricSpec({ title: `${task.title}: psychometric curve`, evidenceLabel: 'signed evidence', groups }),
        );
        writeFileAtomic(o.out, o.out.endsWith('.png') ? svgToPng(svg) : svg);
      }
      if (o.json)
        return outJson('psychometric', {
          model: file,
          task: taskName,
          trials: o.trials,
          groups,
          figure: o.out ?? null,
        });
      for (const g of groups) {
        const f = g.psychometric.fit;
        const levels = g.psychometric.levels.map(
          (l) => `${l.evidence}: ${l.k}/${l.n}${l.noChoice ? ` (+${l.noChoice} none)` : ''}`,
        );
        out(`${g.name}: choices for option 1 by evidence: ${levels.join(', ')}`);
        out(
          f
            ? `  ${f.link} fit: bias ${f.mu.toPrecision(4)}, slope 1/${f.sigma.toPrecision(4)}, ` +
                `lapse ${f.lapse.toFixed(3)}${f.converged ? '' : ' (the fit did not converge)'}`
            : '  no curve: fewer than two evidence levels with choices, or choices the evidence separates perfectly',
        );
      }
      if (o.out !== undefined) out(`figure → ${o.out}`);
    });
}
