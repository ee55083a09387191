import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderTokenizerFromFiles, loadFolderTokenizer } from '../../../main/trainer/tokenizers/modelTokenizerFiles';
import { familyTokenizer, FAMILIES, GPT2_BPE_DIR, writeFamilyTokenizer, type Family } from '../../helpers/familyTokenizers';

const present = existsSync(GPT2_BPE_DIR);
if (!present) console.warn(`modelTokenizerFiles.test: ${GPT2_BPE_DIR} (GPT-2's encoder.json and vocab.bpe) not found; skipping the family folder tests.`);
const TOK512_MODEL = resolve(__dirname, '../../../resources/models/stories260k/tok512.model');

const root = mkdtempSync(join(tmpdir(), 'tb-foldertok-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folderWith = (files: Record<string, unknown>) => {
  const dir = join(root, `f${n++}`);
  writeFamilyTokenizer(dir, { family: 'gpt2', vocabSize: 0, files, expect: {} as never });
  return dir;
};
const family = (f: Family, V = 512, variant: 'base' | 'instruct' = 'instruct') => familyTokenizer(f, V, { variant });

describe.skipIf(!present)('loadFolderTokenizer on each family', () => {
  describe.each(FAMILIES)('%s', (name) => {
    const fixture = present ? family(name) : (undefined as never);
    const tok = () => loadFolderTokenizer(writeFamilyTokenizer(join(root, name), fixture));

    it('reads BOS, EOS, pad, the special ids and the chat template from the configs', () => {
      const t = tok();
      expect(t.source).toBe('tokenizer.json');
      expect(t.vocabSize).toBe(512);
      expect(t.bosId).toBe(fixture.expect.bosId);
      expect(t.eosIds).toEqual(fixture.expect.eosIds);
      expect(t.padId).toBe(fixture.expect.padId);
      expect(t.addBos).toBe(fixture.expect.addBos);
      expect(t.addEos).toBe(false);
      for (const id of Object.values(fixture.expect.specials)) expect(t.specialIds.has(id)).toBe(true);
      for (const id of Object.values(fixture.expect.nonSpecial)) expect(t.specialIds.has(id)).toBe(false);
      expect(t.chatTemplate).toBe((fixture.files['tokenizer_config.json'] as { chat_template?: string }).chat_template ?? null);
      if (fixture.expect.chat) expect(t.chatTemplate).toContain(fixture.expect.chat.start);
    });

    it('adds BOS once when the family does, and nothing when asked not to', () => {
      const t = tok();
      const plain = t.encode('Hello world', { addSpecial: false });
      const withSpecial = t.encode('Hello world');
      expect(withSpecial).toEqual(fixture.expect.addBos ? [t.bosId, ...plain] : plain);
      if (t.bosId !== null && fixture.expect.addBos) {
        const bos = t.tokenizer.token(t.bosId)!;
        const ids = t.encode(`${bos}Hello world`);
        expect(ids.filter((id) => id === t.bosId)).toHaveLength(1);
        expect(ids[0]).toBe(t.bosId);
      }
    });

    it('matches special tokens whole and leaves them out of decoding unless asked', () => {
      const t = tok();
      const chat = fixture.expect.chat;
      if (!chat) return;
      const text = `${chat.start}user\nHi there${chat.end}`;
      const ids = t.encode(text, { addSpecial: false });
      expect(ids).toContain(t.tokenId(chat.start));
      expect(ids).toContain(t.tokenId(chat.end));
      expect(t.decode(ids, { skipSpecial: false })).toBe(text);
      const skipped = t.decode(ids);
      expect(skipped).not.toContain(chat.end);
      expect(skipped).toContain('Hi there');
    });
  });

  it('keeps Qwen\'s non-special added tokens (<tool_call>, <think>) when skipping specials', () => {
    const t = loadFolderTokenizer(writeFamilyTokenizer(join(root, 'qwen3-think'), family('qwen3')));
    const ids = t.encode('<|im_start|>assistant\n<think>hmm</think><tool_call>{}</tool_call><|im_end|>', { addSpecial: false });
    expect(t.decode(ids)).toBe('assistant\n<think>hmm</think><tool_call>{}</tool_call>');
  });

  it('takes the base variants\' single EOS, and generation_config\'s list for instruct ones', () => {
    const base = loadFolderTokenizer(writeFamilyTokenizer(join(root, 'llama3-base'), family('llama3', 512, 'base')));
    expect(base.eosIds).toEqual([base.tokenId('<|end_of_text|>')]);
    const instruct = loadFolderTokenizer(writeFamilyTokenizer(join(root, 'llama3-instruct'), family('llama3')));
    expect(instruct.eosIds).toEqual(['<|eot_id|>', '<|end_of_text|>', '<|eom_id|>'].map((t) => instruct.tokenId(t)));
  });

  it('reads {"content": …} token objects (Llama-2-7b-hf), and follows add_bos_token over the post-processor', () => {
    const fixture = family('llama2');
    const config = { ...(fixture.files['tokenizer_config.json'] as object), bos_token: { __type: 'AddedToken', content: '<s>', lstrip: false } };
    const t = folderTokenizerFromFiles({ tokenizerJson: fixture.files['tokenizer.json'], tokenizerConfig: config });
    expect(t.bosId).toBe(1);
    expect(t.encode('hi')[0]).toBe(1);
    const off = folderTokenizerFromFiles({ tokenizerJson: fixture.files['tokenizer.json'], tokenizerConfig: { ...config, add_bos_token: false, add_eos_token: true } });
    expect(off.addBos).toBe(false);
    expect(off.addEos).toBe(true);
    expect(off.encode('hi')).toEqual([...off.encode('hi', { addSpecial: false }), 2]);
  });

  it('reads model_max_length, with transformers\' 1e30 as no limit', () => {
    expect(loadFolderTokenizer(writeFamilyTokenizer(join(root, 'gemma-len'), family('gemma3'))).modelMaxLength).toBeNull();
    expect(loadFolderTokenizer(writeFamilyTokenizer(join(root, 'smol-len'), family('smollm2'))).modelMaxLength).toBe(8192);
  });

  it('reads chat templates from the list form, chat_template.jinja and chat_template.json', () => {
    const fixture = family('qwen2');
    const { chat_template: _, ...config } = fixture.files['tokenizer_config.json'] as Record<string, unknown>;
    const listed = folderTokenizerFromFiles({
      tokenizerJson: fixture.files['tokenizer.json'],
      tokenizerConfig: { ...config, chat_template: [{ name: 'tool_use', template: 'T' }, { name: 'default', template: 'D' }] },
    });
    expect(listed.chatTemplate).toBe('D');
    expect(listed.chatTemplates).toEqual({ tool_use: 'T', default: 'D' });
    const dir = folderWith({ 'tokenizer.json': fixture.files['tokenizer.json'], 'tokenizer_config.json': config });
    writeFileSync(join(dir, 'chat_template.jinja'), '{{ messages }}');
    expect(loadFolderTokenizer(dir).chatTemplate).toBe('{{ messages }}');
    const asJson = folderTokenizerFromFiles({ tokenizerJson: fixture.files['tokenizer.json'], tokenizerConfig: config, chatTemplateJson: { chat_template: 'J' } });
    expect(asJson.chatTemplate).toBe('J');
  });

  it('works from tokenizer.json alone', () => {
    const dir = folderWith({ 'tokenizer.json': family('llama3').files['tokenizer.json'] });
    const t = loadFolderTokenizer(dir);
    expect(t.bosId).toBe(t.tokenId('<|begin_of_text|>'));
    expect(t.addBos).toBe(true);
    expect(t.eosIds).toEqual([t.tokenId('<|end_of_text|>')]);
    expect(t.chatTemplate).toBeNull();
  });

  it('prefers tokenizer.json to tokenizer.model', () => {
    const dir = folderWith(family('llama2').files);
    copyFileSync(TOK512_MODEL, join(dir, 'tokenizer.model'));
    expect(loadFolderTokenizer(dir).source).toBe('tokenizer.json');
  });
});

describe('loadFolderTokenizer with only tokenizer.model', () => {
  it('reads the SentencePiece model (tok512) with BOS added once, as LlamaTokenizer does', () => {
    const dir = join(root, 'spm');
    writeFamilyTokenizer(dir, { family: 'llama2', vocabSize: 0, files: { 'generation_config.json': { bos_token_id: 1, eos_token_id: 2 } }, expect: {} as never });
    copyFileSync(TOK512_MODEL, join(dir, 'tokenizer.model'));
    const t = loadFolderTokenizer(dir);
    expect(t.source).toBe('tokenizer.model');
    expect(t.vocabSize).toBe(512);
    expect([t.bosId, t.eosIds, t.addBos]).toEqual([1, [2], true]);
    const ids = t.encode('Once upon a time, there was a cat.');
    expect(ids[0]).toBe(1);
    expect(t.encode('<s>Once')).toEqual(t.encode('Once'));
    expect(t.decode(ids)).toBe('Once upon a time, there was a cat.');
    expect(t.decode([...ids, 2], { skipSpecial: false })).toBe('<s> Once upon a time, there was a cat.</s>');
  });
});

describe.skipIf(!present)('loadFolderTokenizer refuses malformed folders, naming the file and field', () => {
  const good = () => family('llama3').files;
  const refuse = (files: Record<string, unknown>, message: RegExp) => expect(() => loadFolderTokenizer(folderWith(files))).toThrow(message);

  it('names a folder without a tokenizer', () => {
    expect(() => loadFolderTokenizer(folderWith({ 'tokenizer_config.json': {} }))).toThrow(/no tokenizer\.json or tokenizer\.model/);
  });

  it('names a file that is not JSON', () => {
    const dir = folderWith(good());
    writeFileSync(join(dir, 'tokenizer_config.json'), '{"bos_token": ');
    expect(() => loadFolderTokenizer(dir)).toThrow(/tokenizer_config\.json: not valid JSON/);
  });

  it('names config fields of the wrong type or with unknown tokens', () => {
    const config = good()['tokenizer_config.json'] as Record<string, unknown>;
    refuse({ ...good(), 'tokenizer_config.json': { ...config, eos_token: '<|nope|>' } }, /tokenizer_config\.json: eos_token "<\|nope\|>" is not a token of/);
    refuse({ ...good(), 'tokenizer_config.json': { ...config, bos_token: 7 } }, /tokenizer_config\.json: bos_token should be a token string/);
    refuse({ ...good(), 'tokenizer_config.json': { ...config, add_bos_token: 'yes' } }, /tokenizer_config\.json: add_bos_token should be true or false/);
    refuse({ ...good(), 'tokenizer_config.json': { ...config, chat_template: 3 } }, /tokenizer_config\.json: chat_template should be a string or a list/);
    refuse({ ...good(), 'tokenizer_config.json': { ...config, chat_template: [{ name: 'x' }] } }, /chat_template\[0\] should be/);
    refuse({ ...good(), 'tokenizer_config.json': { ...config, model_max_length: '2048' } }, /model_max_length should be a number/);
    refuse({ ...good(), 'tokenizer_config.json': [] }, /tokenizer_config\.json: should be a JSON object/);
  });

  it('names generation_config.json ids that are not ids of the tokenizer', () => {
    refuse({ ...good(), 'generation_config.json': { eos_token_id: '2' } }, /generation_config\.json: eos_token_id should be an id or a list of ids/);
    refuse({ ...good(), 'generation_config.json': { eos_token_id: [1, 2.5] } }, /generation_config\.json: eos_token_id should be/);
    refuse({ ...good(), 'generation_config.json': { bos_token_id: 99999 } }, /generation_config\.json: bos_token_id 99999 is outside the tokenizer's 512 ids/);
  });

  it('refuses add_bos_token without any BOS token', () => {
    const doc = family('qwen2').files['tokenizer.json'] as { added_tokens: { content: string }[] };
    const noEndOfText = { ...doc, added_tokens: doc.added_tokens.filter((t) => t.content !== '<|endoftext|>') }; // nothing BOS-like by name
    refuse({ 'tokenizer.json': noEndOfText, 'tokenizer_config.json': { bos_token: null, add_bos_token: true } }, /add_bos_token is true but no BOS token is named/);
  });
});
