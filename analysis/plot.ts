/**
 * Rendering: a Vega-Lite specification (a plotting grammar: data, marks, encodings) to SVG with vega in Node, and
 * SVG to PNG with resvg. Figures are described as data + encoding in analysis/figures.ts, never hand-drawn.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

export type VegaLiteSpec = Record<string, unknown>;

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = vl.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    background: 'white',
    ...spec,
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}

export function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: scale } }).render().asPng();
}
