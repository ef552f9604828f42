// Worker thread of engine/kernels/parallel.ts. In a package this file sits beside the compiled wasm-thread-main.js; in
// a source checkout beside wasm-thread-main.ts, which tsx (a development dependency) compiles on the fly. A failure to
// load is posted on workerData.errorPort and flagged in the control block (CTRL.STARTED = -1, word 6), so the main
// thread, which waits in Atomics.wait, fails at once with this error instead of waiting.
const { workerData } = require('worker_threads');
try {
  if (require('fs').existsSync(require('path').join(__dirname, 'wasm-thread-main.ts'))) require('tsx/cjs');
  require('./wasm-thread-main');
} catch (e) {
  workerData.errorPort.postMessage(String((e && e.stack) || e));
  const ctrl = new Int32Array(workerData.memory.buffer, workerData.ctrlAt, 8);
  Atomics.store(ctrl, 6, -1);
  Atomics.notify(ctrl, 6);
}
