// What the rest of the renderer gets from api/: the WorkbenchApi plus the two things that differ between Electron
// and browser mode — how a File becomes a dataset, and whether the link to the services is up.
import type { DatasetSummary } from '../../../common/domain';
import type { Result } from '../../../common/result';
import type { WorkbenchApi } from '../../../common/contracts';
import type { ImportSource } from '../../../common/contracts/datasets';
import type { ConnectionState } from './socketClient';

export type ApiMode = 'electron' | 'browser';
export type { ConnectionState };

export interface WorkbenchConnection {
  readonly mode: ApiMode;
  readonly api: WorkbenchApi;
  /** Imports a dropped or chosen file as a dataset (Electron: by its path on disk; browser: upload first). */
  importFile(file: File, name?: string): Promise<Result<DatasetSummary>>;
  /** Turns a file into a source the datasets calls accept (browser: uploads it once; the upload survives inspect and
   * previewRecipe and is consumed by import). Optional so older fakes still type-check. */
  prepareSource?(file: File): Promise<Result<ImportSource>>;
  /** 'open' when calls can reach the services. Electron is always 'open'. */
  readonly state: ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
}
