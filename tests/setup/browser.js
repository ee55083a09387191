#!/usr/bin/env node
// The browser for the Playwright tests, found in this order: TUNEBENCH_CHROMIUM; a system Chromium, Chrome or Edge;
// Playwright's own download, if it is in Playwright's cache. Run as a script (`npm test` does, before the tests), it
// gets one where none exists, the way that works on this machine: the distribution's `chromium` package where the
// user is root and apt-get exists, Playwright's download otherwise; it prints what it does, and where nothing works it
// names the one command to run and exits 1. playwright.config.ts calls findBrowser() for the path.
const { accessSync, constants, existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..', '..');
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
const FIXED = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/snap/bin/chromium'],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  ],
  win32: [
    ...[process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA]
      .filter(Boolean)
      .flatMap((dir) => [join(dir, 'Chromium', 'Application', 'chrome.exe'), join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(dir, 'Microsoft', 'Edge', 'Application', 'msedge.exe')]),
  ],
};
const NO_BROWSER =
  'No browser for the browser tests: run `npx playwright install chromium` (or, as root on Debian, `apt-get install chromium`), or set TUNEBENCH_CHROMIUM to a Chromium, Chrome or Edge binary.';

const isExecutable = (file) => {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The version line where the binary runs (`--version`; on Linux only, where a distribution's stub may not), '' elsewhere, null if it fails. */
function version(file) {
  if (process.platform !== 'linux') return '';
  const out = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (out.status !== 0) return null;
  const line = out.stdout.trim().split('\n')[0];
  return /chrom|edge/i.test(line) ? line : null;
}

function onPath() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return NAMES.flatMap((name) => dirs.map((dir) => join(dir, name)));
}

function playwrightCache() {
  try {
    return require(require.resolve('playwright-core', { paths: [root] })).chromium.executablePath();
  } catch {
    return null;
  }
}

/** { path, version, source } of the first browser that exists and runs; null where none does. Throws when TUNEBENCH_CHROMIUM names one that does not. */
function findBrowser() {
  const chosen = process.env.TUNEBENCH_CHROMIUM;
  if (chosen) {
    const v = isExecutable(chosen) ? version(chosen) : null;
    if (v === null) throw new Error(`TUNEBENCH_CHROMIUM is ${chosen}, which is not a Chromium, Chrome or Edge that runs here; set it to one that does, or unset it.`);
    return { path: chosen, version: v, source: 'TUNEBENCH_CHROMIUM' };
  }
  const seen = new Set();
  for (const file of [...(FIXED[process.platform] ?? []), ...onPath()]) {
    if (seen.has(file) || !isExecutable(file)) continue;
    seen.add(file);
    const v = version(file);
    if (v !== null) return { path: file, version: v, source: 'the system' };
  }
  const cached = playwrightCache();
  if (cached && isExecutable(cached)) {
    const v = version(cached);
    if (v !== null) return { path: cached, version: v, source: "Playwright's cache" };
  }
  return null;
}

function say(line) {
  process.stdout.write(`browser tests: ${line}\n`);
}

function run(command, args, env = {}) {
  say(`running ${[command, ...args].join(' ')}`);
  const out = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, timeout: 900_000 });
  return out.status === 0;
}

const hasCommand = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));

/** Gets a browser the way that works here; returns what findBrowser() then finds. */
function install() {
  const aptAsRoot = process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('apt-get');
  if (aptAsRoot) {
    say("no Chromium, Chrome or Edge found; installing the distribution's chromium package with apt-get (once)");
    const apt = { DEBIAN_FRONTEND: 'noninteractive' };
    const lock = ['-o', 'DPkg::Lock::Timeout=600'];
    if (run('apt-get', [...lock, 'update', '-q'], apt) && run('apt-get', [...lock, 'install', '-y', '-q', '--no-install-recommends', 'chromium'], apt)) {
      const found = findBrowser();
      if (found) return found;
    }
    say('apt-get did not give a working chromium; trying Playwright\'s download instead');
  } else {
    say("no Chromium, Chrome or Edge found; downloading Playwright's Chromium (once, into Playwright's cache)");
  }
  const cli = require.resolve('@playwright/test/cli', { paths: [root] });
  if (run(process.execPath, [cli, 'install', ...(aptAsRoot ? ['--with-deps'] : []), 'chromium'])) return findBrowser();
  return null;
}

module.exports = { findBrowser, install, NO_BROWSER };

if (require.main === module) {
  let found;
  try {
    found = findBrowser() ?? install();
  } catch (err) {
    process.stderr.write(`browser tests: ${err.message}\n`);
    process.exit(1);
  }
  if (!found) {
    process.stderr.write(`${NO_BROWSER}\n`);
    process.exit(1);
  }
  say(`${found.version || 'a browser'} at ${found.path} (from ${found.source})`);
}
