// jsfive ships no type declarations; this is the part of its API that engine/io/keras-import.ts uses.
declare module 'jsfive' {
  export class Dataset {
    readonly shape: number[];
    readonly dtype: string | unknown;
    readonly value: ArrayLike<number>;
    readonly attrs: Record<string, unknown>;
  }
  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
