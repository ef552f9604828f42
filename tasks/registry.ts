/** Every task by name. A task's name is what `rnnlab train --task` takes. */
import { RnnlabError } from '@rnnlab/engine';
import type { TaskSpec } from './framework';
import { AND, AND_PAPER, NOT, NOT_PAPER, OR, XOR, XOR_PAPER } from './paper/logic';
import { FLIPFLOP, FLIPFLOP3 } from './paper/flipflop';
import { OSC, OSC_ROOT } from './paper/oscillation';
import { PULSE, PULSE_ROOT } from './paper/pulse';
import { YANG_TASKS } from './yang/tasks';
import { NEUROGYM_TASKS } from './neurogym/tasks';

// Each spec has its own parameter type; the registry erases it (params are checked by name at run time).
export type AnyTask = TaskSpec<any>;

export const TASKS: Readonly<Record<string, AnyTask>> = Object.freeze(
  Object.fromEntries(
    [
      ...[AND, AND_PAPER, OR, XOR, XOR_PAPER, NOT, NOT_PAPER, FLIPFLOP, FLIPFLOP3, OSC, OSC_ROOT, PULSE, PULSE_ROOT],
      ...NEUROGYM_TASKS,
      ...YANG_TASKS,
    ].map((t) => [t.name, t]),
  ),
);

export function getTask(name: string): AnyTask {
  // Own names only: "__proto__", "constructor" or "toString" are not tasks, whatever Object.prototype holds.
  const t = Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
  if (!t) throw new RnnlabError(`unknown task "${name}" (known: ${Object.keys(TASKS).join(', ')})`);
  return t;
}
