// The WebAssembly JS API subset used by kernels/wasm.ts (TypeScript's ES libs do not declare it; lib.dom would).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: BufferSource);
  }
  function validate(bytes: BufferSource): boolean;
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
}
type BufferSource = ArrayBufferView | ArrayBuffer;
