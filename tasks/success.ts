/** Reusable success rules ("is the output right on this trial?"), used by the task definitions. */
import type { TrialView } from './framework';

// Math's functions read once: under jest (a vm context) every global lookup in a hot loop is slow. Same bits.
const { abs, ceil, max, min, sqrt } = Math;

function channel(view: TrialView, which: 'output' | 'clean', o: number, t: number): number {
  return view[which][t * view.nOut + o];
}

/**
 * Level responses (logic tasks, flip-flop): for every target segment, the output's mean over the segment (after
 * `settle` steps) and its mean over the segment's last fifth are both within `tolerance` of the target level.
 */
export function levelsHeld(view: TrialView, settle: number, tolerance: number): boolean {
  for (const r of view.layout.responses) {
    const from = min(r.start + settle, r.end - 1);
    const lastFifth = max(from, r.end - ceil((r.end - from) / 5));
    for (const start of [from, lastFifth]) {
      let s = 0;
      for (let t = start; t < r.end; t++) s += channel(view, 'output', r.output, t);
      if (!(abs(s / (r.end - start) - r.value) < tolerance)) return false;
    }
  }
  return true;
}

/**
 * A timed pulse: when the clean target has a bump (above baseline + half its height), the output must peak within
 * `timing` steps of the target's peak and reach half the target's height; when it has none, the output must stay
 * below baseline + half the height the pulse would have had (`pulseHeight`) after the stimulus.
 */
export function pulseTimed(
  view: TrialView,
  opts: { baseline: number; pulseHeight: number; after: number; timing: number },
): boolean {
  const T = view.clean.length / view.nOut;
  let tPeak = -1,
    peak = -Infinity,
    yPeak = -Infinity,
    tyPeak = -1;
  for (let t = opts.after; t < T; t++) {
    const c = channel(view, 'clean', 0, t),
      y = channel(view, 'output', 0, t);
    if (c > peak) {
      peak = c;
      tPeak = t;
    }
    if (y > yPeak) {
      yPeak = y;
      tyPeak = t;
    }
  }
  const half = opts.baseline + opts.pulseHeight / 2;
  const hasPulse = peak > half;
  if (!hasPulse) return yPeak < half;
  return abs(tyPeak - tPeak) <= opts.timing && yPeak > half;
}

/**
 * An oscillation window: where the target oscillates, the output must correlate with it (r ≥ minCorrelation) at a
 * comparable amplitude (standard-deviation ratio within [0.5, 2]); where the target is flat, the output's standard
 * deviation over the window must stay below `flatStd`.
 */
export function oscillationMatched(
  view: TrialView,
  window: [number, number],
  opts: { minCorrelation: number; flatStd: number },
): boolean {
  const [a, b] = window;
  const n = b - a;
  let my = 0,
    mc = 0;
  for (let t = a; t < b; t++) {
    my += channel(view, 'output', 0, t);
    mc += channel(view, 'clean', 0, t);
  }
  my /= n;
  mc /= n;
  let syy = 0,
    scc = 0,
    syc = 0;
  for (let t = a; t < b; t++) {
    const dy = channel(view, 'output', 0, t) - my,
      dc = channel(view, 'clean', 0, t) - mc;
    syy += dy * dy;
    scc += dc * dc;
    syc += dy * dc;
  }
  const sy = sqrt(syy / n),
    sc = sqrt(scc / n);
  if (sc < 1e-9) return sy < opts.flatStd;
  const r = syc / sqrt(syy * scc + 1e-300);
  return r >= opts.minCorrelation && sy / sc >= 0.5 && sy / sc <= 2;
}
