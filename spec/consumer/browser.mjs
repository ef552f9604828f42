// The core entry in a browser (bundled by esbuild for platform=browser, run in headless Chromium by run.mjs): five
// training steps on jsBackend and on the WebAssembly SIMD backend, results written into the page for --dump-dom.
import * as engine from '@rnnlab/engine';
import steps from './steps.cjs';

const trials = steps.logicTrials(8, 20, (x, y) => x ^ y);
const result = { crossOriginIsolated: globalThis.crossOriginIsolated };
for (const [name, make, dtype] of [
  ['js', () => engine.jsBackend, 'float64'],
  ['wasm', () => engine.createWasmBackend(), 'float32'],
]) {
  try {
    result[name] = steps.fiveSteps(engine, make(), dtype, trials);
  } catch (e) {
    result[name] = { error: String((e && e.stack) || e) };
  }
}
globalThis.document.getElementById('out').textContent = JSON.stringify(result);
