#!/usr/bin/env node
// The `tunebench` command: loads the built CLI (npm install builds it; `npm run build` rebuilds it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('tunebench: the CLI is not built yet; run `npm run build` in the Tunebench folder.\n');
  process.exit(1);
}
require(cli)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
