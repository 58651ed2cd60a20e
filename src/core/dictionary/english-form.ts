// A dictionary noun in its English sentence: the dictionary gives "smartphone", the sentence around its placeholder
// says whether it is "smartphones" and whether the article before it is "a" or "an". Rules, on the output's tokens
// once every placeholder is in place (../document/verbatim-mask.ts):
// - plural after a number above one (digits, or a number word), or after many, several, few, these, those, both,
//   various, numerous ("some" takes either: the noun stays as the dictionary has it); a proper noun (written with a
//   capital: Tokyo) never;
// - an article right before it agrees with its first sound: "an" before a vowel letter ("an app", "an umbrella"),
//   "a" before a consonant, with the usual exceptions ("a user", "a one-way ticket", "an hour", "an honest").
import type { SpanAnnotation } from '../annotation.js';
import { plurals } from '../glossary/match.js';
import { NUMBER_WORDS, TENS } from '../entities/values.js';
import { placeholderIndex } from '../placeholders.js';

const PLURAL_BEFORE = new Set([
  ...['many', 'several', 'few', 'these', 'those', 'both', 'various', 'numerous'],
  ...NUMBER_WORDS.slice(2),
  ...Object.keys(TENS),
  ...['hundred', 'thousand', 'dozens', 'hundreds', 'thousands'],
]);
const NUMBER = /^\d+(?:[.,]\d+)*$/u;
const VOWEL_SOUND = /^(?:[aeio]|u(?!(?:ni|se|su|sa|ro|ti|ke|ku|re|ri|ra)))|^h(?:our|onest|onor|onour|eir)/iu;
const CONSONANT_SOUND = /^(?:one|once|eu|ewe|uni|use|usu|usa|uro|uti)/iu;

/** The noun `target` as the token before it wants it: plural after a number above one or a plural word. */
export function nounForm(target: string, previous: string | undefined): string {
  if (/\p{Lu}/u.test(target) || previous === undefined) return target;
  const lower = previous.toLowerCase();
  const plural = PLURAL_BEFORE.has(lower) || (NUMBER.test(lower) && Number(lower.replace(/,/gu, '')) !== 1);
  return plural ? (plurals(target)[0] ?? target) : target;
}

/** "a" or "an", in the case of `article`, for the word `next`. */
export function articleFor(article: string, next: string): string {
  const an = VOWEL_SOUND.test(next) && !CONSONANT_SOUND.test(next);
  const word = an ? 'an' : 'a';
  return article[0] === 'A' ? word.charAt(0).toUpperCase() + word.slice(1) : word;
}

/**
 * The output tokens with every article before a dictionary noun made to agree, and a masked piece's spans with each
 * dictionary noun's target in its form (by the token before it). Placeholder i is the token U+E000 + i, for spans[i].
 */
export function fitNouns(tokens: string[], spans: SpanAnnotation[]): { tokens: string[]; spans: SpanAnnotation[] } {
  const out = [...tokens];
  const fitted = [...spans];
  tokens.forEach((token, t) => {
    const i = placeholderIndex(token);
    if (i < 0 || i >= spans.length || spans[i]!.kind !== 'dictionary') return;
    fitted[i] = { ...spans[i]!, target: nounForm(spans[i]!.target, tokens[t - 1]) };
    if (t > 0 && /^an?$/iu.test(tokens[t - 1]!)) out[t - 1] = articleFor(tokens[t - 1]!, fitted[i]!.target);
  });
  return { tokens: out, spans: fitted };
}
