// Tokenizer folders in the exact file structure of real Hugging Face model families (GPT-2, SmolLM2, Llama 2 /
// TinyLlama, Llama 3.x, Qwen2.5, Qwen3, Gemma 3), built small from GPT-2's own BPE files so tests can pair them with
// random-weight models of vocabulary V. No real Llama 3 / Qwen / Gemma file is needed (none can be downloaded here).
//
// Byte-level families take GPT-2's first tokens and merges: GPT-2's ids 0–255 are the 256 byte characters and merge k
// creates id 256 + k, so the first n tokens with the first n − 256 merges are a consistent BPE. Each family's special
// tokens go where the real file has them: appended at the end (GPT-2, Llama 3, Qwen) or first (SmolLM2's ids 0–16).
// SentencePiece-style families (Llama 2, Gemma 3) get <unk>/<s>/</s> (or Gemma's <pad>/<eos>/<bos>/<unk>…), the 256
// byte pieces <0x00>…<0xFF>, the printable ASCII characters with ▁ for the space, then GPT-2's merges over those
// characters in GPT-2's order, Ġ written as ▁. Only special-token lists are shortened (Llama 3 has 256, Qwen 22, Gemma
// 6,000+); every component, flag and config field is spelled as in the real files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DATA = resolve(__dirname, '../../../shared/data');
export const GPT2_BPE_DIR = join(SHARED_DATA, 'tokenizers/gpt2-bpe');

export const FAMILIES = ['gpt2', 'smollm2', 'llama2', 'llama3', 'qwen2', 'qwen3', 'gemma3'] as const;
export type Family = (typeof FAMILIES)[number];

export interface FamilyOptions {
  /** Folder with GPT-2's encoder.json and vocab.bpe (default /work/shared/data/tokenizers/gpt2-bpe). */
  gpt2Dir?: string;
  /** Llama 2 only: 'legacy' (TinyLlama: Prepend + Replace normalizer) or 'metaspace' (newer conversions). */
  llama2Style?: 'legacy' | 'metaspace';
  /** 'base' or 'instruct' configs (eos_token, chat template) where the family differs; default 'instruct'. */
  variant?: 'base' | 'instruct';
}

/** What a loader should find in the folder, for tests to compare with. */
export interface FamilyExpectations {
  bosId: number | null;
  /** Every end-of-sequence id the configs name, tokenizer_config's eos_token first. */
  eosIds: number[];
  padId: number | null;
  /** Whether encoding with special tokens starts with BOS. */
  addBos: boolean;
  /** Special token content → id. */
  specials: Record<string, number>;
  /** Added tokens that are not special (kept when decoding with skipSpecial). */
  nonSpecial: Record<string, number>;
  /** The chat turn markers of the family, when they are tokens. */
  chat: { start: string; end: string } | null;
}

export interface FamilyTokenizer {
  family: Family;
  /** Number of ids: the highest id + 1 (what config.json's vocab_size must be at least). */
  vocabSize: number;
  /** File name → JSON document (tokenizer.json, tokenizer_config.json, special_tokens_map.json, generation_config.json). */
  files: Record<string, unknown>;
  expect: FamilyExpectations;
}

interface Gpt2Files {
  /** id → byte-level token, ids 0 … 50256 */
  tokens: string[];
  merges: [string, string][];
}

const gpt2Cache = new Map<string, Gpt2Files>();

function readGpt2(dir: string): Gpt2Files {
  const cached = gpt2Cache.get(dir);
  if (cached) return cached;
  const encoder = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
  const tokens: string[] = [];
  for (const [token, id] of Object.entries(encoder)) tokens[id] = token;
  const merges = readFileSync(join(dir, 'vocab.bpe'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#version'))
    .map((line) => line.split(' ') as [string, string]);
  const files = { tokens, merges };
  gpt2Cache.set(dir, files);
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared JSON pieces, spelled as the real files spell them

const added = (id: number, content: string, special = true, normalized = false) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized,
  special,
});

/** tokenizer_config.json's added_tokens_decoder entry (transformers ≥ 4.34). */
const decoderEntry = (content: string, special: boolean, normalized = false) => ({ content, lstrip: false, normalized, rstrip: false, single_word: false, special });

const byteLevel = (addPrefixSpace: boolean, trimOffsets: boolean, useRegex: boolean) => ({
  type: 'ByteLevel',
  add_prefix_space: addPrefixSpace,
  trim_offsets: trimOffsets,
  use_regex: useRegex,
});

/** TemplateProcessing that puts `bos` before the sequence (Llama 2, Llama 3, Gemma), as transformers writes it. */
const bosTemplate = (bos: string, bosId: number) => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [
    { SpecialToken: { id: bos, type_id: 0 } },
    { Sequence: { id: 'A', type_id: 0 } },
    { SpecialToken: { id: bos, type_id: 1 } },
    { Sequence: { id: 'B', type_id: 1 } },
  ],
  special_tokens: { [bos]: { id: bos, ids: [bosId], tokens: [bos] } },
});

