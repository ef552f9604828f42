/**
 * Flip-flop (SR latch) of Jarne & Laje (2023), paper-spec §2.2 FLIPFLOP: 8 turns of a 20-ms pulse followed by
 * 100 ms of quiet, starting at 50 ms (T = 1010 ms). Each pulse hits the Reset channel (0) or the Set channel (1);
 * `memGap` ms after the pulse ends the output switches to 0 or 1 and holds until the next switch.
 * Channel 0 = Reset, channel 1 = Set (the authors' plot labels are swapped; their target rule is this one).
 *
 * Also the 3-bit flip-flop of the companion work (Jarne, "Exploring Flip Flop memories and beyond", Front. Syst.
 * Neurosci. 2024, arXiv 2010.07858): three channels, each turn a +1 or −1 pulse on one channel, and output k holds
 * the sign of the last pulse on channel k (0 before the first).
 */
import type { PeriodSpec, TaskSpec } from '../framework';
import { levelsHeld } from '../success';

export interface FlipFlopParams {
  nTurns: number; // pulses per trial
  inputWait: number; // ms before the first pulse
  stimDur: number; // pulse duration, ms
  quietGap: number; // ms of quiet after each pulse
  memGap: number; // delay from pulse end to output switch, ms
  baseline: number; // target before the first switch
  inputNoise: number;
  dt: number;
}

export const FLIPFLOP: TaskSpec<FlipFlopParams> = {
  name: 'ff',
  title: 'Flip-flop (1-bit SR latch)',
  citation: 'Jarne & Laje (2023), arXiv 1906.01094',
  inputs: ['reset', 'set'],
  outputs: ['y'],
  defaults: {
    nTurns: 8,
    inputWait: 50,
    stimDur: 20,
    quietGap: 100,
    memGap: 20,
    baseline: 0.01,
    inputNoise: 0.1,
    dt: 1,
  },
  dt: (p) => p.dt,
  // Each trial is a random sequence of pulses, so there is a single trial type; the per-turn channel is a period value.
  // (The late-behaviour analysis splits it by the state a trial ends in: experiments/paper/evaluate.ts lateTrials.)
  conditions: () => [{ name: 'sequence', values: {} }],
  periods: (p, _c, rng) => {
    const out: PeriodSpec[] = [{ name: 'wait', duration: p.inputWait }];
    for (let k = 0; k < p.nTurns; k++) {
      const c = rng.int(2);
      out.push({ name: 'pulse', duration: p.stimDur, values: { reset: 1 - c, set: c, out: c } });
      out.push({ name: 'quiet', duration: p.quietGap });
    }
    return out;
  },
  stimuli: () => [
    { channel: 'reset', period: 'pulse', value: 'reset' },
    { channel: 'set', period: 'pulse', value: 'set' },
  ],
  responses: (p) => [{ channel: 'y', period: 'pulse', value: 'out', offset: p.stimDur + p.memGap, until: 'next' }],
  baseline: (p) => p.baseline,
  noise: (p) => ({ input: p.inputNoise, target: 0 }),
  success: (view, p) => levelsHeld(view, Math.round(20 / p.dt), 0.5),
  hints: { recurrentBias: false, earlyStopLoss: 1e-3, trainTrials: 25000, dataSeed: 1, init: 'orthogonal' },
};

export const FLIPFLOP3: TaskSpec<FlipFlopParams> = {
  name: 'ff3',
  title: '3-bit flip-flop',
  citation: 'Jarne (2024), Front. Syst. Neurosci., arXiv 2010.07858; Sussillo & Barak (2013)',
  inputs: ['in0', 'in1', 'in2'],
  outputs: ['out0', 'out1', 'out2'],
  defaults: { nTurns: 8, inputWait: 50, stimDur: 20, quietGap: 100, memGap: 20, baseline: 0, inputNoise: 0.1, dt: 1 },
  dt: (p) => p.dt,
  conditions: () => [{ name: 'sequence', values: {} }],
  periods: (p, _c, rng) => {
    const out: PeriodSpec[] = [{ name: 'wait', duration: p.inputWait }];
    for (let k = 0; k < p.nTurns; k++) {
      const ch = rng.int(3);
      const sign = rng.uniform() < 0.5 ? -1 : 1;
      out.push({ name: 'pulse', duration: p.stimDur, values: { [`in${ch}`]: sign, [`out${ch}`]: sign } });
      out.push({ name: 'quiet', duration: p.quietGap });
    }
    return out;
  },
  stimuli: () => [0, 1, 2].map((c) => ({ channel: `in${c}`, period: 'pulse', value: `in${c}` })),
  responses: (p) =>
    [0, 1, 2].map((c) => ({
      channel: `out${c}`,
      period: 'pulse',
      value: `out${c}`,
      offset: p.stimDur + p.memGap,
      until: 'next' as const,
    })),
  baseline: (p) => p.baseline,
  noise: (p) => ({ input: p.inputNoise, target: 0 }),
  success: (view, p) => levelsHeld(view, Math.round(20 / p.dt), 0.5),
  hints: { recurrentBias: false, earlyStopLoss: 1e-3, trainTrials: 25000, dataSeed: 1, init: 'orthogonal' },
};
