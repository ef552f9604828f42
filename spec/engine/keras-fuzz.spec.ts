/**
 * Issue 27: fuzzed HDF5 files made the Keras reader fail with its internals ("thing is not a function", "undefined is
 * not iterable"). Seeded byte flips of the authors' AND network: each import either reads a model or fails with one
 * RnnlabError line that names the file; never another error type, never a hang.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rng, RnnlabError } from '@rnnlab/engine';
import { importKerasBuffer } from '@rnnlab/engine/keras';

const original = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keras', 'and_trained.hdf5'));

test('300 seeded corruptions of a Keras file: a model or one clear line, nothing else', () => {
  const rng = new Rng('keras-fuzz');
  const outcomes = { read: 0, refused: 0 };
  for (let k = 0; k < 300; k++) {
    const bytes = Uint8Array.from(original);
    const flips = 1 + rng.int(8);
    for (let i = 0; i < flips; i++) bytes[rng.int(bytes.length)] = rng.int(256);
    try {
      importKerasBuffer(bytes.buffer, `fuzz-${k}.hdf5`);
      outcomes.read++;
    } catch (e) {
      expect(e).toBeInstanceOf(RnnlabError);
      const m = (e as Error).message;
      expect(m).toContain(`fuzz-${k}.hdf5`);
      expect(m).not.toMatch(/\n/);
      outcomes.refused++;
    }
  }
  // both outcomes occur: most flips land in weights or padding, some in the structure
  expect(outcomes.read).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
});
