/** Strict parsing of command-line values: every bad number names its option, and is a usage error (exit 2). */
import { RnnlabError } from '@rnnlab/engine';

/** A command line that cannot be what the user meant: one line, exit status 2 (runtime failures exit 1). */
export class UsageError extends RnnlabError {
  readonly exitCode = 2;
}

/** Names a parameter record cannot take: they would reach Object.prototype instead of the record. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function num(option: string, opts: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {}) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${option} expects a number, got "${raw}"`);
    if (opts.integer && !Number.isInteger(v)) throw new UsageError(`${option} expects a whole number, got "${raw}"`);
    if (opts.positive && !(v > 0)) throw new UsageError(`${option} must be > 0, got ${raw}`);
    if (opts.min !== undefined && v < opts.min) throw new UsageError(`${option} must be >= ${opts.min}, got ${raw}`);
    if (opts.max !== undefined && v > opts.max) throw new UsageError(`${option} must be <= ${opts.max}, got ${raw}`);
    return v;
  };
}

/** `--param key=value` (repeatable) into a record of numbers. */
export function collectParam(raw: string, acc: Record<string, number> = {}): Record<string, number> {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(raw);
  if (!m) throw new UsageError(`--param expects key=value (e.g. memGap=50), got "${raw}"`);
  if (RESERVED_KEYS.has(m[1])) throw new UsageError(`--param ${m[1]} is not a parameter name`);
  acc[m[1]] = num(`--param ${m[1]}`)(m[2]);
  return acc;
}
