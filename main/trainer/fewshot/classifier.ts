// A trained few-shot classifier: the GloVe vectors (shared, read-only) plus a FewShotModel; predicts in chunks so a
// large evaluation set never builds more than CHUNK texts' delta bags (model.deltaBags) at once.
import * as tf from '../tfjs';
import type { TrainConfig } from '../../../common/config';
import { channelBags, poolChannels } from './encoder';
import type { GloveVectors } from './glove';
import { bagTensors, type FewShotModel } from './model';

const CHUNK = 512;

export interface FewShotClassifier {
  readonly labels: string[];
  readonly parameterCount: number;
  /** One row per text, one probability per label (rows sum to 1). */
  predictProba(texts: string[]): number[][];
  dispose(): void;
}

export class GloveFewShotClassifier implements FewShotClassifier {
  constructor(
    readonly glove: GloveVectors,
    readonly model: FewShotModel,
    /** The training config, saved with checkpoints. */
    readonly config: TrainConfig,
  ) {}

  get labels(): string[] {
    return this.model.spec.labels;
  }

  /** Trained weights only; the GloVe table is not counted. */
  get parameterCount(): number {
    return this.model.parameterCount;
  }

  predictProba(texts: string[]): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += CHUNK) {
      const bags = texts.slice(i, i + CHUNK).map((t) => channelBags(t, this.glove, this.model.spec.recipe));
      const pooled = tf.tensor2d(poolChannels(bags, this.glove), [bags.length, this.model.width]);
      const deltaBags = this.model.deltaBags(bags);
      const probs = this.model.probabilities(pooled, deltaBags);
      out.push(...(probs.arraySync() as number[][]));
      tf.dispose([pooled, probs, ...bagTensors(deltaBags)]);
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}
