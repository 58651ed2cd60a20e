// Tokenizers by the name stored in the artifact manifest (`source.tokenizer`, `target.tokenizer`).
import { detokenizeEnglish, tokenizeEnglish } from './english.js';
import { detokenizeJapanese, tokenizeByVocabulary, tokenizeJapanese, tokenizeJapaneseSpaced } from './japanese.js';

export interface Tokenizer {
  name: string;
  tokenize(text: string): string[];
  detokenize(tokens: string[]): string;
  /** Raw text as tokens `known` has, for a tokenizer whose `tokenize` reads text already segmented. */
  tokenizeRaw?(text: string, known: (token: string) => boolean): string[];
}

const TOKENIZERS: Record<string, Tokenizer> = {
  english: { name: 'english', tokenize: tokenizeEnglish, detokenize: detokenizeEnglish },
  japanese: { name: 'japanese', tokenize: tokenizeJapanese, detokenize: detokenizeJapanese },
  'japanese-spaced': {
    name: 'japanese-spaced',
    tokenize: tokenizeJapaneseSpaced,
    detokenize: detokenizeJapanese,
    tokenizeRaw: tokenizeByVocabulary,
  },
};

export class UnknownTokenizerError extends Error {}

export function getTokenizer(name: string): Tokenizer {
  const tokenizer = Object.hasOwn(TOKENIZERS, name) ? TOKENIZERS[name] : undefined;
  if (!tokenizer) {
    const known = Object.keys(TOKENIZERS)
      .map((n) => `"${n}"`)
      .join(', ');
    throw new UnknownTokenizerError(`unknown tokenizer "${name}"; known tokenizers: ${known}`);
  }
  return tokenizer;
}
