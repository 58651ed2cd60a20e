// English spellings and their katakana, the data of the transliteration models (src/core/names/joint-sequence.ts):
// - ENAMDICT: every katakana headword of a person or place (s, g, m, f, u, p, h) with each Latin gloss; a headword of
//   several words (・ or ＝ between them: アーサー・ミラー) gives one pair a word when its gloss has as many
//   (Arthur Miller). A gloss that is the headword's own romaji (クニミ Kunimi, マホ Maho) is a Japanese name written
//   in katakana, not a transliteration: those are kept apart (`japanese`), for the katakana -> English direction.
// - EDICT: every katakana headword with a one-word gloss in lower case (コンピューター computer), except entries tagged
//   with a source language other than English (ger:, fre:, wasei: ...), native words in kana (uk) and mimetics
//   (on-mim). Many such glosses translate rather than spell the word (パン bread): ./build.ts keeps those the aligner
//   can explain (./build.ts trainModel).
// English is folded to a-z (accents stripped, apostrophes dropped: O'Brien -> obrien); katakana keeps ヴ, small kana
// and ー. A pair is kept once, whichever source gave it first.
import { foldLatin } from '../../src/core/names/latin.js';
import { romanise } from '../../src/core/names/romaji.js';

const KATAKANA_WORD = /^[\u30a1-\u30fa\u30fc]+$/u;
const KATAKANA_NAME = /^[\u30a1-\u30fa\u30fc・＝]+$/u;
const NAME_TYPES = new Set(['s', 'g', 'm', 'f', 'u', 'p', 'h']);

export interface Pair {
  en: string; // folded English spelling, a-z
  ja: string; // katakana
  source: 'name' | 'loanword' | 'japanese';
}

/** ENAMDICT's katakana names, one pair a word. */
export function namePairs(enamdict: string): Pair[] {
  const pairs: Pair[] = [];
  for (const line of enamdict.split('\n')) {
    const entry = /^(\S+) \/(.*)\/$/u.exec(line);
    if (!entry || !KATAKANA_NAME.test(entry[1]!)) continue;
    const kanaWords = entry[1]!.split(/[・＝]/u);
    let types: string[] = [];
    for (const field of entry[2]!.split('/')) {
      const tagged = /^\(([a-z,]+)\)\s*(.*)$/u.exec(field);
      if (tagged) types = tagged[1]!.split(',');
      if (!types.some((type) => NAME_TYPES.has(type))) continue;
      const gloss = (tagged ? tagged[2]! : field).replace(/\s*\(.*$/u, '').trim();
      const words = gloss.split(/[\s-]+/u);
      if (words.length !== kanaWords.length || !words.every((word) => /^[\p{L}']+$/u.test(word))) continue;
      words.forEach((word, i) => {
        const en = foldLatin(word);
        const ja = kanaWords[i]!;
        if (en && KATAKANA_WORD.test(ja)) pairs.push({ en, ja, source: isOwnRomaji(ja, en) ? 'japanese' : 'name' });
      });
    }
  }
  return unique(pairs);
}

/** EDICT's katakana headwords with a one-word English gloss (not yet checked that the gloss is the source). */
export function loanwordPairs(edict: string): Pair[] {
  const pairs: Pair[] = [];
  for (const line of edict.split('\n')) {
    const entry = /^(\S+) \/(.*)\/$/u.exec(line);
    if (!entry || !KATAKANA_WORD.test(entry[1]!)) continue;
    if (/\((?!eng:)[a-z]{3,5}:|\(uk\)|\(on-mim\)/u.test(entry[2]!)) continue;
    for (const field of entry[2]!.split('/')) {
      const gloss = field
        .replace(/^(\([^)]*\)\s*)+/u, '')
        .replace(/\s*\(.*$/u, '')
        .trim();
      if (/^[a-z]+$/u.test(gloss)) pairs.push({ en: gloss, ja: entry[1]!, source: 'loanword' });
    }
  }
  return unique(pairs);
}

/** Whether `en` is the katakana's own romaji, long vowels aside (クニミ kunimi, ユウキ yuki; not ジョン john). */
export function isOwnRomaji(kana: string, en: string): boolean {
  return loose(romanise(kana)) === loose(en);
}

const loose = (latin: string): string => latin.replace(/([aeiou])\1+/g, '$1').replace(/ou/g, 'o');

function unique(pairs: Pair[]): Pair[] {
  const seen = new Set<string>();
  return pairs.filter((pair) => !seen.has(`${pair.en} ${pair.ja}`) && seen.add(`${pair.en} ${pair.ja}`));
}
