/**
 * The authors' networks as anchors (experiments/paper/anchors.ts): the four HDF5 files shipped with the experiments
 * package import and run through the same evaluation as rnnlab's networks, and give the values independent
 * re-runs of the authors' code give (paper-spec §4.2, §4.6): pulse #03 ≈ 0.95, AND #04's late behaviour.
 */
import { jsBackend } from '@rnnlab/engine';
import { anchorRows, ANCHOR_NETWORKS } from '@rnnlab/experiments';

test(
  'the four anchors run on the paper generators: all solve their task, pulse #03 at ≈ 0.95, AND #04 with its ' +
    'published dynamics',
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
  },
);
