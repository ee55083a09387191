#!/usr/bin/env node
// `npm start`: opens the desktop app. Where the Electron binary cannot be had (it is downloaded on first launch) or
// there is no display, it says so and names what to use instead: the browser mode or the CLI.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');
const INSTEAD = [
  'Use Tunebench without the window instead:',
  '  npx tunebench serve          the same app in your browser (open the URL it prints)',
  '  npx tunebench --help         the command line: import, train, runs',
].join('\n');

function fail(reason) {
  process.stderr.write(`Tunebench cannot open its window here: ${reason}\n${INSTEAD}\n`);
  process.exit(1);
}

if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  const build = spawnSync(process.execPath, [join(__dirname, 'prepare.js')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  fail('there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).');
}

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const binary = () => join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  if (existsSync(pathFile) && existsSync(binary())) return binary();
  process.stderr.write('Downloading the Electron binary (first launch only)…\n');
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', timeout: 180_000 });
  if (install.status === 0 && existsSync(pathFile) && existsSync(binary())) return binary();
  return null;
}

const binary = electronBinary();
if (!binary) fail('the Electron binary is not installed and could not be downloaded (no access to its download server?).');
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
