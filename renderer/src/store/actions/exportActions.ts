// Export a run's model (runs.export): the folder and its files, or the error sentence.
import type { ExportResult, GgufQuant } from '../../../../common/evaluation';
import type { Result } from '../../../../common/result';
import { connection } from './boundConnection';

export async function exportRun(runId: string, format: ExportResult['format'], quant?: GgufQuant): Promise<Result<ExportResult>> {
  try {
    return await connection().api.call('runs.export', { runId, format, ...(format === 'gguf' && quant ? { quant } : {}) });
  } catch (err) {
    return { ok: false, error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}
