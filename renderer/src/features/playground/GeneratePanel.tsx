// Generation: a prompt, sampling controls, Generate (tokens stream in live), and "Compare with base" to continue the
// same prompt with the base model beside a tuned run.
import { useId, useMemo } from 'react';
import type { ModelSource } from '../../../../common/contracts/models';
import { resolveSampling } from '../../lib/sampling';
import { generate } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { SamplingControls } from './SamplingControls';
import { StreamOutput } from './StreamOutput';

const store = () => useWorkbenchStore.getState();

export function GeneratePanel({ source, sourceName }: { source: ModelSource; sourceName: string }) {
  const prompt = useWorkbenchStore((s) => s.playground.prompt);
  const sampling = useWorkbenchStore((s) => s.playground.sampling);
  const compare = useWorkbenchStore((s) => s.playground.compare);
  const streams = useWorkbenchStore((s) => s.playground.streams);
  const shown = useWorkbenchStore((s) => s.playground.shown);
  const { request, errors } = useMemo(() => resolveSampling(prompt, sampling), [prompt, sampling]);
  const promptId = useId();
  const main = shown.main ? streams[shown.main] : undefined;
  const base = shown.base ? streams[shown.base] : undefined;
  const busy = main?.status === 'streaming' || base?.status === 'streaming';
  const canCompare = source.kind === 'run';

  return (
    <>
      <section className="panel" aria-label="Generate">
        <div className="config-field">
          <label htmlFor={promptId}>Prompt</label>
          <textarea
            id={promptId}
            className="prompt-box"
            rows={3}
            value={prompt}
            aria-invalid={errors.prompt ? true : undefined}
            onChange={(e) => store().playgroundEdited({ prompt: e.currentTarget.value })}
          />
          {errors.prompt && <p className="field-error">{errors.prompt}</p>}
        </div>
        <SamplingControls draft={sampling} errors={errors} onChange={(draft) => store().playgroundEdited({ sampling: draft })} />
        <div className="train-bar">
          <button
            type="button"
            className="button button-primary"
            data-testid="generate"
            disabled={!request || busy}
            onClick={() => request && void generate(source, request, canCompare && compare)}
          >
            {busy ? 'Generating…' : 'Generate'}
          </button>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={canCompare && compare}
              disabled={!canCompare}
              onChange={(e) => store().playgroundEdited({ compare: e.currentTarget.checked })}
            />
            Compare with base
          </label>
          <span className="muted train-hint">
            {canCompare ? 'Continues the same prompt with stories260K, untuned, beside this run.' : 'Pick a run to compare it with its base.'}
          </span>
        </div>
      </section>
      {main && (
        <div className={`panel ${base ? 'side-by-side' : ''}`}>
          <StreamOutput title={sourceName} prompt={prompt} stream={main} testId="generation-output" />
          {base && <StreamOutput title="Base: stories260K" prompt={prompt} stream={base} testId="generation-base-output" />}
        </div>
      )}
    </>
  );
}
