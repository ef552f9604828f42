#!/usr/bin/env node
// Entry point of the `rnnlab` command: run the TypeScript sources through tsx's CommonJS loader.
require('tsx/cjs');
require('./rnnlab.ts');
