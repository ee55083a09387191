// What each fine-tuning method trains of a DecoderModel: full (every weight), freeze (the top trainLayers blocks, the
// final norm and an untied head; the embedding stays frozen, being also the input of the frozen lower blocks) or lora
// (adapters on the projections, the base frozen). AdamW decays the matrices (and LoRA's A, B, an untied head), not
// norms, biases, the embedding or the position table.
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { countParameters } from '../optimizer';
import type * as tf from '../tfjs';
import { DecoderLora } from './lora';
import type { DecoderModel } from './model';
import { layerOf, MODEL_PARAMS } from './names';

export interface TrainedWeights {
  params: Map<string, tf.Variable>;
  lora: DecoderLora | null;
  description: string;
}

export const decaysDecoderWeight = (name: string, variable: tf.Variable): boolean =>
  variable.rank === 2 && name !== MODEL_PARAMS.embed && name !== MODEL_PARAMS.positions;

/** Chooses what config.method trains; for lora, makes the adapters and attaches them (the caller disposes them). */
export function weightsToTrain(model: DecoderModel, config: TrainConfig, baseName: string): TrainedWeights {
  const total = model.parameterCount;
  const count = (n: number) => n.toLocaleString('en-US');
  const share = (n: number) => `${count(n)} of ${count(total)} parameters (${((100 * n) / total).toFixed(1)}%)`;
  if (config.method === 'lora') {
    const lora = new DecoderLora(model, config);
    model.setAdapter(lora);
    const where = config.loraTargets === 'attention' ? 'q, k, v, o' : 'q, k, v, o and the MLP';
    const description = `Method lora (rank ${config.loraRank}, alpha ${config.loraAlpha}, on ${where} of every block): training ${count(lora.parameterCount)} adapter parameters, ${((100 * lora.parameterCount) / total).toFixed(2)}% of the base's ${count(total)}, which stay frozen.`;
    return { params: lora.params, lora, description };
  }
  if (config.method === 'freeze') {
    const layers = Math.min(config.trainLayers, model.spec.layers);
    const params = new Map<string, tf.Variable>();
    for (const [name, v] of model.params) {
      const l = layerOf(name);
      if (l !== null ? l >= model.spec.layers - layers : name !== MODEL_PARAMS.embed && name !== MODEL_PARAMS.positions) params.set(name, v);
    }
    const capped = config.trainLayers > layers ? ` (trainLayers ${config.trainLayers} is more than the base's ${layers} blocks)` : '';
    return { params, lora: null, description: `Method freeze: training the top ${layers} of ${model.spec.layers} blocks and the final norm${capped}, ${share(countParameters(params))}; the embedding and lower blocks stay frozen.` };
  }
  if (config.method !== 'full') throw badInput(`Training method '${config.method}' does not apply to ${baseName}; choose full, freeze or lora.`);
  return { params: new Map(model.params), lora: null, description: `Method full: training all ${count(total)} parameters.` };
}