const bpeModel = (vocab: Record<string, number>, merges: string[] | [string, string][], o: Partial<Record<string, unknown>> = {}) => ({
  type: 'BPE',
  dropout: null,
  unk_token: null,
  continuing_subword_prefix: null,
  end_of_word_suffix: null,
  fuse_unk: false,
  byte_fallback: false,
  ignore_merges: false,
  ...o,
  vocab,
  merges,
});

const document = (parts: Record<string, unknown>): Record<string, unknown> => ({ version: '1.0', truncation: null, padding: null, ...parts });

/** Llama 3 and Qwen pre-tokenisation regexes, exactly as their tokenizer.json files hold them. */
export const LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * Texts that exercise the corners of the pre-tokenisers and decoders: contractions (with ſ, which Rust's case-insensitive
 * match takes for s), 4+ digit numbers, CRLF and blank lines, trailing and Unicode spaces (U+0085 is White_Space,
 * U+FEFF is not), emoji and ZWJ sequences, CJK, every family's special tokens written literally, combining accents
 * (Qwen's NFC), control characters, long runs.
 */
export const TRICKY_TEXTS: readonly string[] = [
  "I'm sure they'll say it's fine, we've HE'S y'all DON'T 'S 'll I'D",
  "it'\u017f IT'\u017f 'K 'k \u212a",
  "12345678 3.14159 1,000,000 \u0661\u0662\u0663\u0664\u0665 \u00bd \u216b 0x1F 007",
  "line1\r\nline2\r\n\r\nline3\n\n\n  \n  x\r\r\n",
  "hello   ",
  "  leading and trailing  ",
  "a  b   c    d\t\te",
  "I \u2764\ufe0f \ud83e\udd99\ud83d\udc2a \ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66 \ud83e\udee9!",
  "\u4f60\u597d\uff0c\u4e16\u754c\uff01\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3002\ud55c\uad6d\uc5b4",
  "<|begin_of_text|>Hello<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
  "<s>hi</s> <s> x</s>",
  "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
  "<start_of_turn>user\nhi<end_of_turn>\n<bos>x<eos>",
  "<tool_call>x</tool_call><think>y</think><|endoftext|>",
  "<|im_start <<|endoftext|>> <|endoftext|><|endoftext|>",
  "\u00a0nbsp\u2009thin\u3000ideo\u0085nel\ufeffbom\u200bzwsp\t\ttabs\u000b\f end",
  "e\u0301 caf\u00e9 cafe\u0301 \u212b \u1e9b\u0323",
  "",
  " ",
  "\n",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "\u00fcn\u00efc\u00f6d\u00e9 \u03a9\u03bc\u03ad\u03b3\u03b1 \u041f\u0440\u0438\u0432\u0435\u0442",
  "Hello, world! It's 2024-05-12T10:00:00Z; price $1,234.56 (approx.) \u2014 \u201cquotes\u201d \u2018single\u2019 \u2026 #hashtag @user https://example.com/path?q=1&x=2",
  "def f(x):\n    return x**2  # comment\n\tif x != 0:\n        pass\n",
  "The the THE tHe ... !!! ??? \"quoted\" 'single' ``tick``",
  "\ufffd replacement \udbff\udfff max \u0000 nul \u001b[0m esc",
  "IT'\u017fT it'\u017ft it'St",
  "a\ufeff\ufeffb a \ufeff b \ufeff",
  "a \u0085\u0085 b x\u0085\n y\u0085 ",
  "end\ufeff  \u0085",
  "\u2028line\u2029sep\u200b\u200b \u180e\u180e x\u1680\u1680",
  "word\u00a0\u00a0 \u00a0x",
  "tab\t\t\n\t",
  "\r\n\r\n",
  "12 123 1234 12345 \u0661\u0662\u0663\u0664 3.14 10,000",
];

// ---------------------------------------------------------------------------------------------------------------
// Chat templates, as the real tokenizer_config.json files carry them

const LLAMA3_CHAT =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

const TINYLLAMA_CHAT =
  "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

const SMOLLM2_CHAT =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

const QWEN2_CHAT =
  '{%- if tools %}\n    {{- \'<|im_start|>system\\n\' }}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- messages[0][\'content\'] }}\n    {%- else %}\n        {{- \'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.\' }}\n    {%- endif %}\n    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    {%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n{%- else %}\n    {%- if messages[0][\'role\'] == \'system\' %}\n        {{- \'<|im_start|>system\\n\' + messages[0][\'content\'] + \'<|im_end|>\\n\' }}\n    {%- else %}\n        {{- \'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n\' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}\n        {{- \'<|im_start|>\' + message.role + \'\\n\' + message.content + \'<|im_end|>\' + \'\\n\' }}\n    {%- elif message.role == "assistant" %}\n        {{- \'<|im_start|>\' + message.role }}\n        {%- if message.content %}\n            {{- \'\\n\' + message.content }}\n        {%- endif %}\n        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n            {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n            {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n            {{- \'}\\n</tool_call>\' }}\n        {%- endfor %}\n        {{- \'<|im_end|>\\n\' }}\n    {%- elif message.role == "tool" %}\n        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}\n            {{- \'<|im_start|>user\' }}\n        {%- endif %}\n        {{- \'\\n<tool_response>\\n\' }}\n        {{- message.content }}\n        {{- \'\\n</tool_response>\' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}\n            {{- \'<|im_end|>\\n\' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- \'<|im_start|>assistant\\n\' }}\n{%- endif %}\n';

const QWEN3_CHAT =
  "{%- for message in messages %}\n    {{- '<|im_start|>' + message.role + '\\n' }}\n    {%- if message.role == \"assistant\" and message.reasoning_content is defined %}\n        {{- '<think>\\n' + message.reasoning_content.strip('\\n') + '\\n</think>\\n\\n' }}\n    {%- endif %}\n    {{- message.content + '<|im_end|>\\n' }}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n    {%- if enable_thinking is defined and enable_thinking is false %}\n        {{- '<think>\\n\\n</think>\\n\\n' }}\n    {%- endif %}\n{%- endif %}";

const GEMMA3_CHAT =
  "{{ bos_token }}\n{%- if messages[0]['role'] == 'system' -%}\n    {%- if messages[0]['content'] is string -%}\n        {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}\n    {%- else -%}\n        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\n\n' -%}\n    {%- endif -%}\n    {%- set loop_messages = messages[1:] -%}\n{%- else -%}\n    {%- set first_user_prefix = \"\" -%}\n    {%- set loop_messages = messages -%}\n{%- endif -%}\n{%- for message in loop_messages -%}\n    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}\n        {{ raise_exception(\"Conversation roles must alternate user/assistant/user/assistant/...\") }}\n    {%- endif -%}\n    {%- if (message['role'] == 'assistant') -%}\n        {%- set role = \"model\" -%}\n    {%- else -%}\n        {%- set role = message['role'] -%}\n    {%- endif -%}\n    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else \"\") }}\n    {%- if message['content'] is string -%}\n        {{ message['content'] | trim }}\n    {%- elif message['content'] is iterable -%}\n        {%- for item in message['content'] -%}\n            {%- if item['type'] == 'image' -%}\n                {{ '<start_of_image>' }}\n            {%- elif item['type'] == 'text' -%}\n                {{ item['text'] | trim }}\n            {%- endif -%}\n        {%- endfor -%}\n    {%- else -%}\n        {{ raise_exception(\"Invalid content type\") }}\n    {%- endif -%}\n    {{ '<end_of_turn>\n' }}\n{%- endfor -%}\n{%- if add_generation_prompt -%}\n    {{'<start_of_turn>model\n'}}\n{%- endif -%}\n";

// ---------------------------------------------------------------------------------------------------------------
// Vocabularies

/** GPT-2's first `n` tokens (ids offset by `offset`) and the n − 256 merges that build them. */
function byteLevelVocab(gpt2: Gpt2Files, n: number, offset: number): { vocab: Record<string, number>; merges: [string, string][] } {
  if (n < 256) throw new Error(`familyTokenizers: a byte-level vocabulary needs at least 256 tokens, got ${n}.`);
  if (n > gpt2.tokens.length - 1) throw new Error(`familyTokenizers: GPT-2 has ${gpt2.tokens.length - 1} BPE tokens, asked for ${n}.`);
  const vocab: Record<string, number> = {};
  for (let id = 0; id < n; id++) vocab[gpt2.tokens[id]] = id + offset;
  return { vocab, merges: gpt2.merges.slice(0, n - 256) };
}

/** GPT-2's byte-level character → the SentencePiece piece text, or undefined when the piece set leaves it out. */
function sentencePieceText(token: string, newlines: boolean): string | undefined {
  let out = '';
  for (const ch of token) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x21 && code <= 0x7e) out += ch;
    else if (ch === 'Ġ') out += '▁'; // space
    else if (newlines && ch === 'Ċ') out += '\n';
    else if (newlines && ch === 'ĉ') out += '\t';
    else return undefined;
  }
  return out;
}

