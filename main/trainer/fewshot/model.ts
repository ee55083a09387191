// The trainable parts of a few-shot classifier, as tfjs variables, and its forward pass, per channel (all words, or
// function words and content words apart; then, when recipe.leadWords > 0, the leading words; encoder.ts):
//   pooled GloVe vector p (d = 100) → + Σ bag weight × word delta → − common component → unit length × channel scale
// then, over the channels side by side (width D = channels · d): x → adapter u = x + f(x) → h = √d · x (and/or u
// rescaled to the same length) → logits = h·W + b (C classes).
// Parameter counts for d = 100, one channel: linear adapter 10,000; MLP (hidden 256) 51,456; word deltas 100 per
// word; head 101·C.
import * as tf from '../tfjs';
import { bagSum } from '../layers';
import type { NamedArray } from '../safetensors';
import { channelScales, type WordBag } from './encoder';
import type { FewShotRecipe } from './recipe';

/** One channel's words with deltas, per text: columns of words.delta (int32, N × L) and their bag weights (N × L). */
export interface DeltaBags {
  columns: tf.Tensor2D;
  weights: tf.Tensor2D;
}

/** The tensors of `bags`, to dispose. */
export function bagTensors(bags: readonly DeltaBags[] | null): tf.Tensor[] {
  return (bags ?? []).flatMap((b) => [b.columns, b.weights]);
}

export interface FewShotSpec {
  labels: string[];
  dims: number;
  recipe: FewShotRecipe;
  /** Unit vector removed from every pooled vector, or null. */
  component: Float32Array | null;
  /** Vocabulary rows that have a learnt delta (words seen in training); empty without word deltas. */
  deltaRows: number[];
}

const EPS = 1e-12;
let instances = 0; // tfjs variable names must be unique per process

/** Rows scaled to unit length; a zero row stays zero (the ε keeps value and gradient finite). */
export function unit(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), EPS)));
}

export class FewShotModel {
  readonly weights = new Map<string, tf.Variable>();
  private readonly deltaColumn: Map<number, number>;
  private readonly component: tf.Tensor2D | null;
  /** Weight of each channel in x (encoder.channelScales). */
  private readonly channelScales: number[];
  /** Width of x: channels × dims. */
  readonly width: number;

  /** `initial` (from a checkpoint) replaces the seeded initialisation by name. */
  constructor(
    readonly spec: FewShotSpec,
    seed: number,
    initial?: ReadonlyMap<string, Float32Array>,
  ) {
    const { dims: d, recipe } = spec;
    const c = spec.labels.length;
    this.channelScales = channelScales(recipe);
    const w = (this.width = d * this.channelScales.length);
    const id = ++instances;
    const add = (name: string, shape: number[], init: () => tf.Tensor) => {
      const given = initial?.get(name);
      if (initial && !given) throw new Error(`The checkpoint has no tensor '${name}'.`);
      const value = given ? tf.tensor(given, shape) : init();
      this.weights.set(name, tf.variable(value, true, `fewshot${id}/${name}`));
      value.dispose();
    };
    if (recipe.adapter === 'linear') add('adapter.A', [w, w], () => tf.zeros([w, w]));
    if (recipe.adapter === 'mlp') {
      add('adapter.W1', [w, recipe.hidden], () => tf.randomNormal([w, recipe.hidden], 0, 1, 'float32', seed));
      add('adapter.b1', [recipe.hidden], () => tf.zeros([recipe.hidden]));
      add('adapter.W2', [recipe.hidden, w], () => tf.zeros([recipe.hidden, w]));
    }
    if (spec.deltaRows.length > 0) add('words.delta', [spec.deltaRows.length, d], () => tf.zeros([spec.deltaRows.length, d]));
    const headIn = recipe.headOnBoth && recipe.adapter !== 'none' ? 2 * w : w;
    add('head.W', [headIn, c], () => tf.zeros([headIn, c]));
    add('head.b', [c], () => tf.zeros([c]));
    this.deltaColumn = new Map(spec.deltaRows.map((row, col) => [row, col]));
    this.component = spec.component ? tf.tensor2d(spec.component, [d, 1]) : null;
  }

  get parameterCount(): number {
    let n = 0;
    for (const v of this.weights.values()) n += v.size;
    return n;
  }

  /** Variables of the contrastive stage (adapter and word deltas). */
  encoderVariables(): tf.Variable[] {
    return [...this.weights].filter(([name]) => !name.startsWith('head.')).map(([, v]) => v);
  }

  headVariables(): tf.Variable[] {
    return [this.weights.get('head.W')!, this.weights.get('head.b')!];
  }

