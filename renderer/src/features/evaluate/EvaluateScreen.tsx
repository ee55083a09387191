// Evaluate: pick a completed run (the selected or newest one) and, optionally, another imported dataset of the same
// task; Evaluate scores it with progress (runs.onDidEvalProgress) and stores the report. Stored reports of the run
// are listed newest first; the chosen one is shown in full.
import { useEffect, useId, useState } from 'react';
import type { EvalReport } from '../../../../common/evaluation';
import { formatPercent } from '../../lib/confusion';
import { evaluateRun, loadEvaluations, showScreen } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { RunPicker } from '../app/RunPicker';
import { ScreenHeader } from '../app/ScreenHeader';
import { useChosenRun } from '../app/useChosenRun';
import { ClassificationReport } from './ClassificationReport';
import { GenerationReport } from './GenerationReport';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const SPLIT_WORDS: Record<EvalReport['source']['split'], string> = { test: 'test split', validation: 'validation split', train: 'train split', all: 'all rows', 'cross-validation': 'cross-validated' };
const describeReport = (r: EvalReport) =>
  `${r.source.datasetName}, ${SPLIT_WORDS[r.source.split]}${r.source.folds ? ` (${r.source.folds} folds)` : ''} · ${when.format(new Date(r.createdAt))}`;

function ReportView({ report }: { report: EvalReport }) {
  if (report.classification) return <ClassificationReport metrics={report.classification} />;
  if (report.generation) return <GenerationReport metrics={report.generation} />;
  return <p className="muted">This report holds no metrics.</p>;
}

export function EvaluateScreen() {
  const { runs, run, choose } = useChosenRun();
  const datasets = useWorkbenchStore((s) => s.datasets.list);
  const reports = useWorkbenchStore((s) => (run ? s.evaluations.byRun[run.id] : undefined));
  const progress = useWorkbenchStore((s) => (run ? s.evaluations.running[run.id] : undefined));
  const error = useWorkbenchStore((s) => (run ? s.evaluations.errors[run.id] : undefined));
  const [datasetId, setDatasetId] = useState('');
  const [shownId, setShownId] = useState<string | null>(null);
  const datasetSelectId = useId();
  const reportSelectId = useId();

  useEffect(() => {
    if (run && !reports) void loadEvaluations(run.id);
  }, [run, reports]);

  if (!run) {
    return (
      <section className="screen" aria-labelledby="evaluate-heading" data-testid="evaluate-screen">
        <ScreenHeader id="evaluate" />
        <div className="panel empty-panel" data-testid="evaluate-empty">
          <p className="empty-title">No trained model to evaluate yet</p>
          <p className="muted">Train a run to the end — Fine-tune on the Datasets screen is one click — then score it here on held-out examples.</p>
          <div className="empty-actions">
            <button type="button" className="button" onClick={() => showScreen('datasets')}>
              Go to Datasets
            </button>
          </div>
        </div>
      </section>
    );
  }

  const others = datasets.filter((d) => d.trainTask === run.task && d.id !== run.datasetId);
  const chosenDataset = others.some((d) => d.id === datasetId) ? datasetId : '';
  const shown = reports?.find((r) => r.id === shownId) ?? reports?.[0] ?? null;
  // a few-shot model that trained on every row of its dataset is measured by its cross-validation there
  const crossValidated = reports?.some((r) => r.source.split === 'cross-validation' && r.source.datasetId === run.datasetId) ?? false;

  return (
    <section className="screen" aria-labelledby="evaluate-heading" data-testid="evaluate-screen" data-run-id={run.id}>
      <ScreenHeader id="evaluate" />
      <div className="panel eval-controls">
        <div className="picker-row">
          <RunPicker
            runs={runs}
            value={run.id}
            onChange={(id) => {
              choose(id);
              setShownId(null);
            }}
          />
          <div className="field picker-field">
            <label htmlFor={datasetSelectId}>Examples</label>
            <select id={datasetSelectId} value={chosenDataset} onChange={(e) => setDatasetId(e.currentTarget.value)}>
              <option value="">{crossValidated ? `Cross-validation on ${run.datasetName}` : `Held-out examples of ${run.datasetName}`}</option>
              {others.length > 0 && (
                <optgroup label="Another imported dataset">
                  {others.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </div>
          <button
            type="button"
            className="button button-primary"
            data-testid="evaluate-run"
            disabled={!!progress}
            onClick={() => {
              setShownId(null);
              void evaluateRun(run.id, chosenDataset || undefined);
            }}
          >
            {progress ? 'Evaluating…' : 'Evaluate'}
          </button>
        </div>
        {progress && (
          <div className="eval-progress" data-testid="eval-progress">
            <progress max={1} value={progress.fraction} aria-label="Evaluation progress" />
            <span className="muted" aria-live="polite">
              {formatPercent(progress.fraction, 0)} · {progress.message}
            </span>
          </div>
        )}
        {error && (
          <p className="error-text" role="alert" data-testid="eval-error">
            {error}
          </p>
        )}
      </div>
      {!reports ? (
        !error && <p className="muted">Loading this run’s reports…</p>
      ) : !shown ? (
        <div className="panel empty-panel" data-testid="eval-empty">
          <p className="empty-title">No evaluations of this run yet</p>
          <p className="muted">Click Evaluate to score it on its held-out examples (the test split, or validation when there is none).</p>
        </div>
      ) : (
        <section className="panel" aria-labelledby="report-heading" data-testid="eval-report">
          <div className="panel-heading">
            <h2 className="panel-title" id="report-heading">
              {shown.task === 'classify' ? 'Classification report' : 'Generation report'}
            </h2>
            <div className="field field-inline">
              <label htmlFor={reportSelectId}>Report</label>
              <select id={reportSelectId} value={shown.id} onChange={(e) => setShownId(e.currentTarget.value)}>
                {reports.map((r) => (
                  <option key={r.id} value={r.id}>
                    {describeReport(r)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <ReportView report={shown} />
        </section>
      )}
    </section>
  );
}
