// tokenizer.json `post_processor`s for a single sequence: the special ids wrapped around the encoded text (BERT's
// [CLS] … [SEP], RoBERTa's <s> … </s>, Llama's <s> …). Supported: TemplateProcessing, BertProcessing,
// RobertaProcessing, ByteLevel (no ids added), Sequence. Pair templates are not used: Tunebench encodes one text.
import { badInput } from '../../../common/result';
import { asObject, at, componentType, readArray, unsupported, type JsonObject, type JsonPlace } from './hfJson';

export type PostProcess = (ids: number[]) => number[];

function tokenIdPair(obj: JsonObject, key: string, place: JsonPlace): number {
  const value = obj[key];
  if (!Array.isArray(value) || typeof value[1] !== 'number') throw badInput(`${place.file}: ${place.path}.${key} should be [token, id].`);
  return value[1];
}

function template(obj: JsonObject, place: JsonPlace): PostProcess {
  const specials = asObject(obj.special_tokens ?? {}, at(place, 'special_tokens'));
  const pieces = readArray(obj, 'single', place).map((item, i): number[] | 'A' => {
    const entry = asObject(item, at(at(place, 'single'), i));
    if (entry.Sequence) return 'A';
    const name = asObject(entry.SpecialToken, at(at(place, 'single'), i)).id;
    const special = specials[String(name)] as { ids?: unknown } | undefined;
    if (!special || !Array.isArray(special.ids)) throw badInput(`${place.file}: ${place.path} uses special token "${String(name)}" that special_tokens does not define.`);
    return special.ids as number[];
  });
  return (ids) => pieces.flatMap((piece) => (piece === 'A' ? ids : piece));
}

export function parsePostProcessor(json: unknown, place: JsonPlace): PostProcess {
  const type = componentType(json, place);
  const obj = asObject(json, place);
  switch (type) {
    case 'TemplateProcessing':
      return template(obj, place);
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const cls = tokenIdPair(obj, 'cls', place);
      const sep = tokenIdPair(obj, 'sep', place);
      return (ids) => [cls, ...ids, sep];
    }
    case 'ByteLevel':
      return (ids) => ids;
    case 'Sequence': {
      const steps = readArray(obj, 'processors', place).map((p, i) => parsePostProcessor(p, at(at(place, 'processors'), i)));
      return (ids) => steps.reduce((acc, step) => step(acc), ids);
    }
    default:
      throw unsupported(place, 'post-processor', type);
  }
}
