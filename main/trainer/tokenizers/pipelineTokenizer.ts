// A tokenizer assembled like a Hugging Face tokenizer.json: added tokens → normalizer → pre-tokenizer → model (BPE or
// WordPiece) → post-processor, and decoder for the way back. GPT-2, trained BPE and loaded tokenizer.json files are
// all this one class; it keeps the component JSON so toJson() writes the document it came from.
import { badInput } from '../../../common/result';
import { AddedTokenSplitter, type AddedToken } from './addedTokens';
import type { BpeModel, HfBpeModelJson } from './bpeModel';
import { parseDecoder, type DecodeChain } from './hfDecoders';
import type { JsonPlace } from './hfJson';
import { parseNormalizer, type Normalize } from './hfNormalizers';
import { parsePostProcessor, type PostProcess } from './hfPostProcessors';
import { parsePreTokenizer, type PreTokenize } from './hfPreTokenizers';
import { specialsByName, type TextTokenizer, type TokenizerKind, type TokenizerSpecials } from './types';
import type { HfWordPieceModelJson, WordPieceModel } from './wordPieceModel';

/** The pipeline parts of a tokenizer.json document, as JSON (null where the document has none). */
export interface PipelineJson {
  added_tokens: AddedToken[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  post_processor: unknown;
  decoder: unknown;
}

export interface HfTokenizerDocument extends PipelineJson {
  version: '1.0';
  truncation: null;
  padding: null;
  model: HfBpeModelJson | HfWordPieceModelJson;
}

export class PipelineTokenizer implements TextTokenizer {
  readonly specials: TokenizerSpecials;
  readonly vocabSize: number;
  private readonly splitter: AddedTokenSplitter;
  private readonly normalize?: Normalize;
  private readonly preTokenize?: PreTokenize;
  private readonly postProcess?: PostProcess;
  private readonly decodeChain?: DecodeChain;
  private readonly addedById = new Map<number, AddedToken>();
  private readonly addedByContent = new Map<string, number>();

  constructor(
    readonly kind: TokenizerKind,
    readonly model: BpeModel | WordPieceModel,
    private readonly parts: PipelineJson,
    file = 'tokenizer.json',
  ) {
    const place = (path: string): JsonPlace => ({ file, path });
    if (parts.normalizer != null) this.normalize = parseNormalizer(parts.normalizer, place('normalizer'));
    if (parts.pre_tokenizer != null) this.preTokenize = parsePreTokenizer(parts.pre_tokenizer, place('pre_tokenizer'));
    if (parts.post_processor != null) this.postProcess = parsePostProcessor(parts.post_processor, place('post_processor'));
    if (parts.decoder != null) this.decodeChain = parseDecoder(parts.decoder, place('decoder'));
    this.splitter = new AddedTokenSplitter(parts.added_tokens);
    for (const t of parts.added_tokens) this.addedById.set(t.id, t);
    this.vocabSize = Math.max(model.size, ...parts.added_tokens.map((t) => t.id + 1));
    for (const t of parts.added_tokens) this.addedByContent.set(t.content, t.id);
    const unkToken = 'unkToken' in model.options ? model.options.unkToken : undefined;
    this.specials = specialsByName((name) => this.tokenId(name), unkToken);
  }

  /** Hugging Face's encode: with `addSpecialTokens` (default) the post-processor adds [CLS]/[SEP], <s>, … */
  encode(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    const ids: number[] = [];
    for (const segment of this.splitter.split(text)) {
      if ('id' in segment) {
        ids.push(segment.id);
        continue;
      }
      const normalized = this.normalize ? this.normalize(segment.text) : segment.text;
      const words = this.preTokenize ? this.preTokenize(normalized, segment.offset === 0) : [normalized];
      for (const word of words) for (const id of this.model.tokenize(word)) ids.push(id);
    }
    return this.postProcess && opts.addSpecialTokens !== false ? this.postProcess(ids) : ids;
  }

  /** Special added tokens are skipped unless `skipSpecialTokens` is false; without a decoder tokens join with spaces. */
  decode(ids: readonly number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added?.special && opts.skipSpecialTokens !== false) continue;
      const token = added?.content ?? this.model.tokens[id];
      if (token === undefined) throw badInput(`Token id ${id} is outside the vocabulary (${this.vocabSize} tokens).`);
      tokens.push(token);
    }
    return this.decodeChain ? this.decodeChain(tokens).join('') : tokens.join(' ');
  }

  /** The id of a token string: an added token's content, else the model's vocabulary entry. */
  tokenId(token: string): number | undefined {
    return this.addedByContent.get(token) ?? this.model.vocab.get(token);
  }

  /** The document's added tokens (special or not), in file order. */
  get addedTokens(): readonly AddedToken[] {
    return this.parts.added_tokens;
  }

  /** The token string of `id` as the model spells it (byte-level characters for GPT-2). */
  token(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.tokens[id];
  }

  toJson(): HfTokenizerDocument {
    return { version: '1.0', truncation: null, padding: null, ...this.parts, model: this.model.toJson() };
  }
}
