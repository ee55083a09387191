// Imported models: the Hugging Face-style folders brought in (they appear as bases on the Model screen and as models
// in the Playground), and a form to import another by its folder path. A path names files on the machine running
// Tunebench, so only the desktop app takes one; in a browser the panel says how to do it instead. Beside it, the
// Hugging Face cache's models and a download by name (features/models/PullModelPanel.tsx), which work in both.
import { useId, useMemo, useState } from 'react';
import type { ListedModel } from '../../../../common/contracts/models';
import { importModel } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { PullModelPanel } from '../models/PullModelPanel';

export function ImportModelPanel() {
  const models = useWorkbenchStore((s) => s.catalog.models);
  const imported = useMemo(() => (models ?? []).filter((m) => m.imported && (m as ListedModel).source !== 'hf-cache'), [models]);
  const desktop = useWorkbenchStore((s) => (s.system.info?.mode ?? s.system.mode) === 'electron');
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const pathId = useId();
  const hintId = useId();

  const submit = async () => {
    setBusy(true);
    setMessage(null);
    const result = await importModel(path.trim());
    setBusy(false);
    setMessage(result.ok ? { error: false, text: `Imported ${result.value.name} as ${result.value.id}.` } : { error: true, text: result.error });
    if (result.ok) setPath('');
  };

  return (
    <>
      <section className="panel" aria-labelledby="imported-heading" data-testid="imported-models">
        <h2 id="imported-heading" className="panel-title">
          Imported models
        </h2>
        {imported.length === 0 ? (
          <p className="muted">None yet. A Hugging Face folder of a Llama, Qwen2, Qwen3, Gemma 3 or GPT-2 model (config.json, safetensors weights, tokenizer.json) can then be fine-tuned like stories260K.</p>
        ) : (
          <ul className="plain-list">
            {imported.map((m) => (
              <li key={m.id}>
                <strong>{m.name}</strong> <span className="muted mono">{m.id}</span> · {m.family ? `${m.family} · ` : ''}{m.parameters.toLocaleString()} parameters
              </li>
            ))}
          </ul>
        )}
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            if (desktop && path.trim()) void submit();
          }}
        >
          <label htmlFor={pathId}>Model folder</label>
          <div className="inline-form">
            <input id={pathId} type="text" value={path} disabled={!desktop || busy} aria-describedby={hintId} placeholder="/path/to/model-folder" onChange={(e) => setPath(e.currentTarget.value)} />
            <button type="submit" className="button" disabled={!desktop || busy || !path.trim()}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </div>
          <p className="muted settings-note" id={hintId}>
            {desktop
              ? 'A Hugging Face-style folder of a Llama or GPT-2 model: config.json, model.safetensors and its tokenizer.'
              : 'In the browser, import with `tunebench models import <folder>` on this machine; the model then appears here.'}
          </p>
          {message && (
            <p className={message.error ? 'error-text' : 'muted'} role={message.error ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
        </form>
      </section>
      <PullModelPanel />
    </>
  );
}
