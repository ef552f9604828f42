/** Build an engine model and trials from a gradient fixture (column-vector layout, same as the engine's). */
import { createModel, type DType, PARAM_NAMES, type RnnModel, type Trials } from '@rnnlab/engine';
import { flat, loadFixture } from './fixtures';

export interface GradCase {
  fx: any;
  model: RnnModel;
  trials: Trials;
}

export function gradCase(file: string, dtype: DType = 'float64'): GradCase {
  const fx = loadFixture(`gradients/${file}`);
  const p = fx.params;
  const N = p.W_rec.length,
    I = p.W_in[0].length,
    O = p.W_out.length;
  const model = createModel({ nIn: I, nRec: N, nOut: O, alpha: fx.alpha, recurrentBias: true, trainH0: true, dtype });
  for (const name of PARAM_NAMES) if (name in p) model.params[name].set(flat(p[name]));
  const B = fx.data.x.length,
    T = fx.data.x[0].length;
  const trials: Trials = {
    nTrials: B,
    nSteps: T,
    nIn: I,
    nOut: O,
    inputs: Float64Array.from(flat(fx.data.x)),
    targets: Float64Array.from(flat(fx.data.target)),
    mask: Float64Array.from(flat(fx.data.mask)),
  };
  return { fx, model, trials };
}

/** The parameters of a scalar-α model, the ones the PyTorch gradient fixtures hold (alpha is empty there). */
export const PLAIN_PARAMS = PARAM_NAMES.filter((n) => n !== 'alpha');
