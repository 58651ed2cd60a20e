// What becomes of a source word the model cannot read (a token outside its vocabulary): the rules that choose a
// dictionary translation (./dictionary.ts), a spelling kept as written, or nothing. Each word found is a term for the
// masks (../document/verbatim-mask.ts): a placeholder the model places, which comes back as `target`.
//
// - Only tokens the model cannot read are looked at, and in English a capitalised word in mid-sentence that it reads
//   but saw rarely (vocabulary rank >= RARE_RANK: "Tanaka", 6 times in the corpus, came out as スミス), which gets
//   the proper-noun rules below only when they find a stand-in class for it; placeholders are none. No look-up for an absurd word: more than
//   MAX_WORD characters, or anything but letters (with inner - ' ・ ー): control characters, emoji, digits.
// - English source:
//   - a word Japanese writes in Latin letters (../names/latin.ts staysLatin: a capital after its first letter, all
//     capitals, a digit, or a brand of its list: iPhone, NASA, PS5, Netflix, Wi-Fi) is kept as written (`verbatim`);
//   - a capitalised word in mid-sentence is a proper noun: the dictionary's proper noun (London -> ロンドン), else a
//     name (`names`, when given: ../names, John -> ジョン), else kept as written; with the place's kind after it
//     (../names PLACE_KINDS) a proper noun or a name in kanji and its kind are one (Shibuya Station -> 渋谷駅; John Park
//     is a person);
//   - otherwise the word in lower case, without hyphens (e-mail), and its singular (smartphones -> smartphone): the
//     dictionary's noun, a common entry's of these forms first; but a word English uses as a verb too ("dies",
//     "charges": EDICT has "to die") only right after a determiner or a number ("a plug", "two salads"), unless its
//     Japanese takes する (リセット, アップデート) and suits a verb's place; a capitalised first word found nowhere is
//     treated as in mid-sentence (proper nouns are tried in the same forms: Fridays -> 金曜日).
// - Japanese source:
//   - Latin letters (iPhone, Netflix) are kept as written: the whole run of letters, digits and inner - . + and single
//     spaces (Wi-Fi, Ctrl+Z, Nintendo Switch, 404 Not Found: English inside Japanese is English already), even where
//     the tokenizer joined it to kana or kanji (夜|netflix);
//   - kana and kanji: the longest dictionary key that covers the token and is made of whole tokens (up to
//     MAX_NEIGHBOURS on each side) or is the whole katakana run it sits in (スマート|フォン -> スマートフォン); the best
//     entry's English, nouns only (a particle or a verb gets nothing); else a name (`names`), else nothing. A word
//     followed by an honorific (さん, 様, 君, ちゃん, 先生, 氏) is a name first (マーク さん is Mark, not a mark), with
//     the tokens before it that make a full name with it (田中|浩 さん: Tanaka Hiroshi).
// A word that gets nothing stays an unknown word (Translation.unknownWords) and goes through the model as before.
// A word found may be read by the model as a stand-in of its class (`standIn`, ./stand-ins.ts): a name (not one before
// an honorific), a proper noun (a place), and in Japanese a katakana noun where a noun goes (before a particle, the
// copula, a stop or the end; not ログイン できません).
import { IRREGULAR_PLURALS } from '../glossary/match.js';
import { PLACE_KINDS } from '../names/index.js';
import { staysLatin } from '../names/latin.js';
import { PLACEHOLDER } from '../placeholders.js';
import type { Language, WordTranslation } from './dictionary.js';
import type { StandInClass } from './stand-ins.js';

/** A token of the source text: where it is, and whether the model reads it. */
export interface TokenSpan {
  start: number; // UTF-16 offsets in the text
  end: number;
  known: boolean;
  rare?: boolean; // known, but of vocabulary rank >= RARE_RANK
}

/** A word the rules handled: the text's [start, end) becomes `target`. */
export interface FoundWord {
  start: number;
  end: number;
  source: string; // as the text has it
  target: string;
  kind: 'dictionary' | 'verbatim' | 'transliteration';
  standIn?: StandInClass; // a noun, name or place: the model may read a known word of its class in its place (./stand-ins.ts)
}

export interface UnknownWordOptions {
  from: Language;
  translate: (word: string, want: 'proper' | 'any') => WordTranslation | undefined; // Dictionary.translate from `from`
  names?: (word: string) => string | undefined; // a name in the target's script (src/core/names), when there is one
}

