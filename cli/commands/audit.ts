/** `rnnlab audit`: the analytic BPTT gradient against float64 central differences (engine/train/audit.ts). */
import { Command, Option } from 'commander';
import { createModel, formatAudit, gradientAudit, initialize, Rng, RnnlabError, setRecMask } from '@rnnlab/engine';
import { loadModel } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
import { num } from '../parse';
import { BACKEND_NAMES, resolveBackend } from '../backends';
import { out } from '../common';

export function auditCommand(): Command {
  return new Command('audit')
    .description('check the analytic BPTT gradient against float64 central finite differences')
    .option('--model <file>', 'audit this model (default: a small random network with every feature on)')
    .option('--task <name>', 'trials from this task (default: random data)')
    .option('--trials <n>', 'trials in the audit batch', num('--trials', { integer: true, positive: true }), 3)
    .option(
      '--max-entries <n>',
      'check at most this many entries per parameter (seeded sample)',
      num('--max-entries', { integer: true, positive: true }),
    )
    .option('--seed <n>', 'seed', num('--seed', { integer: true }), 1)
    .addOption(
      new Option('--backend <name>', 'backend for the analytic gradient')
        .choices(BACKEND_NAMES as unknown as string[])
        .default('reference'),
    )
    .action((o) => {
      let model;
      if (o.model) model = loadModel(o.model).model;
      else {
        model = createModel({
          nIn: 2,
          nRec: 8,
          nOut: 1,
          alpha: 0.5,
          recurrentBias: true,
          trainH0: true,
          noiseStd: 0.05,
          dtype: 'float64',
        });
        initialize(model, { rec: 'normal', gain: 1.2, seed: o.seed });
        const rng = new Rng(o.seed + 1);
        rng.fillNormal(model.params.b, 0.1);
        rng.fillUniform(model.params.h0, -0.3, 0.3);
        setRecMask(
          model,
          Array.from({ length: 64 }, () => (rng.uniform() < 0.2 ? 0 : 1)),
        );
      }
      let trials;
      if (o.task) trials = generate(getTask(o.task), { nTrials: o.trials, seed: o.seed });
      else {
        const rng = new Rng(o.seed + 2),
          T = 15,
          B = o.trials,
          I = model.config.nIn,
          O = model.config.nOut;
        trials = {
          nTrials: B,
          nSteps: T,
          nIn: I,
          nOut: O,
          inputs: new Float64Array(B * T * I),
          targets: new Float64Array(B * T * O),
          mask: new Float64Array(B * T).fill(1),
        };
        rng.fillNormal(trials.inputs);
        rng.fillUniform(trials.targets, -1, 1);
      }
      const auditBackend = resolveBackend(o.backend);
      if (auditBackend.precision !== 'float64') {
        throw new RnnlabError(
          `the audit compares the analytic gradient with float64 finite differences to 1e-5; ${auditBackend.name} ` +
            `computes in float32, whose rounding alone exceeds that, so it cannot be audited this way (its gradients ` +
            `are checked against the float64 engine to float32 tolerance in spec/engine/gpujs*.spec.ts); use ` +
            `--backend reference, js or wasm-simd (which computes float64 models in float64)`,
        );
      }
      const report = gradientAudit(model, trials, {
        backend: auditBackend,
        maxEntriesPerParam: o.maxEntries ?? Infinity,
        seed: o.seed,
      });
      out(formatAudit(report));
      if (!(report.maxRelError < 1e-5))
        throw new RnnlabError(
          `gradient audit failed: max relative error ${report.maxRelError.toExponential(3)} >= 1e-5`,
        );
    });
}
