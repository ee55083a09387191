// The ordered list of schema migrations. Add a file `NNN_name.ts` and append it here; the check below runs at
// start-up and refuses a list whose versions are not exactly 1..N.
import initial from './001_initial';
import datasetDetails from './002_dataset_details';
import evaluations from './003_evaluations';

export interface Migration {
  version: number; // 1-based, contiguous
  name: string;
  up: string; // SQL run inside the migration transaction
}

export function checkMigrations(list: readonly Migration[]): readonly Migration[] {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration '${m.name}' has version ${m.version} at position ${i + 1}; versions must be 1..N in order.`);
    }
  });
  return list;
}

export const MIGRATIONS: readonly Migration[] = checkMigrations([initial, datasetDetails, evaluations]);
