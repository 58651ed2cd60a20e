// Which English words are names, and which stay in Latin letters in Japanese.
//
// A name candidate (en -> ja) is a word that starts with a capital and goes on in lower case ("John", "O'Brien",
// "Jean-Paul"), is not the first word of its sentence, and is unknown to the model's vocabulary: the corpus is
// lower-cased, so a capitalised word the model knows ("Tokyo", "Tom") is better left to the model, and a sentence's
// first word is capitalised whatever it is.
//
// Latin-script brands stay as written, because Japanese writes them so:
// - by form: a word with a capital after its first letter (iPhone, YouTube, eBay, PlayStation) except after a
//   surname's prefix (McDonald, MacArthur, O'Brien, DeVito), in capitals only (IBM, NASA), or with a digit (PS5);
// - by name: the ones capitalised like ordinary names that Japanese text mostly leaves in Latin letters, listed in
//   `LATIN_BRANDS` (a brand that Japanese writes in katakana, Microsoft マイクロソフト, Toyota トヨタ, is not listed and
//   is transliterated like a name).

export const LATIN_BRANDS: ReadonlySet<string> = new Set([
  'Airbnb',
  'Amazon',
  'Android',
  'Bluetooth',
  'Chrome',
  'Discord',
  'Dropbox',
  'Excel',
  'Facebook',
  'Firefox',
  'Gmail',
  'Google',
  'Instagram',
  'Kindle',
  'Linux',
  'Netflix',
  'Outlook',
  'PowerPoint',
  'Python',
  'Safari',
  'Skype',
  'Slack',
  'MacBook',
  'Spotify',
  'Telegram',
  'Threads',
  'Uber',
  'Wi-Fi',
  'Windows',
  'Zoom',
]);

/** Whether an English word stays as written in Japanese (the rules above). */
export function staysLatin(word: string): boolean {
  if (LATIN_BRANDS.has(word) || /\p{N}/u.test(word) || /^\p{Lu}{2,}$/u.test(word)) return true;
  return word.split(/[-'’]/u).some((part) => /^\p{L}+\p{Lu}/u.test(part) && !SURNAME_PREFIX.test(part));
}

const SURNAME_PREFIX = /^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von)\p{Lu}\p{Ll}+$/u;
const PART = String.raw`(?:Mc|Mac)?\p{Lu}\p{Ll}+(?:['’]\p{Lu}?\p{Ll}+)*`;
const NAME_SHAPE = new RegExp(`^${PART}(?:-${PART})*$`, 'u');

/** Whether an English word has the shape of a name: capital first, lower case after (McDonald, O'Brien, Jean-Paul). */
export const isNameShaped = (word: string): boolean => NAME_SHAPE.test(word);

/** The rule of a name candidate above; `known` tells whether the model's vocabulary has the (lower-cased) word. */
export function isNameCandidate(word: string, sentenceStart: boolean, known: (lowerCased: string) => boolean): boolean {
  return !sentenceStart && isNameShaped(word) && !known(word.toLowerCase());
}

/** a-z of a Latin word: accents stripped, anything else dropped ("O'Brien" -> "obrien", "José" -> "jose"). */
export const foldLatin = (word: string): string =>
  word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
