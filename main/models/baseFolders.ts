// Where a run's base model lives: a built-in folder under resources/models, or an imported folder under
// <dataDir>/models. One place, so training, evaluation and export agree.
import { isImportedModel } from '../../common/config';
import type { ImportedModels } from './importedModels';
import { builtinModelPath } from './registry';

export class BaseFolders {
  constructor(
    private readonly resourcesDir: string,
    readonly imported: ImportedModels,
  ) {}

  /** The folder of base `id`; null for 'scratch'. Throws not-found for an unknown or missing model. */
  pathOf(id: string): string | null {
    if (id === 'scratch') return null;
    if (isImportedModel(id)) return this.imported.get(id).path!;
    return builtinModelPath(this.resourcesDir, id);
  }
}
