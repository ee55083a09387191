// The one WorkbenchConnection the actions talk through; bound once by startWorkbench (or by a test with a fake).
import type { WorkbenchConnection } from '../../api';

let bound: WorkbenchConnection | null = null;

export function bindConnection(connection: WorkbenchConnection | null): void {
  bound = connection;
}

export function connection(): WorkbenchConnection {
  if (!bound) throw new Error('Tunebench: the store was used before startWorkbench() bound a connection.');
  return bound;
}
