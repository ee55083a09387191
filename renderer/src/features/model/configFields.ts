// Every TrainConfig field as the Model screen shows it: grouped, labelled, explained in one line. A test checks
// that the groups name each field of common/config.ts exactly once.
import type { PresetName, TrainConfigKey } from '../../../../common/config';

export interface FieldSpec {
  key: TrainConfigKey;
  label: string;
  help: string;
  /** Unit shown after the input, if any. */
  unit?: string;
  /** 'choice': one of a few named options, shown as radio cards (base model, method). Default: a typed value. */
  kind?: 'choice';
}

export interface FieldGroup {
  title: string;
  fields: FieldSpec[];
}

export const FIELD_GROUPS: readonly FieldGroup[] = [
  {
    title: 'Starting point',
    fields: [
      { key: 'base', label: 'Base model', kind: 'choice', help: 'What training starts from: a built-in pretrained model, or random weights.' },
      { key: 'method', label: 'Method', kind: 'choice', help: 'Which weights training changes.' },
    ],
  },
  {
    title: 'Model architecture',
    fields: [
      { key: 'nLayer', label: 'Layers', help: 'Transformer blocks stacked (from scratch only); more learn richer patterns but train slower.' },
      { key: 'nHead', label: 'Attention heads', help: 'Attention patterns per layer, in parallel; the width must divide by it.' },
      { key: 'dModel', label: 'Width', help: 'Size of each token’s vector in the residual stream (dModel).' },
      { key: 'contextLength', label: 'Context length', unit: 'tokens', help: 'Tokens the model sees at once when predicting the next.' },
      { key: 'tokenizer', label: 'Tokenizer', help: 'From scratch: one token per character, or a byte-level BPE vocabulary trained on your data.' },
      { key: 'vocabSize', label: 'BPE vocabulary', unit: 'tokens', help: 'BPE: vocabulary size to train (256 bytes, merges, and <pad>, <unk>).' },
      { key: 'dropout', label: 'Dropout', help: 'Share of activations zeroed while training (0–0.9) to curb overfitting.' },
    ],
  },
  {
    title: 'Optimisation',
    fields: [
      { key: 'learningRate', label: 'Learning rate', help: 'Peak Adam step size after warmup; too high diverges, too low crawls.' },
      { key: 'warmupSteps', label: 'Warmup', unit: 'steps', help: 'Steps over which the learning rate rises linearly from 0.' },
      { key: 'steps', label: 'Steps', help: 'Optimizer updates in the whole run.' },
      { key: 'batchSize', label: 'Batch size', unit: 'sequences', help: 'Sequences per step; larger is smoother but slower per step.' },
      { key: 'gradClip', label: 'Gradient clip', help: 'Largest global gradient norm allowed per step; 0 turns clipping off.' },
      { key: 'schedule', label: 'Schedule', help: 'How the learning rate falls after warmup: cosine or linear to 10% of peak, or constant.' },
      { key: 'gradAccumulation', label: 'Gradient accumulation', unit: 'batches', help: 'Batches summed per step; the effective batch is batch size × this.' },
      { key: 'weightDecay', label: 'Weight decay', help: 'Pulls weights toward 0 each step (0–1); for the classifier head, its L2 strength.' },
      { key: 'labelSmoothing', label: 'Label smoothing', help: 'Share of the target spread over all classes or tokens (0–0.5); curbs overconfidence.' },
    ],
  },
  {
    title: 'Fine-tuning a pretrained base',
    fields: [
      { key: 'pairsPerExample', label: 'Pairs per example', help: 'SetFit: contrastive pairs drawn per training example; more adapt the encoder further but take longer.' },
      { key: 'trainLayers', label: 'Trained top layers', help: 'Top layers: how many of the highest blocks train (with the final norm and head).' },
      { key: 'loraRank', label: 'LoRA rank', help: 'LoRA: width r of each adapter; larger can learn more but trains more weights.' },
      { key: 'loraAlpha', label: 'LoRA alpha', help: 'LoRA: the adapters’ update is scaled by alpha / rank.' },
      { key: 'loraTargets', label: 'LoRA targets', help: 'LoRA: adapters on the attention projections only, or on those and the MLP.' },
    ],
  },
  {
    title: 'Evaluation',
    fields: [
      { key: 'evalEvery', label: 'Evaluate every', unit: 'steps', help: 'Steps between validation-loss measurements.' },
      { key: 'evalBatches', label: 'Evaluation batches', help: 'Batches averaged for each validation loss.' },
      { key: 'validationFraction', label: 'Validation fraction', help: 'Share of rows held out when the dataset has no validation split.' },
      { key: 'earlyStoppingPatience', label: 'Early stopping patience', unit: 'evaluations', help: 'Stop after this many evaluations without a better validation loss; 0 never stops early.' },
      { key: 'checkpointEvery', label: 'Checkpoint every', unit: 'steps', help: 'Steps between saved checkpoints; 0 saves only at the end.' },
      { key: 'logEvery', label: 'Log every', unit: 'steps', help: 'Steps between train-loss points on the chart.' },
    ],
  },
  {
    title: 'Runtime',
    fields: [
      { key: 'backend', label: 'Backend', help: 'Where the maths runs; auto takes the first that loads and passes a self-test.' },
      { key: 'seed', label: 'Seed', help: 'The same seed on the same backend repeats a run exactly.' },
    ],
  },
];

export const PRESET_DESCRIPTIONS: Record<PresetName, { title: string; text: string }> = {
  'few-shot': { title: 'Few-shot', text: 'A pretrained base chosen for the dataset: GloVe with SetFit for labels, stories260K for text.' },
  quick: { title: 'Quick', text: 'A minute or less on two CPU cores: a small model and few steps, enough to see the loss fall.' },
  standard: { title: 'Standard', text: 'A longer run of a slightly bigger model, with checkpoints along the way.' },
};