const byteToken = (b: number) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;

/**
 * SentencePiece-style vocabulary: `head` tokens at ids 0…, the 256 byte pieces, single characters, then merged pieces
 * from GPT-2's merges (over printable ASCII and ▁; newline and tab too for Gemma) until `total` ids are used.
 */
function sentencePieceVocab(gpt2: Gpt2Files, head: string[], total: number, newlines: boolean): { vocab: Record<string, number>; merges: [string, string][] } {
  const vocab: Record<string, number> = {};
  let next = 0;
  const add = (piece: string) => {
    if (piece in vocab) throw new Error(`familyTokenizers: duplicate piece ${JSON.stringify(piece)}.`);
    vocab[piece] = next++;
  };
  head.forEach(add);
  for (let b = 0; b < 256; b++) add(byteToken(b));
  const chars = ['▁', ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)), ...(newlines ? ['\n', '\t'] : [])];
  chars.forEach(add);
  if (next > total) throw new Error(`familyTokenizers: a SentencePiece-style vocabulary needs at least ${next} ids, got ${total}.`);
  const merges: [string, string][] = [];
  for (const [a, b] of gpt2.merges) {
    if (next >= total) break;
    const pa = sentencePieceText(a, newlines);
    const pb = sentencePieceText(b, newlines);
    if (pa === undefined || pb === undefined || !(pa in vocab) || !(pb in vocab)) continue;
    const piece = pa + pb;
    if (piece in vocab) continue;
    add(piece);
    merges.push([pa, pb]);
  }
  return { vocab, merges };
}

