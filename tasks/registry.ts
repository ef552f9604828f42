/** Every task by name. A task's name is what `rnnlab train --task` takes. */
import { RnnlabError } from '@rnnlab/engine';
import type { TaskSpec } from './framework';
import { AND, AND_PAPER, NOT, NOT_PAPER, OR, XOR, XOR_PAPER } from './paper/logic';
import { FLIPFLOP, FLIPFLOP3 } from './paper/flipflop';
import { OSC, OSC_ROOT } from './paper/oscillation';
import { PULSE, PULSE_ROOT } from './paper/pulse';
import { YANG_TASKS } from './yang/tasks';
import { NEUROGYM_TASKS } from './neurogym/tasks';
import { mixTasks } from './mixture';

// Each spec has its own parameter type; the registry erases it (params are checked by name at run time).
export type AnyTask = TaskSpec<any>;

export const TASKS: Readonly<Record<string, AnyTask>> = Object.freeze(
  Object.fromEntries(
    [
      ...[AND, AND_PAPER, OR, XOR, XOR_PAPER, NOT, NOT_PAPER, FLIPFLOP, FLIPFLOP3, OSC, OSC_ROOT, PULSE, PULSE_ROOT],
      ...NEUROGYM_TASKS,
      ...YANG_TASKS,
      mixTasks('yang-multitask', YANG_TASKS),
    ].map((t) => [t.name, t]),
  ),
);

/** Other names a task answers to: NeuroGym's registered ids (PerceptualDecisionMaking-v0) and class names. */
const ALIASES: ReadonlyMap<string, string> = new Map(
  Object.values(TASKS).flatMap((t) => (t.aliases ?? []).map((a) => [a, t.name] as [string, string])),
);

/** Levenshtein distance, for suggesting the names nearest a mistyped one. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The three known names nearest `name`. */
export function closestTasks(name: string): string[] {
  const known = [...Object.keys(TASKS), ...ALIASES.keys()];
  return known
    .map((k) => ({ k, d: editDistance(name.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, 3)
    .map((x) => x.k);
}

const mixtures = new Map<string, AnyTask>();

/**
 * A task by name or alias; "a+b+c" is a mixture of those tasks trained together (equal weights; `weight_<task>`
 * parameters change them).
 */
export function getTask(name: string): AnyTask {
  // Own names only: "__proto__", "constructor" or "toString" are not tasks, whatever Object.prototype holds.
  const known = Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
  if (known) return known;
  const alias = ALIASES.get(name);
  if (alias) return TASKS[alias];
  if (name.includes('+')) {
    const mix = mixtures.get(name) ?? mixTasks(name, name.split('+').map(getTask));
    mixtures.set(name, mix);
    return mix;
  }
  throw new RnnlabError(
    `unknown task "${name}"; the nearest are ${closestTasks(name).join(', ')} (rnnlab tasks lists every one)`,
  );
}
