/**
 * @rnnlab/engine/psychrnn: PsychRNN models in and out (np.savez files of PsychRNN's Basic model: zip + .npy), from
 * and to bytes, with fflate for the zip. Browser-safe; the `rnnlab import-psychrnn` and `export-psychrnn` commands
 * read and write files.
 */
export {
  exportPsychRnn,
  importPsychRnn,
  PSYCHRNN_IMPORT_DEFAULTS,
  type PsychRnnImport,
  type PsychRnnImportOptions,
} from './io/psychrnn';
export { readNpy, writeNpy, type NpyArray } from './io/npy';
