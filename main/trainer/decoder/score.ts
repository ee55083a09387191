// Mean next-token loss (nats per token; perplexity = exp) of a decoder on texts: each text from [BOS] to its end
// token, every token predicted from the text before it; the same number as fine-tuning's val_loss on those texts.
import { badInput } from '../../../common/result';
import { maskedCount, scoringBatches, type LlamaBatch } from '../llama/llamaData';
import * as tf from '../tfjs';
import { decoderDocuments } from './data';
import type { DecoderModel } from './model';
import type { DecoderTokenizer } from './tokenizer';

const SCORE_BATCH_ROWS = 8;

/** What scoring needs of a model: the masked mean loss of a batch. */
interface ScoresBatches {
  lossOn(inputs: tf.Tensor2D, targets: tf.Tensor2D, mask?: tf.Tensor2D): tf.Scalar;
}

/** Mean loss over the masked targets of `batches` (any model with lossOn: a decoder, stories260K's); one sync per batch. */
export function meanMaskedLoss(model: ScoresBatches, batches: readonly LlamaBatch[]): { loss: number; tokens: number } {
  let sum = 0;
  let tokens = 0;
  for (const batch of batches) {
    const count = maskedCount(batch);
    if (count === 0) continue;
    const loss = tf.tidy(() => {
      const shape: [number, number] = [batch.B, batch.T];
      return model.lossOn(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'), tf.tensor2d(batch.mask, shape));
    });
    sum += loss.dataSync()[0] * count;
    loss.dispose();
    tokens += count;
  }
  return { loss: tokens > 0 ? sum / tokens : NaN, tokens };
}

/** Scoring rows no longer than this: the whole context of a small model, fewer positions of a long-context one. */
export const scoringContext = (model: DecoderModel): number => Math.min(model.spec.maxPositions, 1024);

export function scoreDecoder(model: DecoderModel, tokenizer: DecoderTokenizer, texts: readonly string[]): { loss: number; tokens: number } {
  const documents = decoderDocuments(tokenizer, texts);
  if (documents.length === 0) throw badInput(`All ${texts.length} texts to score are blank; give at least one text with words in it.`);
  return meanMaskedLoss(model, scoringBatches(documents, scoringContext(model), SCORE_BATCH_ROWS));
}
