// Which settings matter to a config: the architecture only for a model trained from scratch, and each method's own
// knobs only for that method. Pure; the run comparison leaves out rows that matter to none of the compared runs.
import type { TrainConfig, TrainConfigKey } from '../../../common/config';

const ARCHITECTURE: ReadonlySet<TrainConfigKey> = new Set<TrainConfigKey>(['nLayer', 'nHead', 'dModel', 'dropout', 'tokenizer', 'vocabSize']);
const METHOD_ONLY: Partial<Record<TrainConfigKey, TrainConfig['method']>> = {
  pairsPerExample: 'setfit',
  trainLayers: 'freeze',
  loraRank: 'lora',
  loraAlpha: 'lora',
  loraTargets: 'lora',
};

export function settingApplies(key: TrainConfigKey, config: Pick<TrainConfig, 'base' | 'method'> & Partial<Pick<TrainConfig, 'tokenizer'>>): boolean {
  if (ARCHITECTURE.has(key)) return config.base === 'scratch' && (key !== 'vocabSize' || config.tokenizer === 'bpe');
  const method = METHOD_ONLY[key];
  return method === undefined || config.method === method;
}
