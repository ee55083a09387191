// A BPE model in Hugging Face's sense: a vocabulary plus ranked merge rules, applied to one pre-tokenised word at a
// time. The word is split into characters (byte-level characters for GPT-2-style models), characters missing from the
// vocabulary become <0xXX> byte tokens (byte_fallback) or the unknown token, then the lowest-ranked adjacent pair is
// merged everywhere in the word until no pair has a rule (bpeMerge.ts). Results for words are cached.
import { badInput } from '../../../common/result';
import { applyMerges, type RankOf } from './bpeMerge';

export interface BpeModelOptions {
  /** token → id */
  vocab: ReadonlyMap<string, number>;
  /** Merge rules in rank order (rank 0 merges first). */
  merges: readonly (readonly [string, string])[];
  unkToken?: string | null;
  byteFallback?: boolean;
  fuseUnk?: boolean;
  continuingSubwordPrefix?: string | null;
  endOfWordSuffix?: string | null;
  /** Words already in the vocabulary are one token without merging (Llama 3). */
  ignoreMerges?: boolean;
}

/** The Hugging Face tokenizer.json `model` object for type BPE. */
export interface HfBpeModelJson {
  type: 'BPE';
  dropout: null;
  unk_token: string | null;
  continuing_subword_prefix: string | null;
  end_of_word_suffix: string | null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges: boolean;
  vocab: Record<string, number>;
  /** "a b" strings, readable by every tokenizers version; [a, b] pairs only when a token contains a space. */
  merges: string[] | [string, string][];
}

const PAIR_STRIDE = 1 << 22; // vocabularies up to 4M ids; pair keys stay below 2^44
const CACHE_LIMIT = 50_000;
const CACHED_WORD_LENGTH = 256; // longer inputs (whole texts, for SentencePiece-style models) are rarely repeated
const pairKey = (a: number, b: number) => a * PAIR_STRIDE + b;
const byteToken = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;

export class BpeModel {
  readonly vocab: ReadonlyMap<string, number>;
  /** id → token */
  readonly tokens: string[] = [];
  private readonly rankOfPair = new Map<number, number>();
  /** rank → id of the merged token */
  private readonly mergedId: Int32Array;
  private readonly cache = new Map<string, number[]>();
  private readonly unkId: number | undefined;
  private readonly byteIds: (number | undefined)[] = [];
  private readonly utf8 = new TextEncoder();
  private readonly rankOf: RankOf = (a, b) => this.rankOfPair.get(pairKey(a, b));

  constructor(readonly options: BpeModelOptions) {
    this.vocab = options.vocab;
    for (const [token, id] of this.vocab) this.tokens[id] = token;
    const prefixLength = options.continuingSubwordPrefix?.length ?? 0;
    this.mergedId = new Int32Array(options.merges.length);
    options.merges.forEach(([a, b], rank) => {
      const idA = this.vocab.get(a);
      const idB = this.vocab.get(b);
      const merged = this.vocab.get(a + b.slice(prefixLength));
      if (idA === undefined || idB === undefined || merged === undefined) {
        throw badInput(`BPE merge rule ${rank} ("${a} ${b}") uses a token that is not in the vocabulary.`);
      }
      const key = pairKey(idA, idB);
      if (!this.rankOfPair.has(key)) this.rankOfPair.set(key, rank);
      this.mergedId[rank] = merged;
    });
    if (options.unkToken != null) {
      this.unkId = this.vocab.get(options.unkToken);
      if (this.unkId === undefined) throw badInput(`The BPE unknown token "${options.unkToken}" is not in the vocabulary.`);
    }
    if (options.byteFallback) for (let b = 0; b < 256; b++) this.byteIds[b] = this.vocab.get(byteToken(b));
  }

  get size(): number {
    return this.tokens.length;
  }

  tokenize(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached) return cached;
    const ids = this.tokenizeUncached(word);
    if (word.length > CACHED_WORD_LENGTH) return ids;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(word, ids);
    return ids;
  }

  private tokenizeUncached(word: string): number[] {
    if (this.options.ignoreMerges) {
      const whole = this.vocab.get(word);
      if (whole !== undefined) return [whole];
    }
    return applyMerges(this.initialSymbols(word), this.rankOf, this.mergedId);
  }

  /** One id per character (with the continuing prefix / end-of-word suffix), byte fallbacks or unknown where missing. */
  private initialSymbols(word: string): number[] {
    const { continuingSubwordPrefix: prefix, endOfWordSuffix: suffix, fuseUnk } = this.options;
    const chars = Array.from(word);
    const symbols: number[] = [];
    let lastWasUnk = false;
    chars.forEach((ch, i) => {
      let piece = i > 0 && prefix ? prefix + ch : ch;
      if (i === chars.length - 1 && suffix) piece += suffix;
      const id = this.vocab.get(piece);
      if (id !== undefined) {
        symbols.push(id);
        lastWasUnk = false;
        return;
      }
      if (this.options.byteFallback) {
        const bytes = Array.from(this.utf8.encode(piece), (b) => this.byteIds[b]);
        if (bytes.every((b) => b !== undefined)) {
          symbols.push(...(bytes as number[]));
          lastWasUnk = false;
          return;
        }
      }
      if (this.unkId === undefined) return; // Hugging Face drops characters it cannot represent at all
      if (!(fuseUnk && lastWasUnk)) symbols.push(this.unkId);
      lastWasUnk = true;
    });
    return symbols;
  }

  toJson(): HfBpeModelJson {
    const o = this.options;
    return {
      type: 'BPE',
      dropout: null,
      unk_token: o.unkToken ?? null,
      continuing_subword_prefix: o.continuingSubwordPrefix ?? null,
      end_of_word_suffix: o.endOfWordSuffix ?? null,
      fuse_unk: o.fuseUnk ?? false,
      byte_fallback: o.byteFallback ?? false,
      ignore_merges: o.ignoreMerges ?? false,
      vocab: Object.fromEntries(this.vocab),
      merges: o.merges.some(([a, b]) => a.includes(' ') || b.includes(' ')) ? o.merges.map(([a, b]): [string, string] => [a, b]) : o.merges.map(([a, b]) => `${a} ${b}`),
    };
  }
}
