import { createModel, initialize, createWorkspace, loadTrials, rnnForward, rnnBackward, maskedMseForward, maskedMseBackward, allocParamSet, jsBackend, createWasmBackend, Rng, type Trials, type Backend } from '@rnnlab/engine';
(async () => {
for (const [N, T] of [[100, 200], [50, 200], [400, 200]]) {
const B = 64, I = 2;
const model = createModel({ nIn: I, nRec: N, nOut: 1, dtype: 'float32' });
initialize(model, { rec: 'normal', seed: 1 });
const rng = new Rng(1);
const tr: Trials = { nTrials: B, nSteps: T, nIn: I, nOut: 1, inputs: new Float64Array(B*T*I), targets: new Float64Array(B*T), mask: new Float64Array(B*T).fill(1) };
rng.fillNormal(tr.inputs); rng.fillUniform(tr.targets, -1, 1);
const wasm = await createWasmBackend();
const res: Record<string, Float32Array> = {};
for (const be of (N === 400 ? [wasm] : [jsBackend, wasm]) as Backend[]) {
  const ws = createWorkspace(model.config, B, T, be); loadTrials(ws, tr);
  const g = allocParamSet(model.config);
  const step = () => { rnnForward(model, ws, be); maskedMseForward(ws,1,'mask-sum'); maskedMseBackward(ws,1,'mask-sum'); g.flat.fill(0); rnnBackward(model, ws, g, be); };
  for (let i = 0; i < 3; i++) step();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) { const t0 = performance.now(); step(); times.push(performance.now() - t0); }
  times.sort((a,b)=>a-b);
  let t0 = performance.now(); for (let i = 0; i < 5; i++) rnnForward(model, ws, be); const fwd = (performance.now()-t0)/5;
  console.log(N, be.name, 'step ms median', times[3].toFixed(1), 'fwd', fwd.toFixed(1));
  res[be.name] = Float32Array.from(g.flat);
}
if (res.js) { let d = 0, m = 0; for (let i = 0; i < res.js.length; i++) { d = Math.max(d, Math.abs(res.js[i]-res['wasm-simd'][i])); m = Math.max(m, Math.abs(res.js[i])); }
console.log('grad rel diff', d/m); }
}
})().catch(e => console.log(e));
