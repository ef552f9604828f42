#!/usr/bin/env node
// Entry point of the `rnnlab` command: run the TypeScript sources through tsx's CommonJS loader.
require('tsx/cjs');
const { main } = require('./rnnlab.ts');
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
