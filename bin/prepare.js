#!/usr/bin/env node
// Runs after `npm install` / `npm ci`: builds main, preload, renderer and the CLI so `npx tunebench` works at once.
// Skipped for installs that only consume the package (no sources next to it).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
if (!existsSync(join(root, 'electron.vite.config.ts')) || !existsSync(join(root, 'node_modules', 'electron-vite'))) process.exit(0);
const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
