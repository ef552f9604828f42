/** Readers for the authors' result tables (experiments/paper/authors-data; its README describes the columns). */
import * as path from 'path';
import { RnnlabError } from '@rnnlab/engine';
import { readTextFile } from '@rnnlab/engine/node';

function numericRows(text: string, file: string, columns: number): number[][] {
  const rows: number[][] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const v = t.split(/\s+/).map(Number);
    if (v.length < columns || v.some((x) => !Number.isFinite(x)))
      throw new RnnlabError(`${file}: malformed row "${t}"`);
    rows.push(v);
  }
  return rows;
}

/** size_at_150_ms.txt / time_delay.txt: x (size or delay), mean distance, error, number of networks. */
export function readScaleTable(file: string): Array<{ x: number; distance: number; error: number; networks: number }> {
  return numericRows(readTextFile(file, 'paper data table'), file, 4).map(([x, distance, error, networks]) => ({
    x,
    distance,
    error,
    networks,
  }));
}

/** damage_*.txt: threshold, percent removed, then (mean, error) for trial types 00, 11, 10, 01. */
export function readDamageTable(
  file: string,
): Array<{ threshold: number; percent: number; distance: Record<string, number> }> {
  return numericRows(readTextFile(file, 'paper data table'), file, 10).map((r) => ({
    threshold: r[0],
    percent: r[1],
    distance: { '00': r[2], '11': r[4], '10': r[6], '01': r[8] },
  }));
}

/** The authors' tables, shipped with this package (experiments/paper/authors-data; its README describes them). */
const PAPER_DATA_DIR = path.join(__dirname, 'authors-data');

export const paperDataFile = (name: string): string => path.join(PAPER_DATA_DIR, name);
