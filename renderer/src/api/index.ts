// Entry of api/: picks Electron's bridge when the preload put one on window, else the browser-mode WebSocket.
import type { WorkbenchConnection } from './connection';
import { createBrowserConnection, createTokenlessConnection } from './browserConnection';
import { readBrowserToken } from './browserToken';
import { createDesktopConnection, findDesktopBridge } from './desktopConnection';

export type { ApiMode, ConnectionState, WorkbenchConnection } from './connection';

/** Called once at start-up; also strips the browser-mode token from the address bar. */
export function connectWorkbench(): WorkbenchConnection {
  const bridge = findDesktopBridge();
  if (bridge) return createDesktopConnection(bridge);
  const token = readBrowserToken();
  return token ? createBrowserConnection(token) : createTokenlessConnection();
}