const asStrings = (merges: [string, string][]) => merges.map(([a, b]) => `${a} ${b}`);

// ---------------------------------------------------------------------------------------------------------------
// Families

interface SpecialSpec {
  content: string;
  special?: boolean;
}

/** Appends `specials` after `base` BPE ids; returns tokenizer.json added_tokens and content → id. */
function placeSpecials(specials: SpecialSpec[], first: number) {
  const ids: Record<string, number> = {};
  const addedTokens = specials.map((s, i) => {
    ids[s.content] = first + i;
    return added(first + i, s.content, s.special ?? true);
  });
  return { ids, addedTokens };
}

const configDecoder = (addedTokens: ReturnType<typeof added>[]) =>
  Object.fromEntries(addedTokens.map((t) => [String(t.id), decoderEntry(t.content, t.special, t.normalized)]));

function expectations(addedTokens: ReturnType<typeof added>[], rest: Omit<FamilyExpectations, 'specials' | 'nonSpecial'>): FamilyExpectations {
  const specials: Record<string, number> = {};
  const nonSpecial: Record<string, number> = {};
  for (const t of addedTokens) (t.special ? specials : nonSpecial)[t.content] = t.id;
  return { ...rest, specials, nonSpecial };
}

function gpt2Family(gpt2: Gpt2Files, V: number): FamilyTokenizer {
  const { vocab, merges } = byteLevelVocab(gpt2, V - 1, 0);
  const eot = added(V - 1, '<|endoftext|>', true, true);
  vocab['<|endoftext|>'] = V - 1;
  const tokenizer = document({
    added_tokens: [eot],
    normalizer: null,
    pre_tokenizer: byteLevel(false, true, true),
    post_processor: byteLevel(true, false, true),
    decoder: byteLevel(true, true, true),
    model: bpeModel(vocab, asStrings(merges), { continuing_subword_prefix: '', end_of_word_suffix: '' }),
  });
  delete (tokenizer.model as Record<string, unknown>).ignore_merges; // GPT-2's file predates the field
  return {
    family: 'gpt2',
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': { model_max_length: 1024 },
      'generation_config.json': { _from_model_config: true, bos_token_id: V - 1, eos_token_id: V - 1, transformers_version: '4.26.0.dev0' },
    },
    expect: expectations([eot], { bosId: V - 1, eosIds: [V - 1], padId: null, addBos: false, chat: null }),
  };
}

const SMOLLM2_SPECIALS = [
  '<|endoftext|>', '<|im_start|>', '<|im_end|>', '<repo_name>', '<reponame>', '<file_sep>', '<filename>', '<gh_stars>', '<issue_start>',
  '<issue_comment>', '<issue_closed>', '<jupyter_start>', '<jupyter_text>', '<jupyter_code>', '<jupyter_output>', '<jupyter_script>', '<empty_output>',
];

