// Electron main: thin. It builds the window, binds the same services the CLI and the browser-mode host use, and
// forwards their events to the window. Nothing else here knows about Electron.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell, utilityProcess } from 'electron';
import { CALL_CHANNELS, CHANNEL_PREFIX } from '../common/channels';
import { badInput } from '../common/result';
import { resolveDataDir, resolveResourcesDir } from './dataDir';
import { createDispatcher } from './ipc/dispatcher';
import { createHandlers } from './ipc/handlers';
import { createServices, type Services } from './services';
import { TailBuffer, type TrainerLauncher } from './services/trainerProcess';
import { VERSION } from './version';
import { CONTENT_SECURITY_POLICY } from './server/security';

const RENDERER_INDEX = join(__dirname, '..', 'renderer', 'index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;

/** True for our own page (any #route), never for a frame that navigated elsewhere. */
const isOwnPage = (url: string | undefined): boolean => url !== undefined && url.split('#')[0].split('?')[0] === RENDERER_URL;

/** The trainer as an Electron utilityProcess: its own heap, so an out-of-memory trainer cannot take the app down. */
const utilityLauncher: TrainerLauncher = () => {
  const child = utilityProcess.fork(join(__dirname, 'trainer.js'), [], { serviceName: 'Tunebench trainer', stdio: 'pipe' });
  const tail = new TailBuffer();
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener({ code, signal: null, stderrTail: tail.toString() })),
    kill: () => {
      child.kill();
    },
  };
};

function dataDirFromArgs(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
}

function registerIpc(services: Services, window: BrowserWindow): void {
  const dispatch = createDispatcher(
    createHandlers(services, {
      mode: 'electron',
      version: VERSION,
      resolveImportSource: (source) => {
        if (source.kind !== 'path') throw badInput('The desktop app imports files by path; drop the file on the window.');
        return { path: source.path, fileName: source.path.split(/[\\/]/).pop() ?? source.path };
      },
    }),
  );
  for (const name of CALL_CHANNELS) {
    ipcMain.handle(CHANNEL_PREFIX + name, (event, input) => {
      // Only our own page may call in, never a frame that navigated elsewhere.
      if (!isOwnPage(event.senderFrame?.url)) {
        return { ok: false, error: { kind: 'bad-input', message: 'Calls are accepted from the Tunebench window only.' } };
      }
      return dispatch(name, input);
    });
  }
  services.events.onAny((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(CHANNEL_PREFIX + name, payload);
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    title: 'Tunebench',
    show: false,
    webPreferences: {
      preload: join(__dirname, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // External links open in the system browser; the app never opens windows of its own.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url)) {
      event.preventDefault();
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    }
  });
  void window.loadFile(RENDERER_INDEX);
  return window;
}

async function main(): Promise<void> {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  const dataDir = resolveDataDir(dataDirFromArgs(process.argv), process.env, app.getPath('userData'));
  const resourcesDir = resolveResourcesDir(__dirname, process.env, app.isPackaged ? process.resourcesPath : undefined);
  const services = createServices({ dataDir, resourcesDir, launchTrainer: utilityLauncher });
  services.store.markOrphansInterrupted();
  const window = createWindow();
  registerIpc(services, window);
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => services.close());
}

void main();
