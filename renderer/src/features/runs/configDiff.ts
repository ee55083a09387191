// Side-by-side settings of several runs: dataset, preset, then the config fields in common/config.ts order that
// matter to at least one of them (lib/settingRelevance.ts), each row marked when the runs disagree on it.
import type { RunSummary } from '../../../../common/domain';
import { CONFIG_KEYS } from '../../lib/configDraft';
import { settingApplies } from '../../lib/settingRelevance';

export interface DiffRow {
  key: string;
  /** One display value per run, in the order given. */
  values: string[];
  differs: boolean;
}

const show = (value: unknown): string => (typeof value === 'number' ? String(value) : String(value ?? '—'));

export function diffConfigs(runs: readonly Pick<RunSummary, 'datasetName' | 'preset' | 'config'>[]): DiffRow[] {
  const rows: { key: string; pick: (r: (typeof runs)[number]) => unknown }[] = [
    { key: 'dataset', pick: (r) => r.datasetName },
    { key: 'preset', pick: (r) => r.preset },
    ...CONFIG_KEYS.filter((key) => runs.some((r) => settingApplies(key, r.config))).map((key) => ({
      key,
      pick: (r: (typeof runs)[number]) => r.config[key],
    })),
  ];
  return rows.map(({ key, pick }) => {
    const values = runs.map((r) => show(pick(r)));
    return { key, values, differs: new Set(values).size > 1 };
  });
}
