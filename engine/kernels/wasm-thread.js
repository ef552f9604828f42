// Worker thread of engine/parallel.ts: load the TypeScript engine through tsx, then serve shard steps.
require('tsx/cjs');
require('./wasm-thread-main.ts');
