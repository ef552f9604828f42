/** `rnnlab audit`: the analytic BPTT gradient against float64 central differences (engine/train/audit.ts). */
import { Command, Option } from 'commander';
import {
  createModel,
  formatAudit,
  type Formulation,
  FORMULATIONS,
  gradientAudit,
  initialize,
  type Readout,
  READOUTS,
  Rng,
  RnnlabError,
  type RnnModel,
  setConnectivity,
  setRecMask,
  setTrainMask,
  type Trials,
} from '@rnnlab/engine';
import { loadModel } from '@rnnlab/engine/node';
import { generate, getTask } from '@rnnlab/tasks';
import { num } from '../parse';
import { BACKEND_NAMES, resolveBackend } from '../backends';
import { jsonOption, out, outJson } from '../common';

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
    .addOption(jsonOption())
    .addOption(
      new Option('--backend <name>', 'backend for the analytic gradient')
        .choices(BACKEND_NAMES as unknown as string[])
        .default('reference'),
    )
    .addOption(
      new Option('--formulation <f>', "the default network's formulation").choices([...FORMULATIONS]).default('rate'),
    )
    .addOption(
      new Option('--readout <g>', "the default network's readout and loss").choices([...READOUTS]).default('linear'),
    )
    .action((o) => {
      const model = o.model ? loadModel(o.model).model : defaultNetwork(o.seed, o.formulation, o.readout);
      const trials = o.task
        ? generate(getTask(o.task), { nTrials: o.trials, seed: o.seed })
        : randomTrials(o.seed, o.trials, model.config.nIn, model.config.nOut, model.config.readout);
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
      const passed = report.maxScaledError < 1e-5;
      if (o.json)
        outJson('audit', { model: o.model ?? 'default network', backend: auditBackend.name, passed, ...report });
      else out(formatAudit(report));
      if (!passed)
        throw new RnnlabError(
          `gradient audit failed: max scaled error ${report.maxScaledError.toExponential(3)} >= 1e-5`,
        );
    });
}

/**
 * The default audit network: small, float64, with every option its formulation and readout allow switched on
 * (Dale's law, three connectivity masks, no autapses, frozen entries, per-unit learnt α, recurrent noise, bias, h0,
 * every regulariser), so that one run of `rnnlab audit` exercises each gradient path.
 */
function defaultNetwork(seed: number, formulation: Formulation, readout: Readout): RnnModel {
  const N = 8,
    I = 2,
    O = readout === 'softmax' ? 3 : 2;
  const model = createModel({
    nIn: I,
    nRec: N,
    nOut: O,
    alpha: 0.5,
    activation: formulation === 'current' ? 'softplus' : 'tanh',
    recurrentBias: true,
    trainH0: true,
    noiseStd: 0.05,
    dtype: 'float64',
    formulation,
    readout,
    daleRatio: 0.75,
    autapses: false,
    perUnitAlpha: true,
    trainAlpha: true,
    regularizers: { l1In: 1e-3, l2In: 1e-3, l1Rec: 1e-3, l2Rec: 1e-3, l1Out: 1e-3, l2Out: 1e-3, l2Rate: 1e-2 },
  });
  const rng = new Rng(seed + 1);
  const mask = (n: number, p: number) => Array.from({ length: n }, () => (rng.uniform() < p ? 0 : 1));
  setRecMask(model, mask(N * N, 0.2));
  setConnectivity(model, { in: mask(N * I, 0.2), out: mask(O * N, 0.2) });
  setTrainMask(model, { W_rec: mask(N * N, 0.1) });
  initialize(model, { rec: 'normal', gain: 1.2, seed, daleBalance: 'psychrnn' });
  rng.fillNormal(model.params.b, 0.1);
  rng.fillUniform(model.params.h0, -0.3, 0.3);
  rng.fillUniform(model.params.alpha, 0.2, 0.9);
  return model;
}

/** Random trials the readout's loss is defined for: targets in [-1, 1], in [0, 1], or one-hot. */
function randomTrials(seed: number, B: number, I: number, O: number, readout: Readout): Trials {
  const rng = new Rng(seed + 2),
    T = 15;
  const trials: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: new Float64Array(B * T * I),
    targets: new Float64Array(B * T * O),
    mask: new Float64Array(B * T).fill(1),
  };
  rng.fillNormal(trials.inputs);
  if (readout === 'linear') rng.fillUniform(trials.targets, -1, 1);
  else if (readout === 'sigmoid') rng.fillUniform(trials.targets, 0, 1);
  else for (let bt = 0; bt < B * T; bt++) trials.targets[bt * O + rng.int(O)] = 1;
  return trials;
}
