// Evaluating a run's model on held-out data and keeping the report. Classification: predicted probabilities for
// every example → accuracy, macro-F1, per-class scores, confusion matrix, the most confident mistakes. Generation:
// mean next-token loss and perplexity of the base (when the run had one) and the tuned model, plus continuations of
// a few held-out prompts from both.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { classificationMetrics } from '../../common/classificationMetrics';
import { evalReportSchema, type EvalReport, type GenerationMetrics } from '../../common/evaluation';
import type { ModelRef } from '../../common/protocol';
import { badInput } from '../../common/result';
import { readCrossValidation } from '../trainer/fewshot/checkpointMeta';
import type { DatasetService } from './datasetService';
import type { EventBus } from './eventBus';
import type { InferenceService } from './inferenceService';
import type { ModelService } from './modelService';
import type { RunStore } from './runStore';

const CLASSIFY_CHUNK = 256; // texts per request, so progress moves
const SCORE_TEXTS = 400; // held-out texts scored for perplexity (the first ones, in stored order)
const SAMPLE_PROMPTS = 3;
const SAMPLE_TOKENS = 48;

export class EvaluationService {
  private readonly insert: Database.Statement<[string, string, string, string]>;
  private readonly byRun: Database.Statement<[string], { report: string }>;

  constructor(
    private readonly deps: { db: Database.Database; store: RunStore; datasets: DatasetService; models: ModelService; inference: InferenceService; events: EventBus },
  ) {
    this.insert = deps.db.prepare('INSERT INTO evaluations (id, run_id, created_at, report) VALUES (?, ?, ?, ?)');
    this.byRun = deps.db.prepare('SELECT report FROM evaluations WHERE run_id = ? ORDER BY created_at DESC, rowid DESC');
  }

  list(runId: string): EvalReport[] {
    this.deps.store.summary(runId); // not-found for an unknown run
    return this.byRun.all(runId).map((row) => evalReportSchema.parse(JSON.parse(row.report)));
  }

  /**
   * Evaluates on the run's own dataset (test split, else validation) or on another imported dataset. A few-shot
   * classifier that trained on every row of a dataset without a test split reports its cross-validation instead.
   */
  async evaluate(runId: string, datasetId?: string): Promise<EvalReport> {
    const run = this.deps.store.summary(runId);
    const dataset = this.deps.datasets.get(datasetId ?? run.datasetId);
    const held = this.deps.datasets.loadEvalExamples(dataset.id);
    const crossValidated = dataset.id === run.datasetId && held.split !== 'test' ? this.crossValidation(runId) : null; // its other rows were trained on
    if (!crossValidated) {
      if (held.task !== run.task) {
        throw badInput(`Dataset ${dataset.name} is for ${held.task === 'classify' ? 'classification' : 'text generation'}, but run ${runId} was trained for ${run.task === 'classify' ? 'classification' : 'text generation'}.`);
      }
      if (!held.examples.length) throw badInput(`Dataset ${dataset.name} has no rows to evaluate on.`);
    }
    const progress = (fraction: number, message: string) => this.deps.events.emit('runs.onDidEvalProgress', { runId, fraction, message });
    const base = { id: `ev-${randomBytes(4).toString('hex')}`, runId, createdAt: new Date().toISOString(), task: run.task };
    const from = { datasetId: dataset.id, datasetName: dataset.name };
    let report: EvalReport;
    if (crossValidated) {
      const { folds, texts, labels, probs } = crossValidated;
      report = { ...base, source: { ...from, split: 'cross-validation', folds }, classification: classificationMetrics(dataset.labels, labels, probs, texts), generation: null };
    } else {
      const tuned = this.deps.models.refFor({ kind: 'run', runId });
      progress(0, `Evaluating on ${held.examples.length} examples (${held.split} split of ${dataset.name})…`);
      const source = { ...from, split: held.split };
      report =
        run.task === 'classify'
          ? { ...base, source, classification: await this.classification(runId, dataset.name, tuned, held.examples, progress), generation: null }
          : { ...base, source, classification: null, generation: await this.generation(runId, tuned, held.examples.map((e) => e.text), progress) };
    }
    this.insert.run(report.id, runId, report.createdAt, JSON.stringify(report));
    progress(1, crossValidated ? `Cross-validated on ${crossValidated.texts.length} rows (${crossValidated.folds} folds).` : 'Evaluation finished.');
    return report;
  }

  /** The out-of-fold predictions saved with the run's model, if it has them. */
  private crossValidation(runId: string) {
    const model = this.deps.models.refFor({ kind: 'run', runId });
    return model.kind === 'checkpoint' ? readCrossValidation(model.path) : null;
  }

  private async classification(
    runId: string,
    datasetName: string,
    model: ModelRef,
    examples: { text: string; label: string | null }[],
    progress: (fraction: number, message: string) => void,
  ) {
    const labels = this.deps.datasets.get(this.deps.store.summary(runId).datasetId).labels;
    const index = new Map(labels.map((label, i) => [label, i]));
    const truth = examples.map((e, row) => {
      const i = index.get(e.label ?? '');
      if (i === undefined) throw badInput(`Dataset ${datasetName}, row ${row + 1}: label '${e.label ?? ''}' is not one the run was trained on (${labels.join(', ')}).`);
      return i;
    });
    const probs: number[][] = [];
    for (let start = 0; start < examples.length; start += CLASSIFY_CHUNK) {
      const texts = examples.slice(start, start + CLASSIFY_CHUNK).map((e) => e.text);
      const result = await this.deps.inference.classify(model, texts);
      probs.push(...result.probs);
      progress(probs.length / examples.length, `Classified ${probs.length} of ${examples.length} examples.`);
    }
    return classificationMetrics(labels, truth, probs, examples.map((e) => e.text));
  }

  private async generation(runId: string, tuned: ModelRef, texts: string[], progress: (fraction: number, message: string) => void): Promise<GenerationMetrics> {
    const scored = texts.slice(0, SCORE_TEXTS);
    const base = this.deps.models.baseOf(runId);
    const ppl = (s: { loss: number; tokens: number }) => ({ loss: s.loss, perplexity: Math.exp(s.loss), tokens: s.tokens });
    const tunedScore = ppl(await this.deps.inference.score(tuned, scored));
    progress(0.4, `Tuned model: perplexity ${tunedScore.perplexity.toFixed(2)}.`);
    const baseScore = base ? ppl(await this.deps.inference.score(base, scored)) : null;
    progress(0.6, 'Writing samples from held-out prompts…');
    const request = { maxTokens: SAMPLE_TOKENS, temperature: 0, topK: 0, topP: 1, stop: [], seed: 1 };
    const samples: GenerationMetrics['samples'] = [];
    for (const text of texts.slice(0, SAMPLE_PROMPTS)) {
      const prompt = promptFrom(text);
      const tunedText = (await this.deps.inference.generate(tuned, { ...request, prompt })).text;
      const baseText = base ? (await this.deps.inference.generate(base, { ...request, prompt })).text : null;
      samples.push({ prompt, base: baseText, tuned: tunedText });
    }
    return { examples: scored.length, base: baseScore, tuned: tunedScore, samples };
  }
}

/** The opening of a held-out text: its first few words (at most 60 characters). */
function promptFrom(text: string): string {
  const words = text.trim().split(/\s+/);
  let prompt = '';
  for (const word of words.slice(0, Math.max(2, Math.ceil(words.length / 3)))) {
    if ((prompt + ' ' + word).length > 60) break;
    prompt = prompt ? `${prompt} ${word}` : word;
  }
  return prompt || text.slice(0, 20);
}
