// The settings a run used (its resolved config from the run summary): what it started from and how it trained —
// for a few-shot run, what the preset chose for the dataset. Architecture only for a model trained from scratch.
import type { TrainConfig, TrainConfigKey } from '../../../../common/config';
import type { RunSummary } from '../../../../common/domain';
import { modelName } from '../../lib/baseModels';
import { useWorkbenchStore } from '../../store/store';
import { FIELD_GROUPS } from '../model/configFields';

const LABELS = new Map(FIELD_GROUPS.flatMap((g) => g.fields).map((f) => [f.key, f.label] as const));

function shownKeys(config: TrainConfig): TrainConfigKey[] {
  const keys: TrainConfigKey[] = ['steps', 'batchSize', 'learningRate', 'warmupSteps', 'schedule', 'weightDecay'];
  if (config.method === 'setfit') keys.push('pairsPerExample');
  if (config.method === 'freeze') keys.push('trainLayers');
  if (config.method === 'lora') keys.push('loraRank', 'loraAlpha', 'loraTargets');
  if (config.base === 'scratch') keys.push('nLayer', 'nHead', 'dModel', 'contextLength', 'dropout');
  else if (config.base === 'stories260k') keys.push('contextLength');
  keys.push('evalEvery', 'seed', 'backend');
  return keys;
}

export function RunConfigPanel({ run }: { run: RunSummary }) {
  const models = useWorkbenchStore((s) => s.catalog.models);
  const { config } = run;
  return (
    <section className="panel run-config-panel" aria-labelledby="run-config-heading" data-testid="run-config">
      <h2 className="panel-title" id="run-config-heading">
        Settings of this run
      </h2>
      <dl className="facts run-config-facts">
        <div>
          <dt>Preset</dt>
          <dd>{run.preset}</dd>
        </div>
        <div>
          <dt>Base model</dt>
          <dd data-testid="run-config-base">{modelName(config.base, models)}</dd>
        </div>
        <div>
          <dt>Method</dt>
          <dd data-testid="run-config-method">{config.method}</dd>
        </div>
        {shownKeys(config).map((key) => (
          <div key={key}>
            <dt>{LABELS.get(key) ?? key}</dt>
            <dd className="mono">{String(config[key])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
