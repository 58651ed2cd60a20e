// English tokenization matching small_parallel_enja: lowercased Stanford/PTB style, except that every
// clitic is split at its apostrophe ("don't" -> "don 't", "o'clock" -> "o 'clock") and both opening and
// closing double quotes are written "''". detokenizeEnglish is the inverse, giving natural text.
import { truecaseTokens } from '../dictionary/truecase.js';

// Abbreviations keep their period; at the end of a sentence no extra "." token follows ("the u.s.").
const ABBREVIATIONS = 'mrs|mr|ms|dr|prof|st|jr|sr|vs|etc';

const TOKEN = new RegExp(
  [
    `''|"`, // double quote, either side
    `\\.\\.+`, // ellipsis
    `-{2,}`, // dash
    `(?:[a-z]\\.){2,}`, // initialisms: u.s., p.m., o.k.
    `(?:${ABBREVIATIONS}|[a-z])\\.`, // mr., and initials such as "t." or sentence-final "i."
    `(?<=[\\p{L}\\p{M}\\p{N}])'\\p{L}[\\p{L}\\p{M}]*`, // clitic attached to a word: 's 't 'll 'clock
    // words, with inner hyphens ("well-known", "3-2") and digit groups ("50,000", "3.5", "10:30")
    `[\\p{L}\\p{M}\\p{N}]+(?:(?:-|(?<=\\p{N})[.,:](?=\\p{N}))[\\p{L}\\p{M}\\p{N}]+)*`,
    `\\S\\p{M}*`, // anything else is one symbol: punctuation, "$", "%", "'", emoji
  ].join('|'),
  'gu',
);

// Applied after NFKC, which has already turned full-width forms into ASCII and "\u2033" into two primes.
const CHAR_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '`': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2010': '-',
  '\u2013': '--',
  '\u2014': '--',
  '\u2015': '--',
};
const MAPPED_CHARS = new RegExp(`[${Object.keys(CHAR_MAP).join('')}]`, 'g');

/** NFKC, ASCII quotes and dashes, control characters to spaces; format characters and lone surrogates dropped. */
function normalize(text: string): string {
  return text
    .replace(/[\p{Cf}\p{Cs}]/gu, '') // zero-width joiners, bidi marks, BOM; lone surrogates
    .normalize('NFKC')
    .replace(MAPPED_CHARS, (c) => CHAR_MAP[c]!)
    .replace(/\p{Cc}/gu, ' ')
    .toLowerCase();
}

export function tokenizeEnglish(text: string): string[] {
  return Array.from(normalize(text).matchAll(TOKEN), (m) => (m[0] === '"' ? "''" : m[0]));
}

const ATTACH_LEFT = /^(?:[.,;:?!%)\]}]|\.\.+|'\p{L}.*)$/u; // no space before: punctuation and clitics
const ATTACH_RIGHT = /^[$([{]$/; // no space after
const SENTENCE_END = /^[.?!]$/;
const QUOTE_INTRO = /^[,:]$/; // quoted speech after these starts a sentence: he said, "It's ..."

/** Tokens as text: spaced and quoted as English writes it, "I" and sentence starts capitalised, names and places cased
 *  by the truecasing table (../dictionary/truecase.ts: tokyo station -> Tokyo Station). */
export function detokenizeEnglish(words: string[]): string {
  const tokens = truecaseTokens(words);
  let out = '';
  let glueNext = true; // no space before the next token
  let capitalize = true;
  let doubleOpen = false;
  let singleOpen = false;
  tokens.forEach((token, i) => {
    let text = /^i\.?$/.test(token) ? token.toUpperCase() : token; // "i", sentence-final "i."
    let opens = false;
    if (token === "''") {
      text = '"';
      opens = doubleOpen = !doubleOpen;
    } else if (token === "'") {
      // an apostrophe ("minutes' walk", "goin' home") when no quote pairs with it, else a quote
      const apostrophe = singleOpen || (/(?:s|in)$/.test(tokens[i - 1] ?? '') && countFrom(tokens, i, "'") % 2 === 1);
      opens = singleOpen = !apostrophe;
    } else if (capitalize && /[\p{L}\p{N}\p{Co}]/u.test(token)) {
      // a placeholder (private use: a verbatim span or a glossary term, put back later) is the sentence's first word
      text = capitalizeFirst(text);
      capitalize = false;
    }
    const quote = token === "''" || token === "'";
    const left = quote ? !opens : ATTACH_LEFT.test(token);
    out += (glueNext || left ? '' : ' ') + text;
    glueNext = quote ? opens : ATTACH_RIGHT.test(token);
    if (SENTENCE_END.test(token) || (opens && QUOTE_INTRO.test(tokens[i - 1] ?? ''))) capitalize = true;
  });
  return out;
}

function countFrom(tokens: string[], start: number, token: string): number {
  return tokens.slice(start).filter((t) => t === token).length;
}

/** Upper-cases the first letter when that survives lower-casing back ("ß" stays, it would become "ss"). */
function capitalizeFirst(text: string): string {
  const first = String.fromCodePoint(text.codePointAt(0)!);
  const upper = first.toUpperCase();
  return upper.toLowerCase() === first ? upper + text.slice(first.length) : text;
}
