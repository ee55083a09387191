// Preprocessing of one example, in the recipe's fixed order: whitespace, lower-case, stop words, tokenisation on every
// text part (a label is never changed), then the length filters. De-duplication needs every row and runs in SQL
// afterwards (stagingDb.ts). `apply` says which step, if any, removes the row.
import * as stopword from 'stopword';
import { recipeSchema, type ExampleParts, type Recipe, type RecipeInput, type RemovalStep } from '../../common/datasetTypes';
import { badInput } from '../../common/result';
import { isEmptyExample, withText, type Example } from './examples';
import { getTokenizer } from './tokenizers';

const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;
const TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*|[^\s\p{L}\p{N}\p{M}]/gu;

export const NO_RECIPE: Recipe = recipeSchema.parse({});

export function resolveRecipe(input: RecipeInput | undefined): Recipe {
  const parsed = recipeSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(`Preprocessing setting '${issue.path.join('.') || 'recipe'}' is invalid: ${issue.message}.`);
  }
  const recipe = parsed.data;
  if (recipe.minLength !== null && recipe.maxLength !== null && recipe.minLength > recipe.maxLength) {
    throw badInput(`The minimum length (${recipe.minLength}) is above the maximum length (${recipe.maxLength}).`);
  }
  if (recipe.removeStopwords) stopwordList(recipe.stopwordLanguage); // an unknown language fails before any reading
  return recipe;
}

export const recipeChangesText = (r: Recipe): boolean => r.normalizeWhitespace || r.lowercase || r.removeStopwords || r.tokenize;

export interface RecipeRunner {
  /** The example after the text steps, and the step that removes it (null: kept). */
  apply(example: Example): { example: Example; removedBy: RemovalStep | null };
}

export function compileRecipe(recipe: Recipe): RecipeRunner {
  const stops = recipe.removeStopwords ? new Set(stopwordList(recipe.stopwordLanguage)) : null;
  const tokenizer = getTokenizer(recipe.lengthUnit);
  const transform = (text: string): string => {
    let t = text;
    if (recipe.normalizeWhitespace) t = normalizeWhitespace(t);
    if (recipe.lowercase) t = t.toLowerCase();
    if (stops) t = removeWords(t, stops);
    if (recipe.tokenize) t = tokenizeText(t);
    return t;
  };
  const changes = recipeChangesText(recipe);
  return {
    apply(original) {
      const example = changes ? transformExample(original, transform) : original;
      if (isEmptyExample(example)) return { example, removedBy: 'removeStopwords' }; // only stop-word removal can empty a text
      if (recipe.minLength !== null || recipe.maxLength !== null) {
        const length = tokenizer.count(example.text);
        if (recipe.minLength !== null && length < recipe.minLength) return { example, removedBy: 'minLength' };
        if (recipe.maxLength !== null && length > recipe.maxLength) return { example, removedBy: 'maxLength' };
      }
      return { example, removedBy: null };
    },
  };
}

function transformExample(e: Example, transform: (s: string) => string): Example {
  if (!e.parts) return { ...e, text: transform(e.text) };
  const p = e.parts;
  const parts: ExampleParts =
    'prompt' in p
      ? { prompt: transform(p.prompt), completion: transform(p.completion) }
      : 'instruction' in p
        ? { instruction: transform(p.instruction), input: transform(p.input), output: transform(p.output) }
        : { messages: p.messages.map((m) => ({ role: m.role, content: transform(m.content) })) };
  return withText(parts);
}

/** Runs of spaces and tabs become one space, lines are trimmed, three or more line breaks become two. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Words (letters, digits, inner apostrophes) whose lower-case form is listed are removed, with the space before them. */
export function removeWords(text: string, stops: Set<string>): string {
  return text
    .replace(WORD, (w) => (stops.has(w.toLowerCase()) ? '\u0000' : w))
    .replace(/[^\S\n]*\u0000/g, '')
    .replace(/^[^\S\n]+/gm, '');
}

/** Word and punctuation tokens separated by single spaces, line by line: "Hi, there!" → "Hi , there !". */
export function tokenizeText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.match(TOKEN)?.join(' ') ?? '')
    .join('\n');
}

function stopwordList(language: string): string[] {
  const list = (stopword as unknown as Record<string, unknown>)[language];
  if (!Array.isArray(list) || language === 'removeStopwords') {
    throw badInput(`No stop-word list for the language '${language}'; use an ISO 639-3 code such as eng, deu, fra or spa.`);
  }
  return list as string[];
}
