/**
 * Constrained models (issue 24; docs/model-conventions.md) against an independent float64 reference:
 * PyTorch autograd on the conventions' equations (spec/reference/constrained_torch.py → spec/fixtures/constrained).
 * Dale's law, input/recurrent/output masks, no autapses, trainable masks, per-unit learnable α, both formulations,
 * the three readouts and every regulariser: each loss term, the total, and the gradient of every raw parameter, for
 * the total and for each term on its own, on every CPU backend (1e-10 in float64), and against central finite
 * differences (the audit).
 */
import { gradientAudit, PARAM_NAMES } from '@rnnlab/engine';
import { allocParamSet, batchObjective, createStepModel, stepModel } from '@rnnlab/engine/advanced';
import { CPU_BACKENDS } from '../helpers/backends';
import { relErr } from '../helpers/fixtures';
import { CONSTRAINED_CASES, constrainedCase } from '../helpers/constrained-case';

describe.each(CPU_BACKENDS)('constrained models on the %s backend', (_name, backend) => {
  describe.each(CONSTRAINED_CASES)('fixture %s', (name) => {
    function evaluate(only?: Parameters<typeof batchObjective>[8]) {
      const { fx, model, ws } = constrainedCase(name, 'float64', backend);
      const grads = allocParamSet(model.config);
      const run = stepModel(model, createStepModel(model));
      const terms = batchObjective(model, run, ws, backend, grads, 'mask-sum', null, {}, only);
      return { fx, terms, grads };
    }

    test('every loss term and the total match PyTorch to 1e-12', () => {
      const { fx, terms } = evaluate();
      for (const [k, v] of Object.entries(fx.terms))
        expect(Math.abs(terms[k as 'task']! - v)).toBeLessThan(1e-12 * (1 + Math.abs(v)));
      expect(Math.abs(terms.total! - fx.total)).toBeLessThan(1e-12 * (1 + fx.total));
    });

    test('the gradient of every raw parameter (α included) matches PyTorch autograd to 1e-10', () => {
      const { fx, grads } = evaluate();
      for (const p of PARAM_NAMES) {
        expect(grads[p].length).toBe(fx.gradients[p].length);
        if (grads[p].length) expect(relErr(grads[p], fx.gradients[p])).toBeLessThan(1e-10);
      }
    });

    test('each term on its own: its gradient matches PyTorch to 1e-10', () => {
      const { fx } = evaluate();
      for (const [term, want] of Object.entries(fx.termGradients)) {
        const { grads, terms } = evaluate(term as 'task');
        expect(Math.abs(terms.total! - fx.terms[term])).toBeLessThan(1e-12 * (1 + fx.terms[term]));
        for (const p of PARAM_NAMES) {
          const ref = want[p];
          const scale = Math.max(...ref.map(Math.abs), 1e-300);
          const err = Math.max(0, ...Array.from(grads[p], (g, i) => Math.abs(g - ref[i]))) / scale;
          expect({ term, p, ok: ref.every((v) => v === 0) ? grads[p].every((g) => g === 0) : err < 1e-10 }).toEqual({
            term,
            p,
            ok: true,
          });
        }
      }
    });
  });
});

describe('finite differences (gradientAudit, float64, noise frozen)', () => {
  test.each(CONSTRAINED_CASES)('%s: analytic gradient agrees with central differences', (name) => {
    const { model, trials, fx } = constrainedCase(name);
    const report = gradientAudit(model, trials, { eps: 1e-6, seed: 3 });
    // Central differences in float64 carry ~1e-7 relative error (truncation ε² and rounding 1e-16/ε), measured
    // against the parameter's largest gradient entry (an entry near a relu kink has no exact derivative to match).
    for (const p of report.params) {
      const scale = Math.max(...fx.gradients[p.name].map(Math.abs));
      expect({ p: p.name, ok: p.maxAbsError <= 1e-6 * scale + 1e-12 }).toEqual({ p: p.name, ok: true });
      expect(p.checked).toBeGreaterThan(0);
    }
    // every regulariser the model has is audited on its own, next to the task term
    expect(report.terms.map((t) => t.term).sort()).toEqual(Object.keys(fx.termGradients).sort());
  });
});
