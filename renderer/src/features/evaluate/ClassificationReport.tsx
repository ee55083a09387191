// A classification report: accuracy and macro-F1, precision / recall / F1 / support per label, the confusion matrix
// and the wrong predictions the model was surest of.
import type { ClassificationMetrics } from '../../../../common/evaluation';
import { formatPercent } from '../../lib/confusion';
import { formatCount } from '../../lib/format';
import { ConfusionMatrix } from './ConfusionMatrix';

const score = (v: number) => v.toFixed(3);

export function ClassificationReport({ metrics }: { metrics: ClassificationMetrics }) {
  return (
    <div className="eval-report">
      <div className="eval-tiles">
        <div className="eval-tile">
          <span className="fact-label">Accuracy</span>
          <span className="eval-tile-value" data-testid="eval-accuracy">
            {formatPercent(metrics.accuracy)}
          </span>
        </div>
        <div className="eval-tile">
          <span className="fact-label">Macro-F1</span>
          <span className="eval-tile-value" data-testid="eval-macro-f1">
            {score(metrics.macroF1)}
          </span>
        </div>
        <div className="eval-tile">
          <span className="fact-label">Examples</span>
          <span className="eval-tile-value">{formatCount(metrics.examples)}</span>
        </div>
      </div>
      <div className="eval-columns">
        <section className="eval-section" aria-labelledby="per-class-heading">
          <h3 className="eval-section-title" id="per-class-heading">
            Per label
          </h3>
          <div className="table-scroll">
            <table className="data-table" data-testid="per-class-table">
              <thead>
                <tr>
                  <th scope="col">Label</th>
                  <th scope="col" className="num">Precision</th>
                  <th scope="col" className="num">Recall</th>
                  <th scope="col" className="num">F1</th>
                  <th scope="col" className="num">Support</th>
                </tr>
              </thead>
              <tbody>
                {metrics.perClass.map((c) => (
                  <tr key={c.label}>
                    <th scope="row">{c.label}</th>
                    <td className="num mono">{score(c.precision)}</td>
                    <td className="num mono">{score(c.recall)}</td>
                    <td className="num mono">{score(c.f1)}</td>
                    <td className="num mono">{formatCount(c.support)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="eval-section" aria-labelledby="confusion-heading">
          <h3 className="eval-section-title" id="confusion-heading">
            Confusions
          </h3>
          <ConfusionMatrix labels={metrics.labels} confusion={metrics.confusion} />
        </section>
      </div>
      <section className="eval-section" aria-labelledby="mistakes-heading">
        <h3 className="eval-section-title" id="mistakes-heading">
          Most confident mistakes
        </h3>
        {metrics.mistakes.length === 0 ? (
          <p className="muted">No mistakes on these examples.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table mistakes-table" data-testid="eval-mistakes">
              <thead>
                <tr>
                  <th scope="col">Text</th>
                  <th scope="col">True</th>
                  <th scope="col">Predicted</th>
                  <th scope="col" className="num">Confidence</th>
                </tr>
              </thead>
              <tbody>
                {metrics.mistakes.map((m, i) => (
                  <tr key={i}>
                    <td className="mistake-text">{m.text}</td>
                    <td>{m.label}</td>
                    <td>{m.predicted}</td>
                    <td className="num mono">{formatPercent(m.confidence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
