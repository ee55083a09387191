// Builds the services once per process. Electron's main, the CLI and the browser-mode host all call this; only the
// trainer launcher and the mode differ.
import type Database from 'better-sqlite3';
import { openDatabase } from '../db/database';
import { DatasetService } from './datasetService';
import { EventBus } from './eventBus';
import { RunService } from './runService';
import { RunStore } from './runStore';
import type { TrainerLauncher } from './trainerProcess';

export interface Services {
  readonly dataDir: string;
  readonly db: Database.Database;
  readonly events: EventBus;
  readonly datasets: DatasetService;
  readonly store: RunStore;
  readonly runs: RunService;
  close(): void;
}

export function createServices(options: { dataDir: string; launchTrainer: TrainerLauncher }): Services {
  const { dataDir, launchTrainer } = options;
  const db = openDatabase(dataDir);
  const events = new EventBus();
  const datasets = new DatasetService(db, dataDir);
  const store = new RunStore(db);
  const runs = new RunService({ store, datasets, events, launchTrainer, dataDir });
  let closed = false;
  return {
    dataDir,
    db,
    events,
    datasets,
    store,
    runs,
    close() {
      if (closed) return;
      closed = true;
      runs.shutdown();
      store.flush();
      db.close();
    },
  };
}
