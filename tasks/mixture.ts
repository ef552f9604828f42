/**
 * Multi-task training as Yang et al. (2019) do it (gyyang/multitask train.py: `rule_trains`, `rule_prob_map`): one
 * network, trials of several tasks in every batch, each task drawn with its relative weight. The tasks must share
 * their inputs and outputs (Yang's tasks do: a rule input per task tells them apart), their parameters, dt, baseline
 * and noise. A mixture is itself a task: its conditions are every part's (named "task: condition"), each trial's
 * `task` value says which part made it, segments and the success rule are the part's own, and the weights are
 * parameters (`weight_<task>`, the task's name with `_` for `-`, default 1) so a run records them.
 */
import { RnnlabError } from '@rnnlab/engine';
import { levelIn, type Condition, type Segment, type TaskSpec, type Values } from './framework';

// Each part keeps its own parameter type; the mixture checks them by name.
type AnyTask = TaskSpec<any>;

/** A part's segment that only writes on the part's own trials. */
function onlyFor(i: number, seg: Segment): Segment {
  const level = seg.value;
  return { ...seg, value: (v: Values) => (v.task === i ? levelIn(level, v) : undefined) };
}

function checkCompatible(name: string, tasks: readonly AnyTask[]): void {
  if (tasks.length < 2) throw new RnnlabError(`mixture "${name}" needs at least two tasks`);
  const [first] = tasks;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const t of tasks.slice(1)) {
    const d = first.defaults,
      e = t.defaults;
    const why = !same(t.inputs, first.inputs)
      ? 'inputs'
      : !same(t.outputs, first.outputs)
        ? 'outputs'
        : !same(Object.keys(e).sort(), Object.keys(d).sort())
          ? 'parameters'
          : !same(t.noise(e), first.noise(d)) || t.baseline(e) !== first.baseline(d) || t.dt(e) !== first.dt(d)
            ? 'dt, baseline or noise'
            : null;
    if (why)
      throw new RnnlabError(
        `tasks "${first.name}" and "${t.name}" cannot be trained together: their ${why} differ (a mixture's tasks ` +
          'share inputs, outputs and parameters, as Yang et al.\u2019s do)',
      );
  }
}

/** One task made of several, drawn with relative weights (parameters `weight_<task>`). */
export function mixTasks(name: string, tasks: readonly AnyTask[]): TaskSpec<Record<string, number>> {
  checkCompatible(name, tasks);
  // Parameter names are identifiers (--param key=value): weight_yang_dm1 for yang-dm1.
  const weightKey = (t: AnyTask) => `weight_${t.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const defaults: Record<string, number> = { ...tasks[0].defaults };
  for (const t of tasks) defaults[weightKey(t)] = 1;
  const partParams = (p: Record<string, number>) =>
    Object.fromEntries(Object.keys(tasks[0].defaults).map((k) => [k, p[k]]));
  const conditions = (p: Record<string, number>): Condition[] =>
    tasks.flatMap((t, i) =>
      t.conditions(partParams(p)).map((c) => ({ name: `${t.name}: ${c.name}`, values: { ...c.values, task: i } })),
    );
  // The parts' segments and mask weights under the parameters last asked for (generate asks once per trial).
  let cached: { key: string; stimuli: Segment[]; responses: Segment[]; mask: Record<string, number> } | null = null;
  const built = (p: Record<string, number>) => {
    const key = JSON.stringify(p);
    if (cached?.key === key) return cached;
    const q = partParams(p);
    const mask: Record<string, number> = {};
    for (const t of tasks)
      for (const [k, w] of Object.entries<number>(t.maskWeights?.(q) ?? {})) {
        if (Object.hasOwn(mask, k) && mask[k] !== w)
          throw new RnnlabError(`mixture "${name}": its tasks weigh the period "${k}" differently`);
        mask[k] = w;
      }
    const stimuli = tasks.flatMap((t, i) => t.stimuli(q).map((s: Segment) => onlyFor(i, s)));
    const responses = tasks.flatMap((t, i) => t.responses(q).map((s: Segment) => onlyFor(i, s)));
    return (cached = { key, stimuli, responses, mask });
  };
  built(defaults);
  const part = (c: Values) => tasks[c.task];
  const baseCondition = (p: Record<string, number>, c: Condition): Condition => {
    const t = part(c.values);
    return t.conditions(partParams(p)).find((x: Condition) => `${t.name}: ${x.name}` === c.name)!;
  };
  return {
    name,
    title: `${tasks.length} tasks trained together`,
    citation:
      'Yang et al. (2019) Nat. Neurosci. 22:297 (multi-task training); parts: ' + tasks.map((t) => t.name).join(', '),
    inputs: tasks[0].inputs,
    outputs: tasks[0].outputs,
    defaults,
    parts: tasks.map((t) => t.name),
    dt: (p) => tasks[0].dt(partParams(p)),
    conditions,
    conditionWeights: (p) =>
      tasks.flatMap((t) => {
        const n = t.conditions(partParams(p)).length;
        return Array.from({ length: n }, () => p[weightKey(t)] / n);
      }),
    draw: (p, c, rng) => ({
      ...(part(c.values).draw?.(partParams(p), baseCondition(p, c), rng) ?? {}),
      task: c.values.task,
    }),
    periods: (p, c, rng) => part(c.values).periods(partParams(p), c, rng),
    stimuli: (p) => built(p).stimuli,
    responses: (p) => built(p).responses,
    baseline: (p) => tasks[0].baseline(partParams(p)),
    noise: (p) => tasks[0].noise(partParams(p)),
    maskWeights: (p) => built(p).mask,
    success: (view, p) => part(view.layout.vars).success(view, partParams(p)),
    // The hints that depend on parameters read the parts' own.
    hints: tasks[0].hints && {
      ...tasks[0].hints,
      ...(tasks[0].hints.outputWeights ? { outputWeights: (p) => tasks[0].hints!.outputWeights!(partParams(p)) } : {}),
      ...(tasks[0].hints.lossNorm ? { lossNorm: (p) => tasks[0].hints!.lossNorm!(partParams(p)) } : {}),
    },
  };
}
