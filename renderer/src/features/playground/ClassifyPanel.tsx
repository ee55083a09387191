// Classification: a text box, Classify (playground.classify), and the class probabilities as bars, likeliest first.
import { useId, useState } from 'react';
import { formatPercent, rankedProbabilities } from '../../lib/confusion';
import { classifyText } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';

export function ClassifyPanel({ runId }: { runId: string }) {
  const held = useWorkbenchStore((s) => (s.playground.classify?.runId === runId ? s.playground.classify : null));
  const [text, setText] = useState(held?.text ?? '');
  const textId = useId();
  const ranked = held?.result ? rankedProbabilities(held.result.labels, held.result.probs[0] ?? []) : [];

  return (
    <section className="panel" aria-label="Classify">
      <div className="config-field">
        <label htmlFor={textId}>Text to classify</label>
        <textarea id={textId} className="prompt-box" rows={3} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </div>
      <div className="train-bar">
        <button
          type="button"
          className="button button-primary"
          data-testid="classify"
          disabled={text.trim() === '' || !!held?.busy}
          onClick={() => void classifyText(runId, text)}
        >
          {held?.busy ? 'Classifying…' : 'Classify'}
        </button>
      </div>
      {held?.error && (
        <p className="error-text" role="alert" data-testid="classify-error">
          {held.error}
        </p>
      )}
      {ranked.length > 0 && (
        <ol className="prob-bars" aria-label="Class probabilities, likeliest first" data-testid="class-probabilities">
          {ranked.map(({ label, probability }) => (
            <li key={label} className="prob-bar">
              <span className="prob-label">{label}</span>
              <span className="prob-track" aria-hidden="true">
                <span className="prob-fill" style={{ width: `${Math.max(0, Math.min(100, probability * 100))}%` }} />
              </span>
              <span className="prob-value mono">{formatPercent(probability)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
