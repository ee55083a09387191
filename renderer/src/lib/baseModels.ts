// Built-in base models and training methods as the Model screen explains them. `models.list` supplies the real
// names, sizes and descriptions; FALLBACK_MODELS stands in until it answers (or where it fails).
import { BASE_MODELS, TRAIN_METHODS, type TrainMethod } from '../../../common/config';
import type { ModelInfo } from '../../../common/evaluation';
import type { Task } from '../../../common/protocol';

export const FALLBACK_MODELS: readonly ModelInfo[] = [
  { id: 'stories260k', name: 'stories260K', kind: 'generator', tasks: ['generate'], parameters: 260_000, description: 'A tiny Llama trained on children’s stories; continues English text.', license: 'MIT', path: null },
  { id: 'glove-6b-100d', name: 'GloVe 6B 100d', kind: 'encoder', tasks: ['classify'], parameters: 0, description: 'Pretrained word vectors averaged into a sentence vector; a base for classifiers.', license: 'PDDL', path: null },
  { id: 'scratch', name: 'From scratch', kind: 'scratch', tasks: ['generate', 'classify'], parameters: 0, description: 'A small transformer with random weights, sized by the architecture settings.', license: '', path: null },
];

export const METHOD_HELP: Record<TrainMethod, { label: string; text: string }> = {
  full: { label: 'Full', text: 'Trains every weight: of the new model, or of the whole pretrained base.' },
  head: { label: 'Head only', text: 'Keeps the GloVe encoder frozen and trains only a classifier on its sentence vectors; fastest.' },
  setfit: { label: 'SetFit', text: 'Tunes the encoder on pairs (same label → closer, different → apart), then the classifier; best with few examples.' },
  freeze: { label: 'Top layers', text: 'Keeps stories260K’s lower blocks frozen and trains only the top ones and the output head.' },
  lora: { label: 'LoRA', text: 'Trains small low-rank adapters beside stories260K’s frozen weights; merged into them on export.' },
};

export const METHODS: readonly TrainMethod[] = TRAIN_METHODS;

/**
 * The models to offer, in BASE_MODELS order (models.list's entries where it answered, else the fallbacks), then the
 * imported folders, which fine-tune and generate like stories260K.
 */
export function baseChoices(listed: readonly ModelInfo[] | null): ModelInfo[] {
  const builtin = BASE_MODELS.map((id) => listed?.find((m) => m.id === id) ?? FALLBACK_MODELS.find((m) => m.id === id)!);
  return [...builtin, ...(listed ?? []).filter((m) => m.imported)];
}

export const modelName = (id: string, listed: readonly ModelInfo[] | null): string =>
  baseChoices(listed).find((m) => m.id === id)?.name ?? id;

/** Why `base` cannot train on a dataset of `task`, in one sentence; null when it can (or the task is unknown). */
export function baseTaskError(base: string, task: Task | null, listed: readonly ModelInfo[] | null): string | null {
  if (!task) return null;
  const info = baseChoices(listed).find((m) => m.id === base);
  if (!info || info.tasks.includes(task)) return null;
  return task === 'classify'
    ? `${info.name} continues text, and this dataset has labels: pick GloVe or scratch.`
    : `${info.name} is a base for classifiers, and this dataset has no labels: pick stories260K or scratch.`;
}
