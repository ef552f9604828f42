/**
 * Decision tasks of Jarne & Laje (2023), arXiv 1906.01094, §2 (paper-spec §2.2 LOGIC and NOT): two (AND, OR, XOR)
 * or one (NOT) input pulses of 20 ms at t = 30 ms, and after a delay (`memGap`) the output steps to the truth-table
 * value and holds it to the end of the trial.
 *
 *   AND  (A,B) ∈ {00, 10, 01, 11} → 0,0,0,1   baseline 0.0    data seed 2
 *   OR                             → 0,1,1,1   baseline 0.01
 *   XOR                            → 0,1,1,0   baseline 0.01   training-time input noise 0.1
 *   NOT  A ∈ {0, 1}               → 1, 0      baseline 0.01   data seed 1, needs a recurrent bias (no input → 1)
 *
 * Two versions, as in the authors' code: 'root' (training-time generators) and 'paper' (code_paper_rep, used for the
 * figures): AND's response period is 140 ms there (T = 210) instead of 130 (T = 200); XOR and NOT have no noise.
 * Quirk kept on purpose: "0" responses go to exactly 0 while the pre-response baseline is 0.01.
 */
import type { TaskSpec } from '../framework';
import { levelsHeld } from '../success';

export interface LogicParams {
  firstIn: number; // ms before the stimulus
  stimDur: number; // stimulus duration, ms
  memGap: number; // delay between stimulus end and response onset, ms
  outGap: number; // response period, ms
  baseline: number; // target before the response
  inputNoise: number; // σ of Gaussian noise on every input sample
  dt: number; // ms per step
}

type Table = ReadonlyArray<{ name: string; A: number; B: number; out: number }>;

const TRUTH: Record<'and' | 'or' | 'xor', Table> = {
  and: [
    { name: '00', A: 0, B: 0, out: 0 },
    { name: '10', A: 1, B: 0, out: 0 },
    { name: '01', A: 0, B: 1, out: 0 },
    { name: '11', A: 1, B: 1, out: 1 },
  ],
  or: [
    { name: '00', A: 0, B: 0, out: 0 },
    { name: '10', A: 1, B: 0, out: 1 },
    { name: '01', A: 0, B: 1, out: 1 },
    { name: '11', A: 1, B: 1, out: 1 },
  ],
  xor: [
    { name: '00', A: 0, B: 0, out: 0 },
    { name: '10', A: 1, B: 0, out: 1 },
    { name: '01', A: 0, B: 1, out: 1 },
    { name: '11', A: 1, B: 1, out: 0 },
  ],
};

const CITATION = 'Jarne & Laje (2023), J. Comput. Neurosci. 51:407-431, arXiv 1906.01094';

function logicTask(
  op: 'and' | 'or' | 'xor',
  variant: 'root' | 'paper',
  defaults: LogicParams,
  earlyStopLoss: number,
): TaskSpec<LogicParams> {
  const table = TRUTH[op];
  return {
    name: variant === 'root' ? op : `${op}-paper`,
    title: `${op.toUpperCase()} (${variant === 'root' ? 'training-time' : 'figure-time'} generator)`,
    citation: CITATION,
    inputs: ['A', 'B'],
    outputs: ['y'],
    defaults,
    dt: (p) => p.dt,
    conditions: () => table.map((r) => ({ name: r.name, values: { A: r.A, B: r.B, out: r.out } })),
    periods: (p) => [
      { name: 'fixation', duration: p.firstIn },
      { name: 'stimulus', duration: p.stimDur },
      { name: 'delay', duration: p.memGap },
      { name: 'response', duration: p.outGap },
    ],
    stimuli: () => [
      { channel: 'A', period: 'stimulus', value: 'A' },
      { channel: 'B', period: 'stimulus', value: 'B' },
    ],
    responses: () => [{ channel: 'y', period: 'response', value: 'out' }],
    baseline: (p) => p.baseline,
    noise: (p) => ({ input: p.inputNoise, target: 0 }),
    success: (view, p) => levelsHeld(view, Math.round(20 / p.dt), 0.5),
    hints: {
      recurrentBias: false,
      earlyStopLoss,
      trainTrials: 15000,
      dataSeed: 2,
      init: op === 'and' ? 'normal' : 'orthogonal',
    },
  };
}

const common = { firstIn: 30, stimDur: 20, memGap: 20, outGap: 130, dt: 1 };

export const AND = logicTask('and', 'root', { ...common, baseline: 0, inputNoise: 0 }, 5e-4);
export const AND_PAPER = logicTask('and', 'paper', { ...common, outGap: 140, baseline: 0, inputNoise: 0 }, 5e-4);
export const OR = logicTask('or', 'root', { ...common, baseline: 0.01, inputNoise: 0 }, 1e-4);
export const XOR = logicTask('xor', 'root', { ...common, baseline: 0.01, inputNoise: 0.1 }, 1e-3);
export const XOR_PAPER = logicTask('xor', 'paper', { ...common, baseline: 0.01, inputNoise: 0 }, 1e-3);

function notTask(variant: 'root' | 'paper', inputNoise: number): TaskSpec<LogicParams> {
  return {
    name: variant === 'root' ? 'not' : 'not-paper',
    title: `NOT (${variant === 'root' ? 'training-time' : 'figure-time'} generator)`,
    citation: CITATION,
    inputs: ['A'],
    outputs: ['y'],
    defaults: { ...common, baseline: 0.01, inputNoise },
    dt: (p) => p.dt,
    conditions: () => [
      { name: '0', values: { A: 0, out: 1 } },
      { name: '1', values: { A: 1, out: 0 } },
    ],
    periods: (p) => [
      { name: 'fixation', duration: p.firstIn },
      { name: 'stimulus', duration: p.stimDur },
      { name: 'delay', duration: p.memGap },
      { name: 'response', duration: p.outGap },
    ],
    stimuli: () => [{ channel: 'A', period: 'stimulus', value: 'A' }],
    responses: () => [{ channel: 'y', period: 'response', value: 'out' }],
    baseline: (p) => p.baseline,
    noise: (p) => ({ input: p.inputNoise, target: 0 }),
    success: (view, p) => levelsHeld(view, Math.round(20 / p.dt), 0.5),
    hints: { recurrentBias: true, earlyStopLoss: 5e-4, trainTrials: 15000, dataSeed: 1, init: 'normal' },
  };
}

export const NOT = notTask('root', 0.1);
export const NOT_PAPER = notTask('paper', 0);
