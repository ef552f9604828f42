// vega 5 and vega-lite 5 ship CommonJS builds; their bundled types are ESM-flavoured, so declare the bit we use.
declare module 'vega' {
  export const version: string;
  export function parse(spec: unknown): unknown;
  export class View {
    constructor(runtime: unknown, opts?: { renderer?: string });
    toSVG(): Promise<string>;
  }
}
declare module 'vega-lite' {
  export function compile(spec: unknown): { spec: unknown };
}
