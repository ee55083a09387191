// Texts → token documents for any decoder: [BOS] + the text's tokens + the end-of-text token (documentEnd), so the
// model learns where a text ends and generation stops there. Prompt → completion texts are encoded as prompt, then
// completion (each part alone, so the boundary is a token boundary), and only the completion's tokens and the end
// token count in the loss. The stream, windows and scoring rows are llama/llamaData.ts's, which take documents.
import type { TokenStream } from '../data';
import { documentStream, type LlamaDocument } from '../llama/llamaData';
import { withBos, type DecoderTokenizer } from './tokenizer';

export function decoderDocuments(tokenizer: DecoderTokenizer, texts: readonly string[], promptChars?: readonly number[]): LlamaDocument[] {
  const docs: LlamaDocument[] = [];
  const end = tokenizer.documentEnd === null ? [] : [tokenizer.documentEnd];
  texts.forEach((text, i) => {
    if (text.trim() === '') return;
    if (!promptChars) {
      docs.push({ ids: [...withBos(tokenizer, tokenizer.encode(text)), ...end] });
      return;
    }
    const prompt = withBos(tokenizer, tokenizer.encode(text.slice(0, promptChars[i])));
    const completion = [...tokenizer.encode(text.slice(promptChars[i])), ...end];
    const trained = new Uint8Array(prompt.length + completion.length);
    trained.fill(1, prompt.length);
    docs.push({ ids: [...prompt, ...completion], trained });
  });
  return docs;
}

/** Documents back to back (each carries its own BOS and end token).  → (n) */
export const decoderStream = (documents: readonly LlamaDocument[]): TokenStream => documentStream(documents);
