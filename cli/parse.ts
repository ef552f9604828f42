/** Strict parsing of command-line values: every bad number names its option. */
import { RnnlabError } from '@rnnlab/engine';

export function num(option: string, opts: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {}) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new RnnlabError(`${option} expects a number, got "${raw}"`);
    if (opts.integer && !Number.isInteger(v)) throw new RnnlabError(`${option} expects a whole number, got "${raw}"`);
    if (opts.positive && !(v > 0)) throw new RnnlabError(`${option} must be > 0, got ${raw}`);
    if (opts.min !== undefined && v < opts.min) throw new RnnlabError(`${option} must be >= ${opts.min}, got ${raw}`);
    if (opts.max !== undefined && v > opts.max) throw new RnnlabError(`${option} must be <= ${opts.max}, got ${raw}`);
    return v;
  };
}

/** `--param key=value` (repeatable) into a record of numbers. */
export function collectParam(raw: string, acc: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(raw);
  if (!m) throw new RnnlabError(`--param expects key=value (e.g. memGap=50), got "${raw}"`);
  acc[m[1]] = num(`--param ${m[1]}`)(m[2]);
  return acc;
}
