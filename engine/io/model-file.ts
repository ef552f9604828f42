/**
 * Model files on disk: the text format of serialize.ts, written durably (io.ts writeFileAtomic) and read with a
 * message that names the file. Node only (the /node entry); in a browser, use modelToJson / modelFromJson.
 */
import { writeFileAtomic, readTextFile } from './files';
import { parseJson } from './text';
import { modelFromJson, modelToJson, type LoadedModel } from './serialize';
import type { InitConfig } from '../core/init';
import type { RnnModel } from '../core/model';

export function saveModel(
  file: string,
  model: RnnModel,
  init: InitConfig | null = null,
  meta: Record<string, unknown> = {},
): void {
  writeFileAtomic(file, JSON.stringify(modelToJson(model, init, meta)));
}

export function loadModel(file: string): LoadedModel {
  return modelFromJson(parseJson(readTextFile(file, 'model file'), `model file "${file}"`), `model file "${file}"`);
}
