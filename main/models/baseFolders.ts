// Where a run's base model lives: a built-in folder under resources/models, an imported folder under
// <dataDir>/models, or a snapshot in the Hugging Face cache (used in place). One place, so training, evaluation and
// export agree.
import { isCachedModel, isImportedModel } from '../../common/config';
import type { ListedModel } from '../../common/contracts/models';
import { badInput } from '../../common/result';
import { HfCache } from './hfCache';
import type { ImportedModels } from './importedModels';
import { builtinModelPath } from './registry';

export class BaseFolders {
  constructor(
    private readonly resourcesDir: string,
    readonly imported: ImportedModels,
    readonly cache: HfCache = new HfCache(),
  ) {}

  /** The folder of base `id`; null for 'scratch'. Throws not-found for an unknown or missing model. */
  pathOf(id: string): string | null {
    if (id === 'scratch') return null;
    if (isImportedModel(id)) return this.imported.get(id).path!;
    if (isCachedModel(id)) return this.cache.pathOf(id);
    return builtinModelPath(this.resourcesDir, id);
  }

  /** An imported or cached model's listing (parameters, family, size); throws for any other id. */
  folderModel(id: string): ListedModel {
    if (isImportedModel(id)) return { ...this.imported.get(id), source: 'imported' };
    if (isCachedModel(id)) return this.cache.get(id);
    throw badInput(`'${id}' is not an imported or cached model.`);
  }
}
