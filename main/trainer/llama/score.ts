// Mean next-token loss (nats per token; perplexity = exp) of a Llama model on texts: each text from BOS, every one
// of its tokens predicted from the text before it. The same number as fine-tuning's val_loss on those texts.
import { badInput } from '../../../common/result';
import * as tf from '../tfjs';
import { oneHotFloat } from '../layers';
import { meanMaskedLoss } from '../decoder/score';
import { scoringBatches, tokenizeDocuments, type LlamaBatch } from './llamaData';
import { LlamaModel } from './llamaModel';
import type { LlamaTrainable } from './llamaTrainable';
import type { SentencePieceTokenizer } from './sentencePieceTokenizer';

const SCORE_BATCH_ROWS = 8;

/** Mean loss over the masked targets of `batches`, batched through the trainable forward. One sync per batch. */
export const meanLoss = (model: LlamaTrainable, batches: readonly LlamaBatch[]): { loss: number; tokens: number } => meanMaskedLoss(model, batches);

/** Same as meanLoss with the KV-cache model's full-sequence forward, one row at a time. */
function meanLossInference(model: LlamaModel, batches: readonly LlamaBatch[]): { loss: number; tokens: number } {
  let sum = 0;
  let tokens = 0;
  for (const batch of batches) {
    for (let b = 0; b < batch.B; b++) {
      const row = batch.mask.subarray(b * batch.T, (b + 1) * batch.T);
      const length = row.reduce((n, m) => n + m, 0);
      if (length === 0) continue;
      const inputs = Array.from(batch.inputs.subarray(b * batch.T, b * batch.T + length));
      const targets = batch.targets.subarray(b * batch.T, b * batch.T + length);
      const total = tf.tidy(() => {
        const logits = model.forward(inputs); // (length, V)
        const onehot = oneHotFloat(tf.tensor1d(targets, 'int32'), model.config.vocabSize);
        return tf.losses.softmaxCrossEntropy(onehot, logits, undefined, 0, tf.Reduction.SUM);
      });
      sum += total.dataSync()[0];
      total.dispose();
      tokens += length;
    }
  }
  return { loss: tokens > 0 ? sum / tokens : NaN, tokens };
}

/**
 * Mean next-token NLL of `texts` (blank texts skipped); `tokens` counts the predictions. A text longer than the
 * context restarts it every seqLen tokens. Throws a bad-input error when every text is blank.
 */
export function scoreLlama(model: LlamaTrainable | LlamaModel, tokenizer: SentencePieceTokenizer, texts: readonly string[]): { loss: number; tokens: number } {
  const T = model.config.seqLen;
  const documents = tokenizeDocuments(tokenizer, texts);
  if (documents.length === 0) throw badInput(`All ${texts.length} texts to score are blank; give at least one text with words in it.`);
  const batches = scoringBatches(documents, T, SCORE_BATCH_ROWS);
  return model instanceof LlamaModel ? meanLossInference(model, batches) : meanLoss(model, batches);
}