  /**
   * Per channel, each text's words that have a delta as (delta column, bag weight) pairs, padded with weight 0 to the
   * channel's longest text; null when no word has a delta. `texts` holds each text's channel bags
   * (encoder.channelBags). Work and memory grow with N × the most such words in any one of the texts (the padding),
   * not with the number of words that have deltas.
   */
  deltaBags(texts: readonly WordBag[][]): DeltaBags[] | null {
    if (this.spec.deltaRows.length === 0) return null;
    return this.channelScales.map((_, c) => {
      const entries = texts.map((bags) => bags[c].rows.flatMap((row, k) => (this.deltaColumn.has(row) ? [[this.deltaColumn.get(row)!, bags[c].weights[k]]] : [])));
      const width = entries.reduce((m, e) => Math.max(m, e.length), 1);
      const columns = new Int32Array(texts.length * width);
      const weights = new Float32Array(texts.length * width);
      entries.forEach((e, n) =>
        e.forEach(([col, w], k) => {
          columns[n * width + k] = col;
          weights[n * width + k] = w;
        }),
      );
      return { columns: tf.tensor2d(columns, [texts.length, width], 'int32'), weights: tf.tensor2d(weights, [texts.length, width]) };
    });
  }

  /** Σ bag weight × word delta per text (N × d). */
  private deltaSum(bags: DeltaBags): tf.Tensor2D {
    return bagSum(this.weights.get('words.delta') as tf.Tensor2D, bags.columns, bags.weights);
  }

  /** x (N × width): each channel's pooled vector plus its word deltas, unit length, times the channel's scale. */
  features(pooled: tf.Tensor2D, bags: DeltaBags[] | null): tf.Tensor2D {
    const d = this.spec.dims;
    const channels = this.channelScales.map((scale, c) => {
      let x = this.channelScales.length === 1 ? pooled : tf.slice(pooled, [0, c * d], [-1, d]);
      if (bags) x = tf.add(x, this.deltaSum(bags[c]));
      if (this.component) x = tf.sub(x, tf.matMul(tf.matMul(x, this.component), this.component, false, true));
      return scale === 1 ? unit(x) : (tf.mul(unit(x), scale) as tf.Tensor2D);
    });
    return channels.length === 1 ? channels[0] : tf.concat(channels, 1);
  }

  /** u = x + f(x), the adapted vectors the contrastive loss compares. */
  adapt(x: tf.Tensor2D): tf.Tensor2D {
    const w = this.weights;
    if (this.spec.recipe.adapter === 'linear') return tf.add(x, tf.matMul(x, w.get('adapter.A')!));
    if (this.spec.recipe.adapter === 'mlp') {
      const hidden = tf.tanh(tf.add(tf.matMul(x, w.get('adapter.W1')!), w.get('adapter.b1')!));
      return tf.add(x, tf.matMul(hidden, w.get('adapter.W2')!));
    }
    return x;
  }

  /**
   * The head's input from x: √d · x (≈ unit variance per feature of a channel of scale 1), u rescaled to the same
   * length, or [√d · x, u] with headOnBoth.
   */
  headInput(x: tf.Tensor2D): tf.Tensor2D {
    const scaled = tf.mul(x, Math.sqrt(this.spec.dims)) as tf.Tensor2D;
    const { headOnBoth, adapter } = this.spec.recipe;
    if (adapter === 'none') return scaled;
    const u = tf.mul(unit(this.adapt(x)), Math.sqrt(this.spec.dims) * Math.hypot(...this.channelScales)) as tf.Tensor2D;
    return headOnBoth ? tf.concat([scaled, u], 1) : u;
  }

  logits(h: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(h, this.weights.get('head.W')!), this.weights.get('head.b')!);
  }

  /** Class probabilities (N × C) for pooled vectors and delta bags; returns a new tensor. */
  probabilities(pooled: tf.Tensor2D, bags: DeltaBags[] | null): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.logits(this.headInput(this.features(pooled, bags)))));
  }

  namedArrays(): NamedArray[] {
    const out: NamedArray[] = [...this.weights].map(([name, v]) => ({ name, shape: v.shape, data: v.dataSync() as Float32Array }));
    if (this.spec.component) out.push({ name: 'encoder.component', shape: [this.spec.dims], data: this.spec.component });
    if (this.spec.deltaRows.length) out.push({ name: 'words.rows', shape: [this.spec.deltaRows.length], data: Float32Array.from(this.spec.deltaRows) });
    return out;
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    this.weights.clear();
    this.component?.dispose();
  }
}
