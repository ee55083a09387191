// Where Tunebench keeps its database and files: --data-dir, else TUNEBENCH_DATA_DIR, else the per-user application
// data folder (the same folder Electron's app.getPath('userData') gives for an app named "tunebench").
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'tunebench';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback = defaultDataDir()): string {
  const chosen = flag ?? env.TUNEBENCH_DATA_DIR;
  return chosen ? resolve(chosen) : fallback;
}

/**
 * The folder of built-in models (resources/models/<id>): next to the bundle in a checkout (out/main/*.js →
 * ../../resources), or the packaged app's resources folder, which main/index.ts passes in.
 */
export function resolveResourcesDir(bundleDir: string, env: NodeJS.ProcessEnv = process.env, packaged?: string): string {
  if (env.TUNEBENCH_RESOURCES_DIR) return resolve(env.TUNEBENCH_RESOURCES_DIR);
  return packaged ?? resolve(bundleDir, '..', '..', 'resources');
}
