/**
 * `rnnlab train --masks <file>`: connectivity and trainable masks from a JSON file (docs/cli.md):
 *
 *   { "W_in": [[0/1, …] × I] × N, "W_rec": [[…] × N] × N, "W_out": [[…] × N] × O,
 *     "trainable": { "W_rec": [[…]], "W_in": …, "W_out": …, "b": […], "b_out": […], "h0": […] } }
 *
 * every key optional, rows as PsychRNN's connectivity arrays ([post][pre]). Shapes are checked against the task's
 * sizes when the model is built; here every value must be 0 or 1 and every key known.
 */
import { parseJson, PARAM_NAMES, RnnlabError } from '@rnnlab/engine';
import { fromNested } from '@rnnlab/engine/advanced';
import { readTextFile } from '@rnnlab/engine/node';
import type { RecipeMasks } from '@rnnlab/experiments';

const MATRICES = { W_in: 'in', W_rec: 'rec', W_out: 'out' } as const;

export function readMaskFile(file: string): RecipeMasks {
  const raw = parseJson(readTextFile(file, 'mask file'), `mask file "${file}"`);
  const what = `mask file "${file}"`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RnnlabError(`${what}: expected a JSON object with W_in, W_rec, W_out and/or trainable`);
  const out: RecipeMasks = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'trainable') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new RnnlabError(`${what}: "trainable" must be an object of per-parameter masks`);
      out.trainable = {};
      for (const [name, m] of Object.entries(value as Record<string, unknown>)) {
        if (!(PARAM_NAMES as readonly string[]).includes(name))
          throw new RnnlabError(`${what}: trainable.${name} is not a parameter (${PARAM_NAMES.join(', ')})`);
        out.trainable[name as (typeof PARAM_NAMES)[number]] = zeroOne(m, `${what}: trainable.${name}`);
      }
    } else if (key in MATRICES) out[MATRICES[key as keyof typeof MATRICES]] = zeroOne(value, `${what}: ${key}`);
    else throw new RnnlabError(`${what}: unknown key "${key}" (W_in, W_rec, W_out, trainable)`);
  }
  return out;
}

/** A nested array of 0 and 1, flattened row-major. */
function zeroOne(value: unknown, what: string): number[] {
  const data = Array.from(fromNested(value, 'float64', what).data);
  const bad = data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new RnnlabError(`${what} must hold only 0 and 1, found ${data[bad]} at entry ${bad}`);
  return data;
}
