/** The TensorFlow.js peer's interface (tfjs-rnn.ts), without importing TensorFlow.js: bench/run.ts loads it by path. */
export interface TfWorkload {
  trainStep(): number;
  inferStep(): number;
  dispose(): void;
}

export interface TfPeer {
  useTfBackend(name: 'cpu' | 'wasm'): Promise<void>;
  tfWorkload(N: number, T: number, B: number, I: number): TfWorkload;
}
