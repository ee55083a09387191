// Tokenisation that matches how GloVe 6B saw text (Stanford tokenizer, lower-cased): words and each punctuation
// mark are separate tokens. The shipped vocabulary has no clitic tokens ('s, n't) and no numbers, so clitics map to
// the words they stand for (n't → not, 're → are, ...) and the possessive / 's is dropped.
// Also undoes the HTML-entity artefacts in AG News style text (#39; &amp; &quot;) and backslash line joins.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

const CLITICS: [RegExp, string][] = [
  [/\bca ?n't\b/g, 'can not'], // can't, and "ca n't" as PTB tokenises it
  [/\bwo ?n't\b/g, 'will not'],
  [/\bsha ?n't\b/g, 'shall not'],
  [/\bai ?n't\b/g, 'is not'],
  [/ ?n't\b/g, ' not'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
  [/'s\b/g, ' '],
];

// a word: letters/digits, optionally joined by hyphens or inner apostrophes / dots (u.s.); else one symbol
const TOKEN = /[\p{L}\p{N}]+(?:[-'.][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name])
    .replace(/&?#(\d{1,5});/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\\/g, ' ');
}

/** Lower-cased GloVe tokens of `text`, e.g. "Don't panic, it's O.K.!" → do not panic , it o.k . ! */
export function tokenize(text: string): string[] {
  let s = normaliseText(text);
  for (const [pattern, replacement] of CLITICS) s = s.replace(pattern, replacement);
  return s.match(TOKEN) ?? [];
}

/**
 * Rows of `tokens` in the vocabulary; a hyphenated or dotted word missing from it is looked up part by part
 * ("state-of-the-art" → state of the art). Unknown words are skipped.
 */
export function tokenRows(tokens: readonly string[], index: ReadonlyMap<string, number>): number[] {
  const rows: number[] = [];
  for (const token of tokens) {
    const row = index.get(token);
    if (row !== undefined) rows.push(row);
    else if (/[-.']/.test(token)) {
      for (const part of token.split(/[-.']/)) {
        const r = index.get(part);
        if (r !== undefined) rows.push(r);
      }
    }
  }
  return rows;
}