function smolLm2Family(gpt2: Gpt2Files, V: number, variant: 'base' | 'instruct'): FamilyTokenizer {
  const { ids, addedTokens } = placeSpecials(SMOLLM2_SPECIALS.map((content) => ({ content })), 0);
  const { vocab, merges } = byteLevelVocab(gpt2, V - SMOLLM2_SPECIALS.length, SMOLLM2_SPECIALS.length);
  for (const [content, id] of Object.entries(ids)) vocab[content] = id;
  const tokenizer = document({
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, byteLevel(false, true, true)] },
    post_processor: byteLevel(true, false, true),
    decoder: byteLevel(true, true, true),
    model: bpeModel(vocab, asStrings(merges)),
  });
  const instruct = variant === 'instruct';
  const [bos, eos] = instruct ? ['<|im_start|>', '<|im_end|>'] : ['<|endoftext|>', '<|endoftext|>'];
  const config: Record<string, unknown> = {
    add_prefix_space: false,
    added_tokens_decoder: configDecoder(addedTokens),
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    bos_token: bos,
    clean_up_tokenization_spaces: false,
    eos_token: eos,
    model_max_length: 8192,
    ...(instruct ? { pad_token: '<|im_end|>' } : {}),
    tokenizer_class: 'GPT2Tokenizer',
    unk_token: '<|endoftext|>',
    vocab_size: V,
    ...(instruct ? { chat_template: SMOLLM2_CHAT } : {}),
  };
  const generation = instruct
    ? { bos_token_id: ids['<|im_start|>'], eos_token_id: ids['<|im_end|>'], pad_token_id: ids['<|im_end|>'], transformers_version: '4.42.3' }
    : { _from_model_config: true, bos_token_id: 0, eos_token_id: 0, transformers_version: '4.40.1' };
  return {
    family: 'smollm2',
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': config,
      'special_tokens_map.json': { additional_special_tokens: ['<|im_start|>', '<|im_end|>'], bos_token: { content: bos, lstrip: false, normalized: false, rstrip: false, single_word: false }, eos_token: { content: eos, lstrip: false, normalized: false, rstrip: false, single_word: false }, unk_token: { content: '<|endoftext|>', lstrip: false, normalized: false, rstrip: false, single_word: false } },
      'generation_config.json': generation,
    },
    expect: expectations(addedTokens, {
      bosId: ids[bos],
      eosIds: [ids[eos]],
      padId: instruct ? ids['<|im_end|>'] : null,
      addBos: false,
      chat: { start: '<|im_start|>', end: '<|im_end|>' },
    }),
  };
}

// Llama 3.1 / 3.2's first eleven special tokens (the rest are <|reserved_special_token_3|> … _247|>).
const LLAMA3_SPECIALS = [
  '<|begin_of_text|>', '<|end_of_text|>', '<|reserved_special_token_0|>', '<|reserved_special_token_1|>', '<|finetune_right_pad_id|>',
  '<|reserved_special_token_2|>', '<|start_header_id|>', '<|end_header_id|>', '<|eom_id|>', '<|eot_id|>', '<|python_tag|>',
];

function llama3Family(gpt2: Gpt2Files, V: number, variant: 'base' | 'instruct'): FamilyTokenizer {
  const nBpe = V - LLAMA3_SPECIALS.length;
  const { vocab, merges } = byteLevelVocab(gpt2, nBpe, 0);
  const { ids, addedTokens } = placeSpecials(LLAMA3_SPECIALS.map((content) => ({ content })), nBpe);
  const bosId = ids['<|begin_of_text|>'];
  const tokenizer = document({
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: LLAMA3_PATTERN }, behavior: 'Isolated', invert: false }, byteLevel(false, true, false)] },
    post_processor: { type: 'Sequence', processors: [byteLevel(true, false, true), bosTemplate('<|begin_of_text|>', bosId)] },
    decoder: byteLevel(true, true, true),
    model: bpeModel(vocab, asStrings(merges), { ignore_merges: true }),
  });
  const instruct = variant === 'instruct';
  const eos = instruct ? '<|eot_id|>' : '<|end_of_text|>';
  const genEos = instruct ? [ids['<|end_of_text|>'], ids['<|eom_id|>'], ids['<|eot_id|>']] : ids['<|end_of_text|>'];
  return {
    family: 'llama3',
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': {
        added_tokens_decoder: configDecoder(addedTokens),
        bos_token: '<|begin_of_text|>',
        ...(instruct ? { chat_template: LLAMA3_CHAT } : {}),
        clean_up_tokenization_spaces: true,
        eos_token: eos,
        model_input_names: ['input_ids', 'attention_mask'],
        model_max_length: 131072,
        tokenizer_class: 'PreTrainedTokenizerFast',
      },
      'special_tokens_map.json': { bos_token: { content: '<|begin_of_text|>', lstrip: false, normalized: false, rstrip: false, single_word: false }, eos_token: { content: eos, lstrip: false, normalized: false, rstrip: false, single_word: false } },
      'generation_config.json': { bos_token_id: bosId, do_sample: true, eos_token_id: genEos, temperature: 0.6, top_p: 0.9, transformers_version: '4.45.0.dev0' },
    },
    expect: expectations(addedTokens, {
      bosId,
      eosIds: instruct ? [ids['<|eot_id|>'], ids['<|end_of_text|>'], ids['<|eom_id|>']] : [ids['<|end_of_text|>']],
      padId: null,
      addBos: true,
      chat: { start: '<|start_header_id|>', end: '<|eot_id|>' },
    }),
  };
}

