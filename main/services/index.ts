// Builds the services once per process. Electron's main, the CLI and the browser-mode host all call this; only the
// trainer launcher and the mode differ.
import type Database from 'better-sqlite3';
import { openDatabase } from '../db/database';
import { DatasetService } from './datasetService';
import { EvaluationService } from './evaluationService';
import { EventBus } from './eventBus';
import { ExportService } from './exportService';
import { BaseFolders } from '../models/baseFolders';
import { ImportedModels } from '../models/importedModels';
import { InferenceService } from './inferenceService';
import { ModelService } from './modelService';
import { RunService } from './runService';
import { RunStore } from './runStore';
import type { TrainerLauncher } from './trainerProcess';
import type { EvalReport } from '../../common/evaluation';

export interface Services {
  readonly dataDir: string;
  readonly db: Database.Database;
  readonly events: EventBus;
  readonly datasets: DatasetService;
  readonly store: RunStore;
  readonly runs: RunService;
  readonly inference: InferenceService;
  readonly models: ModelService;
  readonly evaluations: EvaluationService;
  readonly exports: ExportService;
  /** The evaluation started when a run completed (null when it could not run); undefined if none started. */
  autoEvaluation(runId: string): Promise<EvalReport | null> | undefined;
  close(): void;
}

export function createServices(options: { dataDir: string; resourcesDir: string; launchTrainer: TrainerLauncher }): Services {
  const { dataDir, resourcesDir, launchTrainer } = options;
  const db = openDatabase(dataDir);
  const events = new EventBus();
  const datasets = new DatasetService(db, dataDir);
  const store = new RunStore(db);
  const imported = new ImportedModels(db, dataDir);
  const bases = new BaseFolders(resourcesDir, imported);
  const runs = new RunService({ store, datasets, events, launchTrainer, dataDir, bases });
  const inference = new InferenceService(launchTrainer);
  const models = new ModelService({ resourcesDir, store, inference, events, bases });
  const evaluations = new EvaluationService({ db, store, datasets, models, inference, events });
  const exports = new ExportService({ store, dataDir, bases });
  const autoEvaluations = new Map<string, Promise<EvalReport | null>>();
  events.on('runs.onDidLog', ({ runId, level, message }) => store.appendLog(runId, level, message));
  // Every completed run is evaluated once on its held-out data, so its report is there when the user looks.
  events.on('runs.onDidUpdate', (summary) => {
    if (summary.status !== 'completed' || autoEvaluations.has(summary.id)) return;
    const report = evaluations.evaluate(summary.id).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      events.emit('runs.onDidLog', { runId: summary.id, level: 'warn', message: `Evaluation after training failed: ${message}` });
      return null;
    });
    autoEvaluations.set(summary.id, report);
  });
  let closed = false;
  return {
    dataDir,
    db,
    events,
    datasets,
    store,
    runs,
    inference,
    models,
    evaluations,
    exports,
    autoEvaluation: (runId) => autoEvaluations.get(runId),
    close() {
      if (closed) return;
      closed = true;
      runs.shutdown();
      inference.close(true);
      store.flush();
      db.close();
    },
  };
}
