// Names between English and Japanese (issue 29, docs/names.md): what a name the model cannot read becomes.
// - en -> ja: a word that stays Latin (./latin.ts: iPhone, NASA, Netflix) is kept as written; a Japanese surname or
//   place in Hepburn becomes its kanji (./japanese.ts: Tanaka 田中, Kyoto 京都), a Japanese given name katakana from its
//   romaji (Kenji ケンジ, Shinichi シンイチ); any other name goes to katakana
//   through the joint-sequence model (./joint-sequence.ts: John ジョン, Emily エミリー), or for a common name whose
//   katakana the model takes from another language, through the lexicon of common names (Michael マイケル, not
//   ミヒャエル); part by part for a hyphenated name (Jean-Paul ジャン＝ポール).
// - ja -> en: a kanji name of the table, whole or surname + given name, becomes capitalised Hepburn, family name
//   first (田中 Tanaka, 山田太郎 Yamada Taro); a katakana word goes to English letters through the lexicon of common
//   names or the same model (ジョン John), capitalised; a word in Latin letters stays as written.
// - A place with its kind, either way: a name of the table before 駅, 大学, 空港, 公園 or 城 is "Shibuya Station", "Waseda
//   University" (PLACE_KINDS; English's "X Station" is read by the caller, ../dictionary/unknown-words.ts).
// Anything else (a common word, an emoji, 2,000 characters) gives undefined: the caller keeps its own handling.
// Which words to ask about is the caller's rule (./latin.ts isNameCandidate for English; in Japanese, a katakana word
// the model does not know, or a kanji word of the table). The data (./data.ts, ~0.6 MB) is parsed on first use.
import { NAMES_ENGLISH, NAMES_KATAKANA, NAMES_MODEL, NAMES_TABLE } from './data.js';
import { JointSequenceModel } from './joint-sequence.js';
import { NameTable, type NameKind } from './japanese.js';
import { foldLatin, staysLatin } from './latin.js';
import { katakanaOf } from './romaji.js';

export { toHepburn } from './romaji.js';
export { isNameCandidate, isNameShaped, staysLatin, LATIN_BRANDS } from './latin.js';

export type NameDirection = 'en-ja' | 'ja-en';

export interface Name {
  text: string; // the name as the target language writes it
  how: 'transliterated' | 'table' | 'latin'; // by the model, by the kanji table, kept in Latin letters as written
  kind?: NameKind | 'full'; // for a table name: surname, given name, place, or surname + given name
}

const MAX_LENGTH = 40; // longer words are not names (and would cost a search)

/** What a place is, after its name: Japanese 渋谷駅, English "Shibuya Station". */
export const PLACE_KINDS: { ja: string; en: string }[] = [
  { ja: '駅', en: 'Station' },
  { ja: '大学', en: 'University' },
  { ja: '空港', en: 'Airport' },
  { ja: '公園', en: 'Park' },
  { ja: '城', en: 'Castle' },
];
const KATAKANA = /^[\u30a1-\u30fa\u30fc]+$/u;

interface Data {
  model: JointSequenceModel;
  table: NameTable;
  katakana: Map<string, string>; // common names: folded English -> katakana, where the model would say otherwise
  english: Map<string, string>; // and katakana -> English spelling
}

let loaded: Data | undefined;
const data = (): Data =>
  (loaded ??= {
    model: new JointSequenceModel(NAMES_MODEL),
    table: new NameTable(NAMES_TABLE),
    katakana: lexicon(NAMES_KATAKANA),
    english: lexicon(NAMES_ENGLISH),
  });

const lexicon = (text: string): Map<string, string> =>
  new Map(text.split('|').map((entry) => entry.split(' ') as [string, string]));

/** Katakana for an English name ("Michael" -> マイケル); undefined unless it is Latin letters (', - allowed). */
export function toKatakana(name: string): string | undefined {
  if (name.length > MAX_LENGTH || !/^[\p{Script=Latin}'’]+(?:-[\p{Script=Latin}'’]+)*$/u.test(name)) return undefined;
  const parts = name.split('-').map((part) => foldLatin(part));
  if (parts.some((part) => part === '')) return undefined;
  const kana = parts.map((part) => data().katakana.get(part) ?? data().model.transliterate(part, 'en'));
  return kana.every((k) => k !== undefined) ? kana.join('＝') : undefined;
}

/** English letters for a katakana name ("ジョン" -> "John"), capitalised; undefined unless it is all katakana. */
export function toEnglish(katakana: string): string | undefined {
  if (katakana.length > MAX_LENGTH) return undefined;
  const parts = katakana.split(/[・＝]/u);
  if (!parts.every((part) => KATAKANA.test(part))) return undefined;
  const latin = parts.map((part) => data().english.get(part) ?? data().model.transliterate(part, 'ja'));
  return latin.every((l) => l !== undefined)
    ? latin.map((l) => l!.charAt(0).toUpperCase() + l!.slice(1)).join(' ')
    : undefined;
}

/** What `word` becomes as a name in the target language of `direction` (the rules above), or undefined. */
export function nameOf(word: string, direction: NameDirection): Name | undefined {
  if (word.length === 0 || word.length > MAX_LENGTH) return undefined;
  if (direction === 'en-ja') {
    if (!/^[\p{Script=Latin}\p{N}'’-]+$/u.test(word)) return undefined;
    if (staysLatin(word)) return { text: word, how: 'latin' };
    const kanji = data().table.fromLatin(word);
    if (kanji) return { text: kanji, how: 'table', kind: data().table.find(kanji)?.kind };
    const given = data().table.givenName(word);
    if (given) return { text: katakanaOf(given), how: 'table', kind: 'g' };
    const kana = toKatakana(word);
    return kana === undefined ? undefined : { text: kana, how: 'transliterated' };
  }
  if (/^[\p{Script=Latin}\p{N}'’-]+$/u.test(word)) return { text: word, how: 'latin' };
  const name = data().table.find(word);
  if (name) return { text: name.latin, how: 'table', kind: name.kind };
  const place = PLACE_KINDS.find((kind) => word.endsWith(kind.ja) && word.length > kind.ja.length);
  const named = place && data().table.find(word.slice(0, -place.ja.length));
  if (named) return { text: `${named.latin} ${place!.en}`, how: 'table', kind: 'p' };
  const english = toEnglish(word);
  return english === undefined ? undefined : { text: english, how: 'transliterated' };
}

/**
 * A name written in the target's script, for callers that keep Latin words as written themselves (the dictionary's
 * unknown-word rules, ../dictionary/unknown-words.ts `names`): nameOf's text, undefined for a word that stays Latin.
 */
export function transliterateName(word: string, direction: NameDirection): string | undefined {
  const name = nameOf(word, direction);
  return name && name.how !== 'latin' ? name.text : undefined;
}

/** A name of the kanji table ("山田太郎" -> reading やまだ たろう, Latin "Yamada Taro"), or undefined. */
export const japaneseName = (word: string) => data().table.find(word);