const QWEN2_SPECIALS: SpecialSpec[] = [
  { content: '<|endoftext|>' }, { content: '<|im_start|>' }, { content: '<|im_end|>' }, { content: '<|object_ref_start|>' }, { content: '<|object_ref_end|>' },
  { content: '<|box_start|>' }, { content: '<|box_end|>' }, { content: '<|quad_start|>' }, { content: '<|quad_end|>' }, { content: '<|vision_start|>' },
  { content: '<|vision_end|>' }, { content: '<|vision_pad|>' }, { content: '<|image_pad|>' }, { content: '<|video_pad|>' },
  { content: '<tool_call>', special: false }, { content: '</tool_call>', special: false }, { content: '<|fim_prefix|>', special: false },
  { content: '<|fim_middle|>', special: false }, { content: '<|fim_suffix|>', special: false }, { content: '<|fim_pad|>', special: false },
  { content: '<|repo_name|>', special: false }, { content: '<|file_sep|>', special: false },
];
const QWEN3_EXTRA: SpecialSpec[] = [
  { content: '<tool_response>', special: false }, { content: '</tool_response>', special: false }, { content: '<think>', special: false }, { content: '</think>', special: false },
];

function qwenFamily(gpt2: Gpt2Files, V: number, family: 'qwen2' | 'qwen3', variant: 'base' | 'instruct'): FamilyTokenizer {
  const specials = family === 'qwen3' ? [...QWEN2_SPECIALS, ...QWEN3_EXTRA] : QWEN2_SPECIALS;
  const nBpe = V - specials.length;
  const { vocab, merges } = byteLevelVocab(gpt2, nBpe, 0);
  const { ids, addedTokens } = placeSpecials(specials, nBpe);
  const tokenizer = document({
    added_tokens: addedTokens,
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Split', pattern: { Regex: QWEN2_PATTERN }, behavior: 'Isolated', invert: false }, byteLevel(false, false, false)] },
    post_processor: byteLevel(false, false, false),
    decoder: byteLevel(false, false, false),
    // Qwen3's file is written by tokenizers ≥ 0.20 (merges as pairs); Qwen2.5's as "a b" strings.
    model: bpeModel(vocab, family === 'qwen3' ? merges : asStrings(merges), { continuing_subword_prefix: '', end_of_word_suffix: '' }),
  });
  const instruct = variant === 'instruct';
  const eos = instruct ? '<|im_end|>' : '<|endoftext|>';
  const endoftext = ids['<|endoftext|>'];
  return {
    family,
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': {
        add_prefix_space: false,
        added_tokens_decoder: configDecoder(addedTokens),
        additional_special_tokens: ['<|im_start|>', '<|im_end|>', '<|object_ref_start|>', '<|object_ref_end|>', '<|box_start|>', '<|box_end|>', '<|quad_start|>', '<|quad_end|>', '<|vision_start|>', '<|vision_end|>', '<|vision_pad|>', '<|image_pad|>', '<|video_pad|>'],
        bos_token: null,
        chat_template: family === 'qwen3' ? QWEN3_CHAT : QWEN2_CHAT,
        clean_up_tokenization_spaces: false,
        eos_token: eos,
        errors: 'replace',
        model_max_length: 131072,
        pad_token: '<|endoftext|>',
        split_special_tokens: false,
        tokenizer_class: 'Qwen2Tokenizer',
        unk_token: null,
      },
      'generation_config.json': instruct
        ? { bos_token_id: endoftext, do_sample: true, eos_token_id: [ids['<|im_end|>'], endoftext], pad_token_id: endoftext, repetition_penalty: 1.05, temperature: 0.7, top_k: 20, top_p: 0.8, transformers_version: '4.51.0' }
        : { bos_token_id: endoftext, do_sample: false, eos_token_id: endoftext, max_new_tokens: 2048, transformers_version: '4.51.0' },
    },
    expect: expectations(addedTokens, {
      bosId: endoftext, // tokenizer_config says null; generation_config names <|endoftext|>, which is never added
      eosIds: instruct ? [ids['<|im_end|>'], endoftext] : [endoftext],
      padId: endoftext,
      addBos: false,
      chat: { start: '<|im_start|>', end: '<|im_end|>' },
    }),
  };
}

