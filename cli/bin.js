#!/usr/bin/env node
// Entry point of the `rnnlab` command. From a package (or a checkout built with `npm run build` and installed without
// development tools) it runs the compiled dist/rnnlab.js. In a source checkout with tsx installed it runs the
// TypeScript sources through tsx instead, so that what runs is what was just edited; tsconfig.json's paths map the
// @rnnlab packages to their sources there.
const fs = require('fs');
const path = require('path');

function fromSources() {
  if (!fs.existsSync(path.join(__dirname, 'rnnlab.ts'))) return false;
  try {
    require.resolve('tsx/cjs');
  } catch {
    return false;
  }
  process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(__dirname, '..', 'tsconfig.json');
  require('tsx/cjs');
  return true;
}

let cli;
if (fromSources()) cli = require('./rnnlab.ts');
else if (fs.existsSync(path.join(__dirname, 'dist', 'rnnlab.js'))) cli = require('./dist/rnnlab.js');
else {
  process.stderr.write('rnnlab: the compiled command is missing (cli/dist); run `npm run build` in the checkout\n');
  process.exit(1);
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
