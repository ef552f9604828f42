/**
 * TensorFlow.js peer: the paper's workload as a hand-unrolled op graph (tf.matMul / tf.tanh over T steps) under
 * optimizer.minimize, on the 'cpu' (pure JS) or 'wasm' (SIMD, 1 thread in Node) backend. Measured only in bench/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { TfWorkload } from './tfjs-types';

export async function useTfBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`tfjs backend ${name} did not start (got ${tf.getBackend()})`);
}

export function tfWorkload(N: number, T: number, B: number, I: number): TfWorkload {
  const wIn = tf.variable(tf.randomNormal([I, N], 0, 1 / Math.sqrt(I)));
  const wRec = tf.variable(tf.randomNormal([N, N], 0, 1 / Math.sqrt(N)));
  const wOut = tf.variable(tf.randomNormal([N, 1], 0, 1 / Math.sqrt(N)));
  const bOut = tf.variable(tf.zeros([1]));
  const x = tf.randomNormal([T, B, I]);
  const xs = tf.unstack(x);
  const y = tf.randomUniform([T * B, 1], -1, 1);
  const opt = tf.train.adam(1e-4);
  const forward = () => {
    let h = tf.zeros([B, N]) as tf.Tensor2D;
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      h = tf.tanh(tf.add(tf.matMul(xs[t] as tf.Tensor2D, wIn), tf.matMul(h, wRec))) as tf.Tensor2D;
      hs.push(h);
    }
    return tf.add(tf.matMul(tf.concat(hs, 0), wOut), bOut);
  };
  return {
    trainStep: () => {
      const loss = opt.minimize(() => tf.losses.meanSquaredError(y, forward()) as tf.Scalar, true) as tf.Scalar;
      const v = loss.dataSync()[0];
      loss.dispose();
      return v;
    },
    inferStep: () => tf.tidy(() => forward().sum().dataSync()[0]),
    dispose: () => {
      [wIn, wRec, wOut, bOut, x, y, ...xs].forEach((t) => t.dispose());
      opt.dispose();
    },
  };
}
