/** `rnnlab import-keras`: a Keras 2.x SimpleRNN + Dense HDF5 file (the authors' networks) to an rnnlab model. */
import { Command, Option } from 'commander';
import { importKerasFile, saveModel } from '@rnnlab/engine/node';
import { jsonOption, out, outJson, prepareOutputFile } from '../common';

export function importKerasCommand(): Command {
  return new Command('import-keras')
    .description("convert a Keras 2.x SimpleRNN+Dense HDF5 file (the authors' networks) to an rnnlab model")
    .argument('<file>', 'Keras .hdf5 file')
    .requiredOption('--out <file>', 'rnnlab model file to write')
    .addOption(new Option('--dtype <t>', 'storage precision').choices(['float32', 'float64']).default('float64'))
    .addOption(jsonOption())
    .action((file, o) => {
      prepareOutputFile(o.out, 'model file', [file]);
      const { model, meta } = importKerasFile(file, o.dtype);
      saveModel(o.out, model, null, { importedFrom: meta });
      if (o.json)
        return outJson('import-keras', { input: file, model: o.out, config: model.config, importedFrom: meta });
      out(
        `imported ${file} (Keras ${meta.kerasVersion}, N=${model.config.nRec}, ${model.config.nIn} input(s), bias ` +
          `${model.config.recurrentBias ? 'on' : 'off'}) → ${o.out}`,
      );
    });
}
