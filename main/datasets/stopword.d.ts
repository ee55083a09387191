// Types for the `stopword` package (it ships none): removeStopwords and one word list per ISO 639-3 code.
declare module 'stopword' {
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
  export const eng: string[];
}
