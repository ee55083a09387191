// Staged rows as the preview rows the UI and CLI show.
import type { CallOutput } from '../../common/contracts';
import type { PreviewRow } from '../../common/datasetTypes';
import type { StagingDb } from './stagingDb';

export type InspectResult = CallOutput<'datasets.inspect'>;
export type RecipePreview = CallOutput<'datasets.previewRecipe'>;

export function previewRows(rows: ReturnType<StagingDb['firstRows']>): PreviewRow[] {
  return rows.map((r) => ({
    line: r.line,
    text: r.text,
    label: r.label,
    parts: r.parts ? JSON.parse(r.parts) : null,
    fields: JSON.parse(r.fields),
  }));
}
