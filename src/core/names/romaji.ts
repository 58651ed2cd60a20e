// Japanese names in Latin letters as people write them in English: revised Hepburn (wanakana's kana to romaji)
// with these rules on top:
// - long vowels are written once: おう/おお -> o, うう -> u, and a katakana ー adds nothing (さとう Sato, おおの Ono,
//   ゆうき Yuki, とうきょう Tokyo), as passports, news and people write them (no macrons, no "ou"). A vowel that
//   starts the next syllable is kept: いのうえ Inoue (う before え is its own syllable, not a long o);
// - ん is always n, with no apostrophe before a vowel or y (しんいち Shinichi, じゅんいちろう Junichiro);
// - を is o; ぢ, づ are ji, zu (wanakana's own choice);
// - each word (words are separated by spaces in `reading`) starts with a capital.
import { toKatakana, toRomaji } from 'wanakana';

// eslint-disable-next-line no-misleading-character-class -- the sound marks U+3099-309A stand alone in this range
const KANA = /^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe\u3099-\u309e]+$/u;

/** "Sato" for さとう, "Yamada Taro" for "やまだ たろう"; undefined when a word of `reading` is not all kana. */
export function toHepburn(reading: string): string | undefined {
  const words = reading.trim().split(/[\s\u3000・]+/u);
  if (words.length === 0 || !words.every((word) => KANA.test(word))) return undefined;
  return words.map((word) => capitalise(romanise(word))).join(' ');
}

/**
 * Lower-case romaji of one kana word under the rules above; with `apostrophe`, ん before a vowel or y keeps its n'
 * (shin'ichi), so that the romaji still spells the kana (the kanji table stores it so: ./japanese.ts).
 */
export function romanise(kana: string, apostrophe = false): string {
  const romaji = foldLongVowels(toRomaji(kana.replace(/[をヲ]/gu, 'お').replace(/ー/gu, '')).toLowerCase());
  return apostrophe ? romaji : romaji.replace(/'/g, '');
}

/** Katakana spelling out romaji ("shin'ichi" -> シンイチ): a Japanese name known only in Latin letters. */
export const katakanaOf = (romaji: string): string => toKatakana(romaji.toLowerCase());

/** ou, oo, uu -> o, o, u unless a vowel follows (the rule above), in lower-case romaji. */
export const foldLongVowels = (romaji: string): string =>
  romaji.replace(/([ou])[ou](?![aeiou])/g, (pair) => (pair === 'uo' ? pair : pair[0]!));

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
