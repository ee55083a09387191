// A generation report: loss and perplexity of the base model before fine-tuning and of the tuned model, and
// continuations of held-out prompts by both, side by side.
import type { GenerationMetrics } from '../../../../common/evaluation';
import { formatCount, formatLoss } from '../../lib/format';

const perplexity = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(2));

export function GenerationReport({ metrics }: { metrics: GenerationMetrics }) {
  const { base, tuned } = metrics;
  return (
    <div className="eval-report">
      <div className="table-scroll">
        <table className="data-table before-after" data-testid="eval-perplexity">
          <caption className="visually-hidden">Loss and perplexity before and after fine-tuning</caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col" className="num">Before (base)</th>
              <th scope="col" className="num">After (tuned)</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Loss</th>
              <td className="num mono">{base ? formatLoss(base.loss) : '—'}</td>
              <td className="num mono">{formatLoss(tuned.loss)}</td>
            </tr>
            <tr>
              <th scope="row">Perplexity</th>
              <td className="num mono">{perplexity(base?.perplexity)}</td>
              <td className="num mono" data-testid="eval-perplexity-tuned">
                {perplexity(tuned.perplexity)}
              </td>
            </tr>
            <tr>
              <th scope="row">Tokens scored</th>
              <td className="num mono">{base ? formatCount(base.tokens) : '—'}</td>
              <td className="num mono">{formatCount(tuned.tokens)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {!base && <p className="muted">This run trained from scratch, so there is no base model to compare with.</p>}
      <section className="eval-section" aria-labelledby="samples-heading">
        <h3 className="eval-section-title" id="samples-heading">
          Samples
        </h3>
        {metrics.samples.length === 0 ? (
          <p className="muted">No samples in this report.</p>
        ) : (
          <ol className="sample-list" data-testid="eval-samples">
            {metrics.samples.map((sample, i) => (
              <li key={i} className="sample">
                <p className="sample-prompt">
                  <span className="fact-label">Prompt</span> <span className="mono">{sample.prompt}</span>
                </p>
                <div className="side-by-side">
                  <div className="sample-column">
                    <span className="fact-label">Base</span>
                    <p className="generated-text">{sample.base ?? '—'}</p>
                  </div>
                  <div className="sample-column">
                    <span className="fact-label">Tuned</span>
                    <p className="generated-text">{sample.tuned}</p>
                  </div>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
