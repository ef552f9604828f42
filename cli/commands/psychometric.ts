/**
 * `rnnlab psychometric`: a trained model's choices against the evidence on fresh trials (every condition in turn),
 * with the maximum-likelihood curve (bias, slope, lapse), per group where `--by` names a trial value; `--out`
 * draws it to SVG or PNG. Where the task reads its choice over time, the chronometric curve too (mean decision
 * time against the evidence's strength, correct choices and errors apart); `--chrono-out` draws it.
 */
import { Command, Option } from 'commander';
import { RnnlabError, simulate } from '@rnnlab/engine';
import { loadModel, writeFileAtomic } from '@rnnlab/engine/node';
import { choicesByEvidence, commitmentTimes, generate, getTask } from '@rnnlab/tasks';
import {
  chronometric,
  chronometricSpec,
  type ChronometricLevel,
  pooledLevels,
  psychometric,
  type Psychometric,
  psychometricSpec,
  renderSvg,
  svgToPng,
  type Link,
  type VegaLiteSpec,
} from '@rnnlab/analysis';
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

interface Group {
  name: string;
  psychometric: Psychometric;
  /** null where the task does not read its choice over time. */
  chronometric: ChronometricLevel[] | null;
}

/** One psychometric fit (and chronometric curve) per value of the `by` variable, or one for all trials. */
function fitGroups(
  taskName: string,
  c: ReturnType<typeof choicesByEvidence>,
  times: Array<number | null> | null,
  by: string | undefined,
  link: Link,
): Group[] {
  return [...new Set(c.groups)]
    .sort((a, b) => a - b)
    .map((g) => {
      const idx = c.groups.flatMap((x, i) => (x === g ? [i] : []));
      const pick = <T>(xs: readonly T[]) => idx.map((i) => xs[i]);
      return {
        name: by === undefined ? taskName : `${by} = ${g}`,
        psychometric: psychometric(pick(c.evidence), pick(c.choices), { link }),
        chronometric: times ? chronometric(pick(c.evidence), pick(c.choices), pick(times)) : null,
      };
    });
}

function printGroups(groups: readonly Group[]): void {
  for (const g of groups) {
    const f = g.psychometric.fit;
    // Continuous evidence (over 20 levels) is printed in the figure's 10 bins; the fit uses every level.
    const raw = g.psychometric.levels;
    const shown = pooledLevels(raw);
    const levels = shown.map(
      (l) => `${+l.evidence.toPrecision(4)}: ${l.k}/${l.n}${l.noChoice ? ` (+${l.noChoice} none)` : ''}`,
    );
    const pooled = shown.length < raw.length ? ` (${raw.length} levels in ${shown.length} bins)` : '';
    out(`${g.name}: choices for option 1 by evidence${pooled}: ${levels.join(', ')}`);
    out(
      f
        ? `  ${f.link} fit: bias ${f.mu.toPrecision(4)}, slope 1/${f.sigma.toPrecision(4)}, ` +
            `lapse ${f.lapse.toFixed(3)}${f.converged ? '' : ' (the fit did not converge)'}`
        : '  no curve: fewer than two evidence levels with choices, or choices the evidence separates perfectly',
    );
    if (g.chronometric) {
      const ms = (l: ChronometricLevel) => {
        const st = l.strength > 0 ? l.correct : l.all;
        return st ? `${st.mean.toFixed(0)} ms (n ${st.n})` : 'none';
      };
      const byStrength = g.chronometric.map((l) => `${+l.strength.toPrecision(4)}: ${ms(l)}`);
      out(`  decision time (correct choices) by strength: ${byStrength.join(', ')}`);
    }
  }
}

async function drawTo(file: string, spec: VegaLiteSpec): Promise<void> {
  const svg = await renderSvg(spec);
  writeFileAtomic(file, file.endsWith('.png') ? svgToPng(svg) : svg);
}

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
    .option('--chrono-out <file>', 'draw the chronometric curves to .svg or .png')
    .addOption(paramOption())
    .addOption(backendOption())
    .addOption(jsonOption())
    .action(async (file, o) => {
      for (const [flag, f] of [
        ['--out', o.out],
        ['--chrono-out', o.chronoOut],
      ] as const)
        if (f !== undefined && !/\.(svg|png)$/.test(f))
          throw new RnnlabError(`${flag} must end in .svg or .png, got "${f}"`);
      const { model, meta } = loadModel(file);
      const taskName = taskOfModels([file], [meta], o.task);
      const task = getTask(taskName);
      if (!task.choice) throw new RnnlabError(`task "${taskName}" has no two-option choice, so no psychometric curve`);
      if (o.chronoOut !== undefined && !task.commitment)
        throw new RnnlabError(`task "${taskName}" does not read its choice over time, so no chronometric curve`);
      for (const f of [o.out, o.chronoOut]) if (f !== undefined) prepareOutputFile(f, 'figure', [file]);
      checkTrialsFit(taskName, o.trials, o.param, 'psychometric');
      const trials = generate(task, { nTrials: o.trials, seed: o.seed, grid: true, params: o.param });
      const { outputs } = simulate(model, trials, resolveBackend(o.backend));
      const c = choicesByEvidence(task, trials, outputs, o.by);
      const times = task.commitment ? commitmentTimes(task, trials, outputs) : null;
      const groups = fitGroups(taskName, c, times, o.by, o.link as Link);
      if (o.out !== undefined)
        await drawTo(
          o.out,
          psychometricSpec({ title: `${task.title}: psychometric curve`, evidenceLabel: 'signed evidence', groups }),
        );
      if (o.chronoOut !== undefined) {
        const withTimes = groups.map((g) => ({ name: g.name, chronometric: g.chronometric! }));
        const title = `${task.title}: chronometric curve`;
        await drawTo(
          o.chronoOut,
          chronometricSpec({ title, strengthLabel: 'evidence strength |x|', groups: withTimes }),
        );
      }
      if (o.json)
        return outJson('psychometric', {
          model: file,
          task: taskName,
          trials: o.trials,
          groups,
          figure: o.out ?? null,
          chronometricFigure: o.chronoOut ?? null,
        });
      printGroups(groups);
      for (const f of [o.out, o.chronoOut]) if (f !== undefined) out(`figure → ${f}`);
    });
}
