// The one-click preset's context and batch for text, from the data and the memory estimate: the context is the
// smallest round size covering 95% of the texts' token lengths with the base's own tokenizer (contextForLengths), the
// batch the largest up to FEWSHOT_MAX_BATCH that fits the backend's ceiling with headroom (largestFittingBatch).
// A value the user set stays theirs.
import { join } from 'node:path';
import { resolveTrainConfig, type Overrides, type TrainConfig } from '../../common/config';
import { contextForLengths, FEWSHOT_MAX_BATCH } from '../../common/fewShotPreset';
import { decoderTokenizerFor } from '../trainer/decoder/folderTokenizer';
import { loadSentencePieceModel } from '../trainer/llama/sentencePieceModel';
import { largestFittingBatch, sizedBase } from './trainingEstimate';

/** Texts measured for the histogram (a sample of larger datasets: the 95th percentile settles long before). */
const SAMPLE = 2000;

/** Token lengths of `texts` as the base's tokenizer counts them, with BOS and the end token. */
function tokenLengths(base: string, basePath: string, texts: readonly string[]): number[] {
  const step = Math.max(1, Math.floor(texts.length / SAMPLE));
  const sample = texts.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  if (base === 'stories260k') {
    const tokenizer = loadSentencePieceModel(join(basePath, 'tok512.model'));
    return sample.map((t) => tokenizer.encode(t, { bos: true, eos: true }).length);
  }
  const tokenizer = decoderTokenizerFor(basePath);
  return sample.map((t) => tokenizer.encode(t).length + 2);
}

/** `chosen` with the context and batch sized for these texts on this base and machine. */
export function sizeFewShotText(chosen: Partial<TrainConfig>, texts: readonly string[], overrides: Overrides, basePath: string | null): Partial<TrainConfig> {
  const draft = resolveTrainConfig('few-shot', overrides, chosen);
  const base = basePath ? sizedBase(draft, basePath) : null;
  if (!base || !basePath) return chosen;
  const sized = { ...chosen };
  if (overrides.contextLength === undefined) sized.contextLength = contextForLengths(tokenLengths(draft.base, basePath, texts), base.shape.maxPositions);
  if (overrides.batchSize === undefined) {
    const batch = largestFittingBatch(resolveTrainConfig('few-shot', overrides, sized), base, FEWSHOT_MAX_BATCH);
    if (batch > 0) sized.batchSize = batch; // none fits: the start refuses it with what would
  }
  return sized;
}
