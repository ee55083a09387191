// Small datasets generated on the spot, so tests do not depend on files that may be absent.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const SUBJECTS = ['the cat', 'a small dog', 'the old man', 'my sister', 'the teacher', 'a red bird'];
const VERBS = ['sees', 'likes', 'finds', 'follows', 'paints', 'watches'];
const OBJECTS = ['the garden', 'a green apple', 'the river', 'the big house', 'a quiet street', 'the moon'];

/** Simple English sentences from a tiny grammar: a character model learns them quickly. */
export function corpusLines(count: number, seed = 1): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => `${pick(r, SUBJECTS)} ${pick(r, VERBS)} ${pick(r, OBJECTS)}.`);
}

const GOOD = ['wonderful', 'great', 'lovely', 'brilliant', 'delightful'];
const BAD = ['terrible', 'awful', 'boring', 'dreadful', 'painful'];
const NOUNS = ['film', 'story', 'acting', 'ending', 'music'];

/** A two-class sentiment CSV with a header and a quoted field containing a comma. */
export function sentimentCsv(rows: number, seed = 2): string {
  const r = rng(seed);
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) {
    const positive = i % 2 === 0;
    const text = `the ${pick(r, NOUNS)} was ${pick(r, positive ? GOOD : BAD)}, really ${pick(r, positive ? GOOD : BAD)}`;
    lines.push(`"${text}",${positive ? 'positive' : 'negative'}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeFixture(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
