/**
 * Timed pulse ("pulse memorization", the task of the size and delay sweeps) of Jarne & Laje (2023), paper-spec
 * §2.2 PULSE: a smoothed input pulse, then, `memGap` ms after it ends, a 20-ms Gaussian output bump; no input, no
 * bump. Noise is added to the input and to the target, as the authors did.
 *
 *   'paper' (code_paper_rep; the stored network and the delay sweep): input at 50 ms, Hann(10)/Σ-smoothed; target
 *           bump 0.055·gaussian(20, 12) convolved, peak ≈ 0.985; baseline 0.045; noise 0.03; T = 300 whatever the
 *           delay, so memGap ≤ 210.
 *   'root'  (training-time): input at 30 ms, 0.04·gaussian(20, 12) for input and target (peak ≈ 0.70); baseline
 *           0.01; noise 0.1; T = 100, memGap ≤ 30.
 * Quirk kept on purpose: on no-pulse trials the 20-ms response window is written with the convolution of zeros, a
 * dip from the baseline to 0.
 */
import type { TaskSpec } from '../framework';
import { pulseTimed } from '../success';
import { gaussian, hann, normalized, scale, smoothedBox } from '../waveforms';

export interface PulseParams {
  firstIn: number;
  stimDur: number;
  memGap: number;
  trialMs: number; // T in ms (independent of memGap, as in the authors' code)
  baseline: number;
  noise: number; // σ on input and target
  dt: number;
}

function pulseTask(variant: 'root' | 'paper', defaults: PulseParams): TaskSpec<PulseParams> {
  const inKernel = variant === 'paper' ? normalized(hann(10)) : scale(gaussian(20, 12), 0.04);
  const outKernel = scale(gaussian(20, 12), variant === 'paper' ? 0.055 : 0.04);
  return {
    name: variant === 'paper' ? 'pulse' : 'pulse-root',
    title: `Timed pulse (${variant === 'paper' ? 'figure-time' : 'training-time'} generator)`,
    citation: 'Jarne & Laje (2023), arXiv 1906.01094',
    inputs: ['A'],
    outputs: ['y'],
    defaults,
    dt: (p) => p.dt,
    conditions: () => [
      { name: 'no-pulse', values: { A: 0 } },
      { name: 'pulse', values: { A: 1 } },
    ],
    periods: (p) => [
      { name: 'fixation', duration: p.firstIn },
      { name: 'stimulus', duration: p.stimDur },
      { name: 'delay', duration: p.memGap },
      { name: 'response', duration: 20 },
      { name: 'tail', duration: p.trialMs - p.firstIn - p.stimDur - p.memGap - 20 },
    ],
    stimuli: () => [{ channel: 'A', period: 'stimulus', value: 'A', waveform: smoothedBox(inKernel) }],
    responses: () => [{ channel: 'y', period: 'response', value: 'A', waveform: smoothedBox(outKernel) }],
    baseline: (p) => p.baseline,
    noise: (p) => ({ input: p.noise, target: p.noise }),
    success: (view, p) =>
      pulseTimed(view, {
        baseline: p.baseline,
        pulseHeight: Math.max(...smoothedBox(outKernel)(1, 20, 0)) - p.baseline,
        after: Math.round((p.firstIn + p.stimDur) / p.dt),
        timing: Math.round(8 / p.dt),
      }),
    hints: { recurrentBias: false, earlyStopLoss: 1e-3, trainTrials: 15000, dataSeed: 2, init: 'orthogonal' },
  };
}

export const PULSE = pulseTask('paper', {
  firstIn: 50,
  stimDur: 20,
  memGap: 20,
  trialMs: 300,
  baseline: 0.045,
  noise: 0.03,
  dt: 1,
});
export const PULSE_ROOT = pulseTask('root', {
  firstIn: 30,
  stimDur: 20,
  memGap: 20,
  trialMs: 100,
  baseline: 0.01,
  noise: 0.1,
  dt: 1,
});
