/**
 * Finite-duration oscillation of Jarne & Laje (2023), paper-spec §2.2 OSC: a smoothed input pulse at 100 ms starts
 * an oscillation of fixed duration; no pulse, no oscillation. The target is the authors' convolve(k·ones(L),
 * sin(2π·12·n/T), 'same') scaled by `amplitude`, so its period is T/cycles (35 ms in the paper version) and it is
 * tied to T and so to `memGap` (the authors' unintended coupling, kept; set `cycles` to move it).
 *
 *   'paper' (code_paper_rep; the stored OSC network): stimulus 40 ms Hann(15)-smoothed, T = 420, amplitude 0.2
 *   'root'  (training-time): stimulus 20 ms Hann(10)-smoothed, T = 340, amplitude 0.3
 * The whole target, baseline included, is scaled by the amplitude (baseline 0.01 → 0.002 / 0.003).
 * Quirk kept on purpose: on no-oscillation trials the response window holds convolve(0·ones(L), …) = 0, not the
 * baseline.
 */
import type { TaskSpec } from '../framework';
import { oscillationMatched } from '../success';
import { convolvedSine, hann, normalized, smoothedBox } from '../waveforms';

export interface OscParams {
  firstIn: number;
  stimDur: number;
  hannWidth: number;
  memGap: number; // sets the oscillation's duration (L = memGap ± 20 ms)
  outGap: number; // quiet tail, ms
  cycles: number; // sinusoid period = T / cycles
  amplitude: number; // scale of the whole target
  inputNoise: number;
  dt: number;
}

/** T of the authors' generator: root first_in + stim + mem_gap + out_gap; paper adds a second stim_dur. */
function trialMs(p: OscParams, variant: 'root' | 'paper'): number {
  return p.firstIn + (variant === 'paper' ? 2 * p.stimDur : p.stimDur) + p.memGap + p.outGap;
}

function oscTask(variant: 'root' | 'paper', defaults: OscParams): TaskSpec<OscParams> {
  return {
    name: variant === 'paper' ? 'osc' : 'osc-root',
    title: `Finite-duration oscillation (${variant === 'paper' ? 'figure-time' : 'training-time'} generator)`,
    citation: 'Jarne & Laje (2023), arXiv 1906.01094',
    inputs: ['A'],
    outputs: ['y'],
    defaults,
    dt: (p) => p.dt,
    conditions: () => [
      { name: 'no-osc', values: { A: 0 } },
      { name: 'osc', values: { A: 1 } },
    ],
    periods: (p) => {
      const T = trialMs(p, variant);
      const outT = 120 + p.stimDur; // the authors' out_t = 120 + stim_dur
      return [
        { name: 'fixation', duration: p.firstIn },
        { name: 'stimulus', duration: p.stimDur },
        { name: 'gap', duration: outT - p.firstIn - p.stimDur },
        { name: 'response', duration: T - p.outGap - outT },
        { name: 'tail', duration: p.outGap },
      ];
    },
    stimuli: (p) => {
      return [{ channel: 'A', period: 'stimulus', value: 'A', waveform: smoothedBox(normalized(hann(p.hannWidth))) }];
    },
    responses: (p) => [
      { channel: 'y', period: 'response', value: 'A', waveform: convolvedSine(p.cycles, p.amplitude) },
    ],
    baseline: (p) => 0.01 * p.amplitude,
    noise: (p) => ({ input: p.inputNoise, target: 0 }),
    success: (view) => {
      const r = view.layout.periods.find((q) => q.name === 'response')!;
      return oscillationMatched(view, [r.start, r.end], { minCorrelation: 0.6, flatStd: 0.2 });
    },
    hints: { recurrentBias: false, earlyStopLoss: 1e-3, trainTrials: 15000, dataSeed: 1, init: 'orthogonal' },
  };
}

export const OSC = oscTask('paper', {
  firstIn: 100,
  stimDur: 40,
  hannWidth: 15,
  memGap: 200,
  outGap: 40,
  cycles: 12,
  amplitude: 0.2,
  inputNoise: 0.1,
  dt: 1,
});
export const OSC_ROOT = oscTask('root', {
  firstIn: 100,
  stimDur: 20,
  hannWidth: 10,
  memGap: 200,
  outGap: 20,
  cycles: 12,
  amplitude: 0.3,
  inputNoise: 0.1,
  dt: 1,
});
