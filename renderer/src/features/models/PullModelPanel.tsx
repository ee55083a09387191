// Models from the Hugging Face cache (used in place) and a field to download one by name into it (models.pull): type
// to filter what the cache has, or a name (org/name, optionally @revision) to download, with a progress bar, bytes,
// speed, ETA and cancel, or words to search the Hub for (models.search), each result a click from downloading.
// Cached models the app cannot run are listed with the reason.
import { useId, useMemo, useRef, useState } from 'react';
import type { HubModel, ListedModel, PullProgress } from '../../../../common/contracts/models';
import { formatBytes, formatCount, formatDuration, percent } from '../../lib/format';
import { useWorkbenchStore } from '../../store/store';
import { parseModelName, searchHub, startPull } from './pullModel';

export function PullModelPanel() {
  const models = useWorkbenchStore((s) => s.catalog.models) as ListedModel[] | null;
  const cached = useMemo(() => (models ?? []).filter((m) => m.source === 'hf-cache'), [models]);
  const [text, setText] = useState('');
  const [progress, setProgress] = useState<PullProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const cancelRef = useRef<(() => Promise<void>) | null>(null);
  const [found, setFound] = useState<{ query: string; models: HubModel[] } | null>(null);
  const [searching, setSearching] = useState(false);
  const fieldId = useId();
  const hintId = useId();

  const query = text.trim().toLowerCase();
  const shown = cached.filter((m) => !query || m.id.toLowerCase().includes(query.replace(/^hf:/, '')));
  const runnable = shown.filter((m) => m.runnable !== false);
  const refused = shown.filter((m) => m.runnable === false);
  const name = parseModelName(text.replace(/^hf:/, ''));

  const search = async () => {
    const words = text.trim();
    if (words.length < 2) return;
    setSearching(true);
    setMessage(null);
    const outcome = await searchHub(words);
    setSearching(false);
    if (outcome.ok) setFound({ query: words, models: outcome.models });
    else {
      setFound(null);
      setMessage({ error: true, text: outcome.error });
    }
  };

  const submit = async (chosen = name) => {
    if (!chosen) return;
    setFound(null);
    setBusy(true);
    setMessage(null);
    setProgress(null);
    const pull = startPull(chosen, setProgress);
    cancelRef.current = pull.cancel;
    const outcome = await pull.done;
    cancelRef.current = null;
    setBusy(false);
    setProgress(null);
    if (outcome.ok) {
      setMessage({ error: false, text: `Downloaded ${outcome.model.name}: ${outcome.model.id} is now a base on the Model screen.` });
      setText('');
    } else setMessage({ error: !outcome.cancelled, text: outcome.error });
  };

  const pct = progress ? percent(progress.bytes, progress.totalBytes) : null;
  return (
    <section className="panel" aria-labelledby="hf-models-heading" data-testid="hf-models">
      <h2 id="hf-models-heading" className="panel-title">
        Hugging Face models
      </h2>
      {runnable.length === 0 ? (
        <p className="muted">{cached.length === 0 ? 'Nothing in the Hugging Face cache yet. Models that Python tools or a download here put there appear on their own, used in place.' : 'No cached model matches.'}</p>
      ) : (
        <ul className="plain-list" data-testid="hf-models-list">
          {runnable.map((m) => (
            <li key={m.id}>
              <strong>{m.name}</strong> <span className="muted mono">{m.id}</span> · {m.family ? `${m.family} · ` : ''}
              {formatCount(m.parameters)} parameters{m.bytes ? ` · ${formatBytes(m.bytes)}` : ''}
            </li>
          ))}
        </ul>
      )}
      {refused.length > 0 && (
        <details className="settings-note">
          <summary>
            {refused.length} cached model{refused.length === 1 ? '' : 's'} Tunebench cannot run
          </summary>
          <ul className="plain-list">
            {refused.map((m) => (
              <li key={m.id}>
                <span className="mono">{m.id}</span>: {m.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && name) void submit();
        }}
      >
        <label htmlFor={fieldId}>Find or download a model</label>
        <div className="inline-form">
          <input
            id={fieldId}
            type="text"
            enterKeyHint="go"
            value={text}
            disabled={busy}
            aria-describedby={hintId}
            placeholder="HuggingFaceTB/SmolLM2-135M"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {busy ? (
            <button type="button" className="button" onClick={() => void cancelRef.current?.()}>
              Cancel
            </button>
          ) : (
            <>
              <button type="submit" className="button" disabled={!name}>
                Download
              </button>
              <button type="button" className="button" disabled={searching || text.trim().length < 2} onClick={() => void search()}>
                {searching ? 'Searching…' : 'Search the Hub'}
              </button>
            </>
          )}
        </div>
        {found && (
          <div data-testid="hf-search-results" role="region" aria-label="Hub search results">
            {found.models.length === 0 ? (
              <p className="muted settings-note">No text-generation model on the Hub matches “{found.query}”.</p>
            ) : (
              <ul className="plain-list">
                {found.models.map((m) => (
                  <li key={m.repo}>
                    <span className="mono">{m.repo}</span> <span className="muted">· {formatCount(m.downloads)} downloads{m.gated ? ' · gated (needs HF_TOKEN)' : ''}</span>{' '}
                    <button type="button" className="button" aria-label={`Download ${m.repo}`} onClick={() => void submit({ repo: m.repo })}>
                      Download
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <p className="muted settings-note" id={hintId}>
          A name on the Hub (org/name, or org/name@revision), or words to search it for: only its config, tokenizer and safetensors weights come down, into the Hugging Face cache this machine shares with Python tools;
          an interrupted download resumes. Gated models need HF_TOKEN set where Tunebench runs.
        </p>
        {busy && (
          <div data-testid="hf-pull-progress" role="status">
            <progress max={100} value={pct ?? undefined} aria-label="Download progress" />
            <p className="muted settings-note">
              {!progress || progress.phase === 'checking'
                ? 'Checking the model…'
                : `${progress.file ?? ''} · ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)}${progress.bytesPerSecond > 0 ? ` · ${formatBytes(Math.round(progress.bytesPerSecond))}/s` : ''}${progress.etaSeconds !== null && progress.bytesPerSecond > 0 ? ` · ${formatDuration(progress.etaSeconds * 1000)} left` : ''}`}
            </p>
          </div>
        )}
        {message && (
          <p className={message.error ? 'error-text' : 'muted'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
      </form>
    </section>
  );
}