export const MAX_WORD = 32;
/** A known word of at least this vocabulary rank is rare in the corpus (4,004 words: the last 3,000). */
export const RARE_RANK = 1000;
const MAX_NEIGHBOURS = 2;
const LOOKABLE = /^\p{L}[\p{L}\p{M}'ー・-]*$/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
const LATIN_RUN = /[\p{Script=Latin}\p{N}]+(?:(?:[-.+]| (?=[\p{Script=Latin}\p{N}]))[\p{Script=Latin}\p{N}]+)*/uy;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;
const KATAKANA = /[\p{Script=Katakana}ー]/u;
const HAN = /\p{Script=Han}/u;
const PLACE_AFTER = new RegExp(`^ (${PLACE_KINDS.map((k) => k.en).join('|')})(?![\\p{L}\\p{N}])`, 'u'); // "Shibuya Station"
const KATAKANA_WORD = /^[\p{Script=Katakana}ー・]+$/u;
/** What follows a Japanese noun: a case particle, the copula, a stop or the end (not できません, 始めた). */
const NOUN_AFTER = /^\s*(?:[がをにはのともへや、。！？!?,.]|で(?!き)|から|まで|より|です|だ|$)/u;
const HONORIFIC = /^\s*(?:さん|様|さま|君|くん|ちゃん|先生|氏)/u;
/** The word before is a determiner or a number: what follows is a noun ("a plug", "two salads"). */
const DETERMINER =
  /(?:^|[^\p{L}])(?:the|a|an|my|your|his|her|our|their|its|this|that|these|those|some|any|no|every|each|many|few|several|all|both|another|other|one|two|three|four|five|six|seven|eight|nine|ten|\d+)[^\p{L}\p{N}]+$/iu;

/** The words of `text` (tokens as `tokens` locates them) that the rules above handle, in order, not overlapping. */
export function handleUnknownWords(text: string, tokens: TokenSpan[], options: UnknownWordOptions): FoundWord[] {
  const found: FoundWord[] = [];
  tokens.forEach((token, i) => {
    if ((token.known && !token.rare) || (found.at(-1)?.end ?? 0) > token.start) return;
    const word = text.slice(token.start, token.end);
    if (PLACEHOLDER.test(word)) return;
    const hit = token.known
      ? rareName(text, token, options)
      : options.from === 'en'
        ? englishWord(text, token, options)
        : japaneseWord(text, tokens, i, options);
    if (hit && hit.start >= (found.at(-1)?.end ?? 0)) found.push(hit);
  });
  return found;
}

/** Whether a word may be looked up at all (see the rules). */
export const lookable = (word: string): boolean =>
  word.length <= MAX_WORD && LOOKABLE.test(word) && !/\p{N}/u.test(word);

/** Whether the rules may handle a word of `text`: a token the model cannot read, or a rare name (see the rules). */
export const hasWordsToHandle = (text: string, tokens: TokenSpan[], from: Language): boolean =>
  tokens.some((token) => !token.known || (from === 'en' && isRareName(text, token)));

const isRareName = (text: string, token: TokenSpan): boolean =>
  !!token.rare &&
  /^\p{Lu}\p{Ll}+$/u.test(text.slice(token.start, token.end)) &&
  LETTER.test(text.slice(0, token.start));

/** A rare English word the model reads, capitalised in mid-sentence: a proper noun or a name with its stand-in. */
function rareName(text: string, token: TokenSpan, options: UnknownWordOptions): FoundWord | undefined {
  if (options.from !== 'en' || !isRareName(text, token)) return undefined;
  const word = text.slice(token.start, token.end);
  const found = properNoun(text, token, word, [word.toLowerCase()], options);
  return found?.standIn ? found : undefined;
}

function englishWord(text: string, { start, end }: TokenSpan, options: UnknownWordOptions): FoundWord | undefined {
  const word = text.slice(start, end);
  const span = (target: string, kind: FoundWord['kind']): FoundWord => ({ start, end, source: word, target, kind });
  if (word.length <= MAX_WORD && staysLatin(word)) return span(word, 'verbatim');
  if (!lookable(word)) return undefined;
  const capitalised = /^\p{Lu}/u.test(word);
  const lower = word.toLowerCase();
  const forms = [...new Set([lower, lower.replace(/-/gu, ''), ...singulars(lower)])];
  if (!capitalised || !LETTER.test(text.slice(0, start))) {
    const nominal = DETERMINER.test(text.slice(0, start));
    const found = forms
      .map((form) => options.translate(form, 'any'))
      .filter((t) => t && (!t.proper || capitalised) && (!t.verb || t.suru || nominal));
    const best = found.find((t) => t!.common) ?? found[0];
    if (best) return { ...span(best.target, 'dictionary'), ...(best.proper ? { standIn: 'place' } : {}) };
    if (!capitalised) return undefined;
  }
  return properNoun(text, { start, end }, word, forms, options) ?? span(word, 'verbatim');
}

/** A capitalised word as a proper noun of the dictionary (a place), with its kind after it, or as a name. */
function properNoun(
  text: string,
  { start, end }: { start: number; end: number },
  word: string,
  forms: string[],
  options: UnknownWordOptions,
): FoundWord | undefined {
  const span = (target: string, kind: FoundWord['kind']): FoundWord => ({ start, end, source: word, target, kind });
  const place = text.slice(end).match(PLACE_AFTER);
  const kind = place && PLACE_KINDS.find((k) => k.en === place[1]);
  for (const form of forms) {
    const proper = options.translate(form, 'proper');
    if (proper)
      return kind
        ? { ...span(proper.target + kind.ja, 'dictionary'), end: end + place[0].length, source: word + place[0] }
        : { ...span(proper.target, 'dictionary'), standIn: 'place' };
  }
  const name = options.names?.(word);
  if (name && kind && HAN.test(name))
    return { ...span(name + kind.ja, 'transliteration'), end: end + place[0].length, source: word + place[0] }; // a place of the table, not "John Park"
  return name ? { ...span(name, 'transliteration'), standIn: 'name' } : undefined;
}

function japaneseWord(
  text: string,
  tokens: TokenSpan[],
  i: number,
  options: UnknownWordOptions,
): FoundWord | undefined {
  const token = tokens[i]!;
  const latin = text.slice(token.start, token.end).search(LATIN);
  if (latin >= 0) {
    const run = latinRun(text, token.start + latin);
    return {
      start: run.start,
      end: run.end,
      source: text.slice(run.start, run.end),
      target: text.slice(run.start, run.end),
      kind: 'verbatim',
    };
  }
  if (!lookable(text.slice(token.start, token.end))) return undefined;
  const word = text.slice(token.start, token.end);
  const name = () => options.names?.(word);
  const asName = (target: string, start = token.start): FoundWord => ({
    start,
    end: token.end,
    source: text.slice(start, token.end),
    target,
    kind: 'transliteration',
  });
  if (HONORIFIC.test(text.slice(token.end))) {
    // A full name before an honorific, the surname a word the model reads (田中|浩 さん: "Tanaka Hiroshi", not "Hiroshi")
    for (let a = Math.max(0, i - MAX_NEIGHBOURS); a <= i; a++) {
      const named = options.names?.(text.slice(tokens[a]!.start, token.end));
      if (named) return asName(named, tokens[a]!.start); // no stand-in: read as トム さん, 田中 さん lost its "Mr." on dev
    }
  }
  for (const { start, end } of candidates(text, tokens, i)) {
    const key = text.slice(start, end).normalize('NFKC');
    if (!lookable(key)) continue;
    const t = options.translate(key, 'any');
    if (!t) continue;
    const found: FoundWord = { start, end, source: text.slice(start, end), target: t.target, kind: 'dictionary' };
    if (!NOUN_AFTER.test(text.slice(end))) return found;
    return t.proper ? { ...found, standIn: 'place' } : KATAKANA_WORD.test(key) ? { ...found, standIn: 'noun' } : found;
  }
  const other = name();
  return other ? { ...asName(other), standIn: 'name' } : undefined;
}

/** Spans covering token i, longest first: runs of whole tokens around it, and the katakana run it is in. */
function candidates(text: string, tokens: TokenSpan[], i: number): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (let a = Math.max(0, i - MAX_NEIGHBOURS); a <= i; a++) {
    for (let b = i; b < Math.min(tokens.length, i + MAX_NEIGHBOURS + 1); b++)
      spans.push({ start: tokens[a]!.start, end: tokens[b]!.end });
  }
  const token = tokens[i]!;
  if (KATAKANA.test(text.slice(token.start, token.end))) {
    let start = token.start;
    let end = token.end;
    while (start > 0 && KATAKANA.test(text[start - 1]!)) start--;
    while (end < text.length && KATAKANA.test(text[end]!)) end++;
    spans.push({ start, end });
  }
  return spans.sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start);
}

