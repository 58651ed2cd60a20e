// English output cased as English is written, although the corpus the models learnt from is lower case: names,
// places, languages, months and days (tokyo -> Tokyo, tv -> TV, tokyo station -> Tokyo Station). The table
// (./truecase-table.ts) is derived from EDICT's and ENAMDICT's English by train/dictionary/truecase.ts, whose opening
// comment has the rules; it is a few KB of code, so casing costs no dictionary load.
//
// Rules of application, on the English tokens of a translation before they are joined into text:
// - a token in lower case that is a word of the table takes the table's case; a trailing period stays ("mr." -> "Mr.");
// - a run of tokens that spells a phrase of the table takes the phrase's case, the longest phrase first;
// - a token with any capital already (a dictionary term, a kept spelling: iPhone) is left as it is.
// "I" and sentence starts are the detokenizer's (../tokenize/english.ts).
import { TRUECASE_PHRASES, TRUECASE_WORDS } from './truecase-table.js';

const words = new Map(TRUECASE_WORDS.map((word) => [word.toLowerCase(), word]));
const phrases = new Map<string, string[][]>(); // first word -> its phrases' cased words, longest first
for (const phrase of TRUECASE_PHRASES) {
  const cased = phrase.split(' ');
  const first = cased[0]!.toLowerCase();
  phrases.set(
    first,
    [...(phrases.get(first) ?? []), cased].sort((a, b) => b.length - a.length),
  );
}

/** The tokens with the table's case (see the rules). */
export function truecaseTokens(tokens: string[]): string[] {
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    const token = out[i]!;
    if (token !== token.toLowerCase()) continue;
    const phrase = phrases.get(token)?.find((cased) => cased.every((word, k) => out[i + k] === word.toLowerCase()));
    if (phrase) {
      phrase.forEach((word, k) => (out[i + k] = word));
      i += phrase.length - 1;
      continue;
    }
    const [, word = '', dot = ''] = /^(.*?)(\.?)$/u.exec(token)!;
    const cased = words.get(word);
    if (cased) out[i] = cased + dot;
  }
  return out;
}
