// SetFit's training pairs: for each example, `perExample` partners, alternately of the same label (target cosine 1)
// and of another label (target 0), drawn with a seeded generator and shuffled. A label with a single example gets
// no positive pairs from it; with one label only there are no negatives.
import { shuffle, type Rng } from '../rng';

export interface Pair {
  a: number;
  b: number;
  target: 0 | 1;
}

export function drawPairs(labels: readonly number[], perExample: number, rng: Rng): Pair[] {
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, i) => byLabel.set(label, [...(byLabel.get(label) ?? []), i]));
  const pairs: Pair[] = [];
  labels.forEach((label, i) => {
    const same = byLabel.get(label)!.filter((j) => j !== i);
    const otherCount = labels.length - same.length - 1;
    for (let k = 0; k < perExample; k++) {
      const wantSame = k % 2 === 0;
      if (wantSame && same.length > 0) pairs.push({ a: i, b: same[rng.int(same.length)], target: 1 });
      else if (!wantSame && otherCount > 0) {
        let j = rng.int(labels.length);
        while (labels[j] === label) j = rng.int(labels.length);
        pairs.push({ a: i, b: j, target: 0 });
      }
    }
  });
  return shuffle(pairs, rng);
}
