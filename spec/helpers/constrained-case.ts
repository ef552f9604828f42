/**
 * A constrained-model fixture (spec/fixtures/constrained, made by spec/reference/constrained_torch.py with PyTorch
 * autograd from docs/model-conventions.md) as an rnnlab model, its trials and a workspace that holds the
 * fixture's frozen recurrent noise.
 */
import {
  createModel,
  type Backend,
  type DType,
  PARAM_NAMES,
  type RnnConfig,
  type RnnModel,
  setConnectivity,
  setRecMask,
  setTrainMask,
  type Trials,
} from '@rnnlab/engine';
import { createWorkspace, loadTrials, type RnnWorkspace } from '@rnnlab/engine/advanced';
import { loadFixture } from './fixtures';

export const CONSTRAINED_CASES = [
  'rate-dale-masks-alpha',
  'current-dale-bce',
  'current-softplus-ce',
  'rate-relu-sigmoid',
] as const;

export interface ConstrainedFixture {
  source: string;
  config: RnnConfig;
  params: Record<string, number[]>;
  masks: { in_: number[]; rec: number[]; out: number[] } | null;
  trainMask: Record<string, number[]> | null;
  trials: Trials;
  noise_TxBxN: number[];
  terms: Record<string, number>;
  total: number;
  gradients: Record<string, number[]>;
  termGradients: Record<string, Record<string, number[]>>;
}

export function constrainedCase(name: string, dtype: DType = 'float64', backend?: Backend) {
  const fx = loadFixture<ConstrainedFixture>(`constrained/${name}.json`);
  const model: RnnModel = createModel({ ...fx.config, dtype });
  for (const p of PARAM_NAMES) model.params[p].set(fx.params[p]);
  if (fx.masks) {
    setRecMask(model, fx.masks.rec);
    setConnectivity(model, { in: fx.masks.in_, out: fx.masks.out });
  }
  if (fx.trainMask) setTrainMask(model, fx.trainMask);
  const t = fx.trials;
  const trials: Trials = {
    ...t,
    inputs: Float64Array.from(t.inputs),
    targets: Float64Array.from(t.targets),
    mask: Float64Array.from(t.mask),
  };
  const ws: RnnWorkspace = createWorkspace(model.config, trials.nTrials, trials.nSteps, backend);
  loadTrials(ws, trials);
  if (ws.noise_TxBxN) ws.noise_TxBxN.set(fx.noise_TxBxN);
  return { fx, model, trials, ws };
}
