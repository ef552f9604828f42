/**
 * `rnnlab import-psychrnn` and `rnnlab export-psychrnn`: PsychRNN Basic model files (np.savez) to and from rnnlab
 * models (engine/io/psychrnn.ts).
 */
import * as path from 'path';
import { Command, Option } from 'commander';
import { ACTIVATIONS } from '@rnnlab/engine';
import { exportPsychRnn, importPsychRnn } from '@rnnlab/engine/psychrnn';
import { loadModel, readBinaryFile, saveModel, writeFileAtomic } from '@rnnlab/engine/node';
import { num } from '../parse';
import { jsonOption, out, outJson, prepareOutputFile } from '../common';

export function importPsychRnnCommand(): Command {
  return new Command('import-psychrnn')
    .description('convert a PsychRNN Basic model (.npz from RNN.save) to an rnnlab model (current formulation)')
    .argument('<file>', 'PsychRNN .npz file')
    .requiredOption('--out <file>', 'rnnlab model file to write')
    .requiredOption(
      '--alpha <a>',
      "the model's alpha = dt/tau, which PsychRNN does not save (its defaults dt 10, tau 100: 0.1)",
      num('--alpha', { positive: true, max: 1 }),
    )
    .addOption(
      new Option('--activation <f>', "the transfer function (pickled in the file, so not read; PsychRNN's default)")
        .choices([...ACTIVATIONS])
        .default('relu'),
    )
    .option('--rec-noise <sigma>', "PsychRNN's rec_noise (not in the file)", num('--rec-noise', { min: 0 }), 0)
    .addOption(jsonOption())
    .action((file: string, o) => {
      prepareOutputFile(o.out, 'model file', [file]);
      const bytes = new Uint8Array(readBinaryFile(file, 'PsychRNN file'));
      const { model, used, ignored } = importPsychRnn(
        bytes,
        { alpha: o.alpha, activation: o.activation, noiseStd: o.recNoise },
        `PsychRNN file "${file}"`,
      );
      const meta = { importedFrom: { format: 'psychrnn-npz', file: path.basename(file), used, ignored } };
      saveModel(o.out, model, null, meta);
      if (o.json) return outJson('import-psychrnn', { input: file, model: o.out, config: model.config, used, ignored });
      const c = model.config;
      const dale = c.daleRatio === null ? "no Dale's law" : `Dale's law ratio ${c.daleRatio}`;
      out(
        `imported ${file} (PsychRNN Basic, N=${c.nRec}, ${c.nIn} input(s), ${c.nOut} output(s), ${dale}, ` +
          `alpha ${c.alpha}, ${c.activation}; ignored: ${ignored.join(', ') || 'nothing'}) → ${o.out}`,
      );
    });
}

export function exportPsychRnnCommand(): Command {
  return new Command('export-psychrnn')
    .description('write an rnnlab model (current formulation, linear readout) as a PsychRNN .npz file')
    .argument('<model>', 'rnnlab model file')
    .requiredOption('--out <file>', '.npz file to write')
    .addOption(
      new Option('--dtype <t>', "array precision (PsychRNN's own files are float32)")
        .choices(['float32', 'float64'])
        .default('float32'),
    )
    .addOption(jsonOption())
    .action((file: string, o) => {
      prepareOutputFile(o.out, 'PsychRNN file', [file]);
      const { model } = loadModel(file);
      writeFileAtomic(o.out, exportPsychRnn(model, o.dtype));
      const c = model.config;
      const needs = { alpha: c.alpha, transferFunction: c.activation, recNoise: c.noiseStd };
      if (o.json)
        return outJson('export-psychrnn', { model: file, output: o.out, dtype: o.dtype, psychrnnNeeds: needs });
      out(
        `exported ${file} → ${o.out} (${o.dtype}); PsychRNN needs alpha = ${c.alpha}, transfer function ` +
          `${c.activation} and rec_noise ${c.noiseStd}, which its files do not hold`,
      );
    });
}
