// Export: pick a completed run and a format; Export writes the model to <dataDir>/exports/<run>-<format>/ and shows
// the folder and its files with their sizes, and anything it could not write as asked (GGUF tensors kept in F16).
// An error shows under the button that caused it.
import { useState } from 'react';
import { exportFormats, ggufQuants, type ExportResult, type GgufQuant } from '../../../../common/evaluation';
import { formatBytes } from '../../lib/format';
import { exportRun, showScreen } from '../../store/actions';
import { RunPicker } from '../app/RunPicker';
import { ScreenHeader } from '../app/ScreenHeader';
import { useChosenRun } from '../app/useChosenRun';

type Format = ExportResult['format'];

const FORMAT_WORDS: Record<Format, { label: string; text: string }> = {
  safetensors: { label: 'safetensors folder', text: 'Hugging Face style: config.json, model.safetensors and the tokenizer files.' },
  tfjs: { label: 'TensorFlow.js', text: 'model.json with binary weight shards, loadable in a browser or Node with tfjs.' },
  adapter: { label: 'LoRA adapter', text: 'A LoRA run’s adapters alone, as PEFT saves them: adapter_config.json and adapter_model.safetensors.' },
  gguf: { label: 'GGUF (llama.cpp, Ollama)', text: 'model.gguf with its tokenizer and an Ollama Modelfile, in the quantisation chosen below.' },
};

const QUANT_WORDS: Record<GgufQuant, string> = {
  f16: 'F16 (half precision, the largest and closest to the run)',
  q8_0: 'Q8_0 (8 bits, about half of F16)',
  q4_k_m: 'Q4_K_M (about 4.5 bits, the k-quant most people pick)',
};

interface Outcome {
  runId: string;
  busy: boolean;
  result: ExportResult | null;
  error: string | null;
}

export function ExportScreen() {
  const { runs, run, choose } = useChosenRun();
  const [format, setFormat] = useState<Format>('safetensors');
  const [quant, setQuant] = useState<GgufQuant>('f16');
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  if (!run) {
    return (
      <section className="screen" aria-labelledby="export-heading" data-testid="export-screen">
        <ScreenHeader id="export" />
        <div className="panel empty-panel" data-testid="export-empty">
          <p className="empty-title">Nothing to export yet</p>
          <p className="muted">Train a run to the end — Fine-tune on the Datasets screen is one click — then write its model to a folder here.</p>
          <div className="empty-actions">
            <button type="button" className="button" onClick={() => showScreen('datasets')}>
              Go to Datasets
            </button>
          </div>
        </div>
      </section>
    );
  }

  const shown = outcome?.runId === run.id ? outcome : null;
  const total = shown?.result?.files.reduce((sum, f) => sum + f.bytes, 0) ?? 0;
  const start = async () => {
    setOutcome({ runId: run.id, busy: true, result: null, error: null });
    const result = await exportRun(run.id, format, quant);
    setOutcome({ runId: run.id, busy: false, result: result.ok ? result.value : null, error: result.ok ? null : result.error.message });
  };

  return (
    <section className="screen" aria-labelledby="export-heading" data-testid="export-screen">
      <ScreenHeader id="export" />
      <div className="panel">
        <RunPicker runs={runs} value={run.id} onChange={choose} />
        <fieldset className="choice-field">
          <legend className="choice-legend">Format</legend>
          <div className="choice-options">
            {exportFormats.map((f) => (
              <label key={f} className={`choice-option${f === format ? ' is-selected' : ''}`}>
                <input type="radio" name="export-format" value={f} checked={f === format} aria-describedby={`export-${f}-text`} onChange={() => setFormat(f)} />
                <span className="choice-label">{FORMAT_WORDS[f].label}</span>
                <span className="choice-text muted" id={`export-${f}-text`}>
                  {FORMAT_WORDS[f].text}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {format === 'gguf' && (
          <div className="field">
            <label htmlFor="export-quant">Quantisation</label>
            <select id="export-quant" data-testid="export-quant" value={quant} onChange={(e) => setQuant(e.target.value as GgufQuant)}>
              {ggufQuants.map((q) => (
                <option key={q} value={q}>
                  {QUANT_WORDS[q]}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="train-bar">
          <button type="button" className="button button-primary" data-testid="export-run" disabled={!!shown?.busy} onClick={() => void start()}>
            {shown?.busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
        {shown?.error && (
          <p className="error-text" role="alert" data-testid="export-error">
            {shown.error}
          </p>
        )}
        {shown?.result?.warnings && shown.result.warnings.length > 0 && (
          <ul className="muted" data-testid="export-warnings">
            {shown.result.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </div>
      {shown?.result && (
        <section className="panel" aria-labelledby="export-result-heading" data-testid="export-result">
          <h2 className="panel-title" id="export-result-heading">
            Written to
          </h2>
          <p className="mono export-dir" data-testid="export-dir">
            {shown.result.dir}
          </p>
          <div className="table-scroll">
            <table className="data-table" data-testid="export-files">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col" className="num">Size</th>
                </tr>
              </thead>
              <tbody>
                {shown.result.files.map((file) => (
                  <tr key={file.name}>
                    <td className="mono">{file.name}</td>
                    <td className="num">{formatBytes(file.bytes)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{shown.result.files.length} files</th>
                  <td className="num">{formatBytes(total)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </section>
      )}
    </section>
  );
}
