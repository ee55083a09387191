// Playground: pick a model — a built-in generator, or a run — and try it. A generation model continues a prompt
// (streamed live); a classification run gives class probabilities for a text.
import { useId } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { baseChoices } from '../../lib/baseModels';
import { defaultRunId, isUsableRun, runLabel } from '../../lib/runChoice';
import { sourceOf } from '../../store/actions';
import type { SourceKey } from '../../store/playgroundSlice';
import { useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { ClassifyPanel } from './ClassifyPanel';
import { GeneratePanel } from './GeneratePanel';

const store = () => useWorkbenchStore.getState();

function chooseSource(held: SourceKey | null, builtins: readonly string[], runs: readonly RunSummary[], currentId: string | null): SourceKey {
  const valid = (key: SourceKey | null): key is SourceKey =>
    !!key && (key.startsWith('run:') ? runs.some((r) => `run:${r.id}` === key) : builtins.includes(key.slice('builtin:'.length)));
  if (valid(held)) return held;
  const run = defaultRunId(runs, currentId);
  return run ? `run:${run}` : `builtin:${builtins[0]}`;
}

export function PlaygroundScreen() {
  const models = useWorkbenchStore((s) => s.catalog.models);
  const allRuns = useWorkbenchStore((s) => s.runs.list);
  const currentId = useWorkbenchStore((s) => s.runs.currentId);
  const held = useWorkbenchStore((s) => s.playground.source);
  const selectId = useId();
  const generators = baseChoices(models).filter((m) => m.kind === 'generator');
  const runs = allRuns.filter(isUsableRun);
  const key = chooseSource(held, generators.map((m) => m.id), runs, currentId);
  const source = sourceOf(key);
  const run = source.kind === 'run' ? runs.find((r) => r.id === source.runId) : undefined;
  const builtin = source.kind === 'builtin' ? generators.find((m) => m.id === source.model) : undefined;
  const about = run
    ? `Trained ${run.task === 'classify' ? 'classifier' : 'text model'} from ${run.config.base} on ${run.datasetName}, ${run.preset} preset.`
    : (builtin?.description ?? '');
  const sourceName = run ? `${run.datasetName} (${run.id})` : (generators.find((m) => source.kind === 'builtin' && m.id === source.model)?.name ?? key);

  return (
    <section className="screen" aria-labelledby="playground-heading" data-testid="playground-screen">
      <ScreenHeader id="playground" />
      <div className="panel">
        <div className="field picker-field">
          <label htmlFor={selectId}>Model</label>
          <select id={selectId} value={key} aria-describedby={`${selectId}-about`} onChange={(e) => store().playgroundEdited({ source: e.currentTarget.value as SourceKey })}>
            <optgroup label="Built-in">
              {generators.map((m) => (
                <option key={m.id} value={`builtin:${m.id}`}>
                  {m.name} — built-in {m.kind}
                </option>
              ))}
            </optgroup>
            {runs.length > 0 && (
              <optgroup label="Trained runs">
                {runs.map((r) => (
                  <option key={r.id} value={`run:${r.id}`}>
                    {runLabel(r)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          <p className="field-help muted" id={`${selectId}-about`}>
            {about}
          </p>
        </div>
        {runs.length === 0 && (
          <p className="muted" data-testid="playground-no-runs">
            No trained runs yet: try the built-in model, or fine-tune one on the Datasets screen and come back.
          </p>
        )}
      </div>
      {run?.task === 'classify' ? <ClassifyPanel key={run.id} runId={run.id} /> : <GeneratePanel source={source} sourceName={sourceName} />}
    </section>
  );
}
