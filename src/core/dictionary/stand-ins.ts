// Stand-ins: a word the model cannot read but the dictionary's rules translate (./unknown-words.ts) is read by the
// model as a word it knows of the same class, a person's name, a place or (Japanese source) a katakana noun
// ("アカウントにログインできません" is read "箱にログインできません"), and the target word that translates the
// stand-in ("box", found by the shortlist's lexical table: ../document/carriers.ts markKnownTerms) becomes the
// dictionary's translation ("account"). Read as <unk>, such a word was left out more often than not: the models learnt
// that <unk> is a rare word they may drop; a known word keeps its place in the sentence.
//
// Measured on the everyday dev set and the corpus dev set (docs/everyday.md): ja-en entities 70.2% -> 76.4%, chrF
// 54.1 -> 56.3, corpus BLEU 37.49 -> 37.45; en-ja names and places 68.9% -> 69.5%, corpus BLEU unchanged. English nouns
// read as a stand-in found more entities (72.0%) but cost chrF and corpus BLEU (the stand-in's own phrasing: "box" ->
// "の中に"), as did kanji nouns (rare literary words, whose English is a phrase: corpus BLEU 37.00): they stay <unk>.
//
// The candidates are frequent corpus words of their class that translate one way (a box is 箱, Kyoto 京都); a piece
// takes, for each of its words, the first one it does not hold and has not given another word. Where the model left
// the stand-in out of its output, the sentence is translated again with the next candidates (../document/pieces.ts
// retryLostStandIns): another word of the class often keeps its place ("このスマホは箱が…" ->
// "…out of the box").
import type { Language } from './dictionary.js';

export type StandInClass = 'noun' | 'name' | 'place';

export const STAND_INS: Record<Language, Partial<Record<StandInClass, readonly string[]>>> = {
  en: {
    name: ['tom', 'mary', 'bob', 'ken'],
    place: ['kyoto', 'paris', 'london', 'osaka'],
  },
  ja: {
    noun: ['箱', 'カメラ', 'ペン', 'ピアノ', '鍵', '机'],
    name: ['トム', 'メアリー', 'ボブ', 'ケン'],
    place: ['京都', 'パリ', 'ロンドン', '大阪'],
  },
};

/**
 * The stand-in for a word of class `standIn`: the first candidate (or, on a later `attempt`, the next) the model reads
 * where the word is (`reads`) that is not among `taken` (the piece's own tokens and the stand-ins already given; the
 * caller adds the one returned).
 */
export function standInFor(
  standIn: StandInClass,
  from: Language,
  taken: ReadonlySet<string>,
  reads: (word: string) => boolean,
  attempt = 0,
): string | undefined {
  return STAND_INS[from][standIn]?.filter((word) => !taken.has(word) && reads(word))[attempt];
}
