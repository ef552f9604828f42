/**
 * Drawing the analysis package's Vega-Lite specifications in the page: compiled by vega-lite, parsed to an AST and
 * evaluated by vega-interpreter (no `eval` or `new Function`, so the page's Content-Security-Policy can forbid them),
 * rendered as SVG DOM (texts are text nodes, never markup). A figure that updates while training is redrawn at most
 * every `minMs`, the latest specification winning.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import type { VegaLiteSpec } from '@rnnlab/analysis/browser';

const views = new Map<HTMLElement, vega.View>();

export async function draw(el: HTMLElement, spec: VegaLiteSpec): Promise<void> {
  const compiled = compile({ background: 'white', ...spec } as never).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
    expr: expressionInterpreter as never,
    renderer: 'svg',
    container: el,
    hover: false,
  });
  views.get(el)?.finalize();
  views.set(el, view);
  await view.runAsync();
}

const pending = new Map<HTMLElement, { spec: VegaLiteSpec; timer: number | null; last: number }>();

/** Draw `spec` into `el` now, or when `minMs` have passed since the last drawing there. */
export function drawThrottled(el: HTMLElement, spec: VegaLiteSpec, minMs: number, onError: (e: unknown) => void): void {
  const p = pending.get(el) ?? { spec, timer: null, last: 0 };
  p.spec = spec;
  pending.set(el, p);
  if (p.timer !== null) return;
  const wait = Math.max(0, p.last + minMs - performance.now());
  p.timer = window.setTimeout(() => {
    p.timer = null;
    p.last = performance.now();
    draw(el, p.spec).catch(onError);
  }, wait);
}

/** Forget a pending redraw (a new run starts, its figures replace the old). */
export function cancelPending(): void {
  for (const p of pending.values()) if (p.timer !== null) clearTimeout(p.timer);
  pending.clear();
}