function llama2Family(gpt2: Gpt2Files, V: number, style: 'legacy' | 'metaspace'): FamilyTokenizer {
  const { vocab, merges } = sentencePieceVocab(gpt2, ['<unk>', '<s>', '</s>'], V, false);
  const addedTokens = [added(0, '<unk>'), added(1, '<s>'), added(2, '</s>')];
  const legacy = style === 'legacy';
  const tokenizer = document({
    added_tokens: addedTokens,
    normalizer: legacy ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] } : null,
    pre_tokenizer: legacy ? null : { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false },
    post_processor: bosTemplate('<s>', 1),
    decoder: {
      type: 'Sequence',
      decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
    },
    model: bpeModel(vocab, asStrings(merges), { unk_token: '<unk>', fuse_unk: true, byte_fallback: true }),
  });
  const tokenObject = (content: string) => ({ __type: 'AddedToken', content, lstrip: false, normalized: false, rstrip: false, single_word: false });
  return {
    family: 'llama2',
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      // TinyLlama-1.1B-Chat-v1.0: strings; Llama-2-7b-hf spells the same tokens as {"__type": "AddedToken", …} objects.
      'tokenizer_config.json': {
        add_bos_token: true,
        add_eos_token: false,
        added_tokens_decoder: configDecoder(addedTokens),
        bos_token: legacy ? '<s>' : tokenObject('<s>'),
        chat_template: TINYLLAMA_CHAT,
        clean_up_tokenization_spaces: false,
        eos_token: legacy ? '</s>' : tokenObject('</s>'),
        legacy: false,
        model_max_length: 2048,
        pad_token: '</s>',
        padding_side: 'right',
        sp_model_kwargs: {},
        tokenizer_class: 'LlamaTokenizer',
        unk_token: legacy ? '<unk>' : tokenObject('<unk>'),
        use_default_system_prompt: false,
      },
      'special_tokens_map.json': { bos_token: { content: '<s>', lstrip: false, normalized: false, rstrip: false, single_word: false }, eos_token: { content: '</s>', lstrip: false, normalized: false, rstrip: false, single_word: false }, pad_token: '</s>', unk_token: { content: '<unk>', lstrip: false, normalized: false, rstrip: false, single_word: false } },
      'generation_config.json': { bos_token_id: 1, eos_token_id: 2, max_length: 2048, pad_token_id: 0, transformers_version: '4.35.0' },
    },
    expect: expectations(addedTokens, { bosId: 1, eosIds: [2], padId: 2, addBos: true, chat: null }), // pad: tokenizer_config's pad_token wins over generation_config's 0; TinyLlama's turn markers (<|user|>) are plain text
  };
}

// Gemma 3's first ids: <pad> <eos> <bos> <unk> <mask> [multimodal] <unused0> … <unused98> <start_of_turn> <end_of_turn>
// (105, 106); shortened here to two unused tokens. <start_of_image> / <end_of_image> sit near the end of the real vocab.
const GEMMA3_HEAD = ['<pad>', '<eos>', '<bos>', '<unk>', '<mask>', '[multimodal]', '<unused0>', '<unused1>', '<start_of_turn>', '<end_of_turn>'];
const GEMMA3_TAIL = ['<start_of_image>', '<end_of_image>'];

