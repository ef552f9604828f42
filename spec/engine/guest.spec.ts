/**
 * A good guest in someone else's process: importing the engine and creating a backend changes no environment
 * variable, no global and no V8 flag; process-wide changes happen only through their explicit calls
 * (enableRelaxedSimd). Run in a fresh Node process, since jest's own process has had flags set by other specs.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

test(
  'importing the core and /node entries, backend creation and a training step leave env, globals and V8 flags ' +
    'alone; enableRelaxedSimd is the one switch',
  () => {
    const program = `
    require('tsx/cjs');
    const bytes = require(${JSON.stringify(path.join(ROOT, 'engine/kernels/wasm-simd.bytes.ts'))});
    const wasmOk = () => WebAssembly.validate(Buffer.from(bytes.WASM_SIMD_FMA_BASE64, 'base64'));
    const snap = () => ({
      env: JSON.stringify(process.env),
      globals: Object.getOwnPropertyNames(globalThis).sort().join(','),
      fma: wasmOk(),
    });
    const before = snap();
    const e = require(${JSON.stringify(path.join(ROOT, 'engine/index.ts'))});
    const node = require(${JSON.stringify(path.join(ROOT, 'engine/node.ts'))});
    const b = e.createWasmBackend();
    const m = e.createModel({ nIn: 1, nRec: 4, nOut: 1 });
    e.initialize(m, { rec: 'normal', seed: 1 });
    const tr = { nTrials: 2, nSteps: 3, nIn: 1, nOut: 1,
      inputs: new Float64Array(6).fill(1), targets: new Float64Array(6), mask: new Float64Array(6).fill(1) };
    new e.Trainer(m, tr, { epochs: 1, batchSize: 2 }, b).trainStep();
    const after = snap();
    const enabled = node.enableRelaxedSimd();
    console.log(JSON.stringify({
      env: before.env === after.env, globals: before.globals === after.globals, flag: before.fma === after.fma,
      backendFma: b.fma === before.fma, enabled, fmaAfterEnable: wasmOk(),
    }));
  `;
    const r = spawnSync(process.execPath, ['-e', program], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    expect(got).toEqual({
      env: true,
      globals: true,
      flag: true,
      backendFma: true,
      enabled: got.fmaAfterEnable,
      fmaAfterEnable: got.enabled,
    });
    // On Node 20 the FMA build needs the flag: then enabling must be what switches it on.
    if (process.versions.node.startsWith('20.')) expect(got.enabled).toBe(true);
  },
);