/** The run of Latin letters and digits (with inner "-", ".", "+" and single spaces) around `at`, a Latin letter. */
function latinRun(text: string, at: number): { start: number; end: number } {
  let start = at;
  const joins = (k: number) => /[-.+ ]/u.test(text[k]!) && k > 0 && LATIN_OR_DIGIT.test(text[k - 1]!);
  while (start > 0 && (LATIN_OR_DIGIT.test(text[start - 1]!) || joins(start - 1))) start--;
  LATIN_RUN.lastIndex = start;
  const match = LATIN_RUN.exec(text);
  return { start, end: match ? start + match[0].length : at + 1 };
}

/** Singular forms a lower-case English plural may have: -s, -es, -ies -> -y, -ves -> -f(e), and a few irregular ones. */
export function singulars(word: string): string[] {
  const forms: string[] = [];
  if (SINGULAR[word]) forms.push(SINGULAR[word]!);
  if (word.endsWith('ies') && word.length > 4) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ves') && word.length > 4) forms.push(`${word.slice(0, -3)}f`, `${word.slice(0, -3)}fe`);
  if (/(?:s|x|z|ch|sh)es$/u.test(word)) forms.push(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) forms.push(word.slice(0, -1));
  return forms;
}

const SINGULAR: Record<string, string> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURALS).map(([one, many]) => [many, one]),
);
