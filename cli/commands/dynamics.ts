/** `rnnlab dynamics`: spectrum, late-time behaviour per trial type, and fixed points of a model. */
import { Command } from 'commander';
import { effectiveWeights, excitatoryCount, RnnlabError, simulate } from '@rnnlab/engine';
import { loadModel, writeFileAtomic } from '@rnnlab/engine/node';
import { conditionNames, generate, getTask, noiseFreeParams } from '@rnnlab/tasks';
import {
  connectivitySpec,
  constraintRows,
  findFixedPoints,
  freeRun,
  recurrentSpectrum,
  renderSvg,
  svgToPng,
} from '@rnnlab/analysis';
import { resolveBackend } from '../backends';
import { jsonOption, out, outJson, paramOption, prepareOutputFile, taskOfModels } from '../common';

export function dynamicsCommand(): Command {
  return new Command('dynamics')
    .description(
      'spectrum of the effective W_rec, late-time behaviour after each trial type (free runs), and fixed points',
    )
    .argument('<model>', 'rnnlab model file')
    .option('--task <name>', 'task whose trial types are run (default: the one the model file records)')
    .addOption(paramOption())
    .addOption(jsonOption())
    .option('--figure <file>', "also draw the effective W_rec (E units first under Dale's law) to .svg or .png")
    .action(async (file, o) => {
      if (o.figure !== undefined) {
        if (!/\.(svg|png)$/.test(o.figure))
          throw new RnnlabError(`--figure must end in .svg or .png, got "${o.figure}"`);
        prepareOutputFile(o.figure, 'figure', [file]);
      }
      const { model, meta } = loadModel(file);
      const task = getTask(taskOfModels([file], [meta], o.task));
      const names = conditionNames(task, o.param);
      const quiet = { ...noiseFreeParams(task), ...o.param };
      const grid = generate(task, { nTrials: names.length, grid: true, params: quiet });
      let late: ReturnType<typeof freeRun>, sp: ReturnType<typeof recurrentSpectrum>;
      try {
        sp = recurrentSpectrum(model);
        late = freeRun(model, grid);
      } catch (e) {
        let big = 0;
        for (const w of model.params.W_rec) big = Math.max(big, Math.abs(w));
        throw new RnnlabError(
          `cannot analyse ${file}: ${(e as Error).message} (largest |W_rec| entry ` +
            `${big.toExponential(2)}${big > 1e100 ? '; weights this large overflow the computation' : ''})`,
        );
      }
      const { hidden } = simulate(model, grid, resolveBackend('js'), { hidden: true });
      const fps = findFixedPoints(model, hidden!, { starts: 48 });
      const result = {
        options: Object.fromEntries(constraintRows(model)),
        spectralRadius: sp.spectralRadius,
        dominant: sp.dominant,
        dominantKind: sp.dominantKind,
        dominantPeriod: sp.dominantPeriod,
        outsideUnitCircle: sp.outsideUnitCircle,
        lateBehaviour: Object.fromEntries(late.map((l, b) => [names[grid.trialTypes![b]], l])),
        fixedPoints: fps.map((f) => ({ stable: f.stable, output: f.output, q: f.q, norm: Math.hypot(...f.h) })),
      };
      const nonFinite = [
        ['spectral radius', sp.spectralRadius],
        ['λ*', sp.dominant.re],
        ['λ*', sp.dominant.im],
      ].find(([, v]) => !Number.isFinite(v as number));
      if (nonFinite)
        throw new RnnlabError(
          `the ${nonFinite[0]} of ${file} is ${nonFinite[1]}: its weights are too large for the eigenvalue ` +
            `computation (overflow), so no dynamics can be reported`,
        );
      if (late.some((l) => !Number.isFinite(l.meanOutput)) || fps.some((f) => !Number.isFinite(f.output)))
        throw new RnnlabError(
          `simulating ${file} gives non-finite outputs (its weights overflow the state), so no dynamics can be ` +
            `reported`,
        );
      if (o.figure) {
        const nExc = model.config.daleRatio === null ? null : excitatoryCount(model.config);
        const svg = await renderSvg(connectivitySpec(effectiveWeights(model).W_rec, model.config.nRec, nExc));
        writeFileAtomic(o.figure, o.figure.endsWith('.png') ? svgToPng(svg) : svg);
      }
      if (o.json) {
        outJson('dynamics', { model: file, ...result, figure: o.figure ?? null });
        return;
      }
      out(
        `model: ${constraintRows(model)
          .map(([k, v]) => `${k} ${v}`)
          .join('; ')}`,
      );
      out(
        `W_rec* (effective): spectral radius ${sp.spectralRadius.toFixed(4)}, λ* = ` +
          `${sp.dominant.re.toFixed(4)}${sp.dominant.im >= 0 ? '+' : '-'}${Math.abs(sp.dominant.im).toFixed(4)}i ` +
          `(${sp.dominantKind}${sp.dominantPeriod ? `, period ${sp.dominantPeriod.toFixed(1)} steps` : ''}), ` +
          `${sp.outsideUnitCircle} eigenvalues outside the unit circle`,
      );
      for (const [c, l] of Object.entries(result.lateBehaviour))
        out(
          `after ${c}: ${l.behaviour}${l.period ? ` (period ${l.period.toFixed(1)} steps)` : ''}, output ` +
            `${l.meanOutput.toFixed(3)}`,
        );
      const point = (f: (typeof fps)[number]) =>
        `\n  ${f.stable ? 'stable  ' : 'unstable'} output ${f.output.toFixed(3)} |h| ${Math.hypot(...f.h).toFixed(3)}`;
      const stable = fps.filter((f) => f.stable).length;
      out(`fixed points found: ${fps.length} (${stable} stable)${fps.map(point).join('')}`);
    });
}
