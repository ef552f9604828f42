/**
 * The authors' networks as anchors (experiments/paper/anchors.ts): the four HDF5 files shipped with the experiments
 * package import and run through the same evaluation as rnnlab's networks, and give the values independent
 * re-runs of the authors' code give (paper-spec §4.2, §4.6): pulse #03 ≈ 0.95, AND #04's and FF #06's late behaviour.
 */
import { jsBackend } from '@rnnlab/engine';
import { anchorRows, ANCHOR_NETWORKS, lateTrials } from '@rnnlab/experiments';

test(
  'the four anchors run on the paper generators: all solve their task, pulse #03 at ≈ 0.95, AND #04 with its ' +
    'published dynamics, FF #06 with its Set and Reset states',
  () => {
    const rows = anchorRows(
      { evalTrials: 200, evalSeed: 12345, lateSeed: 12346, backend: jsBackend },
      (task): Record<string, number> => (['and', 'xor'].includes(task) ? { inputNoise: 0.1 } : {}),
      () => null,
    );
    expect(rows.map((r) => r.task)).toEqual(ANCHOR_NETWORKS.map((a) => a.task));
    for (const r of rows) {
      expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(r.rnnlab).toBeNull();
      expect(Number.isFinite(r.meanDistance)).toBe(true);
    }
    const pulse = rows.find((r) => r.task === 'pulse')!;
    expect(Math.abs(pulse.meanDistance / 0.95 - 1)).toBeLessThan(0.05); // independent numpy re-run: 0.95
    expect(rows.find((r) => r.task === 'and')!.lateBehaviour).toBe('00:FP 10:OSC 01:OSC 11:FP'); // §4.2, AND ortho #04
    expect(pulse.spectrum.kind).toBe('complex'); // §4.2: λ* = 0.973 + 0.145i
    // §4.2, FF ortho #06: Set → FP (0.95), Reset → OSC (0). Its one trial type is split by the state a trial ends in.
    expect(rows.find((r) => r.task === 'ff')!.lateBehaviour).toBe('ends 1:FP ends 0:OSC');
  },
);

test("lateTrials: one noise-free trial per type; the flip-flop's one type split by the state its trials end in", () => {
  const and = lateTrials('and', {}, 5);
  expect([...and.names].sort()).toEqual(['00', '01', '10', '11']);
  for (const seed of [1, 2, 3]) {
    const ff = lateTrials('ff', {}, seed);
    expect(ff.names).toEqual(['ends 1', 'ends 0']);
    const { nSteps: T, nIn: I, targets, inputs } = ff.trials;
    ff.names.forEach((name, b) => {
      expect(targets[b * T + T - 1]).toBe(Number(name.slice(5)));
      let noisy = 0; // noise-free: every input is 0 or a pulse of 1
      for (let i = b * T * I; i < (b + 1) * T * I; i++) if (inputs[i] !== 0 && inputs[i] !== 1) noisy++;
      expect(noisy).toBe(0);
    });
  }
});
