#!/usr/bin/env node
// `npm run test:electron`: drives the real Electron app with Playwright's _electron where the Electron binary exists,
// and says plainly when it does not (it is downloaded on first launch, which needs its download server).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..', '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8')) : null;

if (!binary || !existsSync(binary)) {
  process.stdout.write(
    'Electron tests not run: the Electron binary is not installed on this machine (electron >= 42 downloads it on first\n' +
      'launch; run `npx install-electron` where its download server is reachable). The same UI and services are tested\n' +
      'in Chromium by `npm run test:e2e` and in Node by `npm run test:unit`.\n',
  );
  process.exit(0);
}
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const command = needsDisplay ? 'xvfb-run' : process.execPath;
const args = [...(needsDisplay ? ['-a', process.execPath] : []), join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', join(__dirname, 'playwright.config.ts')];
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TUNEBENCH_ELECTRON_BINARY: binary } });
process.exit(result.status ?? 1);
