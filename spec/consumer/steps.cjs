// Shared by the consumer programs (engine-esm.mjs, engine-cjs.cjs, browser.mjs): trials built by hand, and a few
// training steps judged by the exact float64 loss. The engine comes in as an argument, so that each program uses
// its own way of loading it (ES import, require, a browser bundle).

/** Two-input logic trials [B][T][2] → [B][T][1], every step counted: trial b holds the bits (b >> 1) & 1 and b & 1. */
function logicTrials(B, T, op) {
  const inputs = new Float64Array(B * T * 2);
  const targets = new Float64Array(B * T);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++) {
      const x = (b >> 1) & 1;
      const y = b & 1;
      inputs[(b * T + t) * 2] = x;
      inputs[(b * T + t) * 2 + 1] = y;
      targets[b * T + t] = op(x, y);
    }
  return { nTrials: B, nSteps: T, nIn: 2, nOut: 1, inputs, targets, mask: new Float64Array(B * T).fill(1) };
}

/** Five Adam steps on `backend` from a seeded model; the loss before and after, from lossAndGradient. */
function fiveSteps(engine, backend, dtype, trials, nRec = 16) {
  const model = engine.createModel({ nIn: trials.nIn, nRec, nOut: trials.nOut, dtype });
  engine.initialize(model, { rec: 'orthogonal', seed: 1 });
  const before = engine.lossAndGradient(model, trials).loss;
  const trainer = new engine.Trainer(
    model,
    trials,
    { epochs: 10, batchSize: trials.nTrials, adam: { lr: 1e-2 } },
    backend,
  );
  for (let i = 0; i < 5; i++) trainer.trainStep();
  trainer.dispose();
  return { backend: backend.name, before, after: engine.lossAndGradient(model, trials).loss };
}

module.exports = { logicTrials, fiveSteps };