function gemma3Family(gpt2: Gpt2Files, V: number): FamilyTokenizer {
  const { vocab, merges } = sentencePieceVocab(gpt2, GEMMA3_HEAD, V - GEMMA3_TAIL.length, true);
  const first = V - GEMMA3_TAIL.length;
  GEMMA3_TAIL.forEach((t, i) => (vocab[t] = first + i));
  const addedTokens = [...GEMMA3_HEAD.map((t, id) => added(id, t)), ...GEMMA3_TAIL.map((t, i) => added(first + i, t))];
  const tokenizer = document({
    added_tokens: addedTokens,
    normalizer: { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    pre_tokenizer: null,
    post_processor: bosTemplate('<bos>', 2),
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
    model: bpeModel(vocab, merges, { unk_token: '<unk>', fuse_unk: true, byte_fallback: true }),
  });
  return {
    family: 'gemma3',
    vocabSize: V,
    files: {
      'tokenizer.json': tokenizer,
      'tokenizer_config.json': {
        add_bos_token: true,
        add_eos_token: false,
        added_tokens_decoder: configDecoder(addedTokens),
        boi_token: '<start_of_image>',
        bos_token: '<bos>',
        chat_template: GEMMA3_CHAT,
        clean_up_tokenization_spaces: false,
        eoi_token: '<end_of_image>',
        eos_token: '<eos>',
        extra_special_tokens: { boi_token: '<start_of_image>', eoi_token: '<end_of_image>' },
        model_max_length: 1e30, // the real file's 1000000000000000019884624838656
        pad_token: '<pad>',
        padding_side: 'left',
        processor_class: 'Gemma3Processor',
        sp_model_kwargs: null,
        spaces_between_special_tokens: false,
        tokenizer_class: 'GemmaTokenizer',
        unk_token: '<unk>',
        use_default_system_prompt: false,
      },
      'special_tokens_map.json': {
        boi_token: '<start_of_image>',
        bos_token: { content: '<bos>', lstrip: false, normalized: false, rstrip: false, single_word: false },
        eoi_token: '<end_of_image>',
        eos_token: { content: '<eos>', lstrip: false, normalized: false, rstrip: false, single_word: false },
        pad_token: { content: '<pad>', lstrip: false, normalized: false, rstrip: false, single_word: false },
        unk_token: { content: '<unk>', lstrip: false, normalized: false, rstrip: false, single_word: false },
      },
      'generation_config.json': { bos_token_id: 2, cache_implementation: 'hybrid', do_sample: true, eos_token_id: [1, 9], pad_token_id: 0, top_k: 64, top_p: 0.95, transformers_version: '4.50.0.dev0' },
    },
    expect: expectations(addedTokens, { bosId: 2, eosIds: [1, 9], padId: 0, addBos: true, chat: { start: '<start_of_turn>', end: '<end_of_turn>' } }),
  };
}

/** The files of `family`'s tokenizer with `vocabSize` ids in all (specials included). */
export function familyTokenizer(family: Family, vocabSize: number, opts: FamilyOptions = {}): FamilyTokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize < 300) throw new Error(`familyTokenizers: vocabSize ${vocabSize} should be an integer of at least 300 (256 bytes, specials and a few merges).`);
  const gpt2 = readGpt2(opts.gpt2Dir ?? GPT2_BPE_DIR);
  const variant = opts.variant ?? 'instruct';
  switch (family) {
    case 'gpt2':
      return gpt2Family(gpt2, vocabSize);
    case 'smollm2':
      return smolLm2Family(gpt2, vocabSize, variant);
    case 'llama2':
      return llama2Family(gpt2, vocabSize, opts.llama2Style ?? 'legacy');
    case 'llama3':
      return llama3Family(gpt2, vocabSize, variant);
    case 'qwen2':
    case 'qwen3':
      return qwenFamily(gpt2, vocabSize, family, variant);
    case 'gemma3':
      return gemma3Family(gpt2, vocabSize);
  }
}

/** Writes the family's files into `dir` (created if missing); returns `dir`. */
export function writeFamilyTokenizer(dir: string, tok: FamilyTokenizer): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, json] of Object.entries(tok.files)) writeFileSync(join(dir, name), JSON.stringify(json, null, 2));
  return dir;
}

/** Vocabulary size of the fixtures hf-reference.json was made for. */
export const REFERENCE_VOCAB = 1024;

/**
 * The fixtures hf-reference.json holds Hugging Face's output for: every family at `vocabSize` ids, Llama 2 also in
 * its newer Metaspace form, and GPT-2 whole (50,257 ids: the same tokenizer.json as openai-community/gpt2's).
 */
export function referenceFixtures(vocabSize = REFERENCE_VOCAB, opts: Omit<FamilyOptions, 'llama2Style'> = {}): Record<string, FamilyTokenizer> {
  const out: Record<string, FamilyTokenizer> = {};
  for (const family of FAMILIES) out[family] = familyTokenizer(family, vocabSize, opts);
  out['llama2-metaspace'] = familyTokenizer('llama2', vocabSize, { ...opts, llama2Style: 'metaspace' });
  out['gpt2-50257'] = familyTokenizer('gpt2', 50257, opts);
  return out;
}
