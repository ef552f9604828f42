/**
 * What a model is beyond its size, as rows of (option, value) for the report and `rnnlab dynamics`: formulation,
 * Dale's law and its E/I split, connectivity masks, time constants, readout and loss, regularisers. Values are
 * data (numbers and option names); the report's template lays them out.
 */
import { alphaVector, excitatoryCount, REGULARIZER_NAMES, type RnnModel } from '@rnnlab/engine';

const LOSS_OF = {
  linear: 'linear readout, mean squared error',
  sigmoid: 'sigmoid readout, binary cross-entropy',
  softmax: 'softmax readout, cross-entropy',
};

/** The rows, one per option that differs from the paper's model, or a single row saying there is none. */
export function constraintRows(model: RnnModel): Array<[string, string]> {
  const c = model.config,
    N = c.nRec;
  const rows: Array<[string, string]> = [];
  if (c.formulation !== 'rate') rows.push(['formulation', `${c.formulation} (PsychRNN Basic)`]);
  if (c.daleRatio !== null) {
    const nE = excitatoryCount(c);
    rows.push(["Dale's law", `${nE} excitatory, ${N - nE} inhibitory (ratio ${c.daleRatio})`]);
  }
  const density = (m: Uint8Array | null | undefined) =>
    m ? `${((100 * m.reduce((a, b) => a + b, 0)) / m.length).toFixed(1)} % connected` : null;
  for (const [name, m] of [
    ['W_in mask', model.inMask],
    ['W_rec mask', model.recMask],
    ['W_out mask', model.outMask],
  ] as const) {
    const d = density(m);
    if (d) rows.push([name, d]);
  }
  if (!c.autapses) rows.push(['autapses', 'none']);
  if (model.trainMask)
    for (const [name, m] of Object.entries(model.trainMask))
      rows.push([`${name} frozen`, `${m.length - m.reduce((a, b) => a + b, 0)} of ${m.length} entries`]);
  if (c.perUnitAlpha) {
    const a = alphaVector(model);
    rows.push([
      'α per unit',
      `${Math.min(...a).toPrecision(3)} … ${Math.max(...a).toPrecision(3)}${c.trainAlpha ? ', learnt' : ''}`,
    ]);
  }
  if (c.readout !== 'linear') rows.push(['readout', LOSS_OF[c.readout]]);
  for (const k of REGULARIZER_NAMES)
    if (c.regularizers[k] > 0) rows.push([`regulariser ${k}`, String(c.regularizers[k])]);
  return rows.length ? rows : [['constraints', "none (the paper's unconstrained network)"]];
}
