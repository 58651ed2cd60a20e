// Corpus lines as serving reads them, shared by training (./prepare.ts) and the shortlist command (./shortlist.ts):
// source lines joined back into the text a user would type and read by the serving tokenizer, then, for a model
// of subwords, its pieces of those words.
import type { Tokenizer } from '../src/core/tokenize/index.js';
import { asPieces, type Subwords } from '../src/core/tokenize/subwords.js';

/** Pre-tokenized source lines as text and as the serving tokenizer's words. */
export function servedSource(lines: string[][], tokenizer: Tokenizer): { text: string[]; words: string[][] } {
  const text = lines.map((tokens) => tokenizer.detokenize(tokens));
  return { text, words: text.map((t) => tokenizer.tokenize(t)) };
}

/** Sentences of words as the model reads or writes them: the words, or their pieces with `subwords`. */
export const modelPieces = (sentences: string[][], subwords?: Subwords): string[][] =>
  sentences.map((words) => asPieces(words, subwords).pieces);
