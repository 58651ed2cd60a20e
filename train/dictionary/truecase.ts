// The truecasing table of English output (src/core/dictionary/truecase.ts): which words of the corpus's lower-cased
// English are written with capitals (tokyo -> Tokyo, tv -> TV, tokyo station -> Tokyo Station), from how EDICT and
// ENAMDICT write them and from the corpus pairs. Pure: ./build.ts feeds it the packages and the corpus.
//
// Rules, for a word of the corpus's English (letters only):
// - evidence: its spellings in EDICT's glosses standing alone (a capitalised word beside another capitalised word is
//   part of a name, "United States", and counts for the phrase only), and ENAMDICT's names that are that word;
// - written capitalised (Title or ALL CAPS, whichever EDICT and ENAMDICT write most) when EDICT writes it so at least
//   MIN_CAPITALISED times and never in lower case (January, Japanese); or when the capitalised spellings outnumber the
//   lower-case ones RATIO to one and the corpus agrees: in at least MIN_AGREEMENT of the corpus pairs with the word,
//   the Japanese side has the Japanese of one of its capitalised entries (mary -> メアリー, china -> 中国; not drew,
//   whose ENAMDICT name ドリュー the corpus never has, nor lent, 四旬節);
// - phrases: two to four capitalised words in a gloss ("Tokyo Station", "New York"), every word in the corpus's
//   English, when the corpus agrees as above (in two pairs at least, and half of them), or never has the phrase, ENAMDICT names a place or station so and its
//   first word is a capitalised word of the table ("Kyoto Station"; not "Same Station", ENAMDICT's 佐目駅, which would
//   make "the same station" a name, nor EDICT's "Chinese Girl");
// - agreement counts Japanese of two characters or more: a one-kanji name (乱 Ran) is inside too many other words.
import type { EdictEntry, NameEntry } from './edict.js';

export interface TruecaseTable {
  words: string[]; // cased forms: "Tokyo", "TV"
  phrases: string[]; // cased phrases: "Tokyo Station"
}

export interface CorpusPairs {
  en: string[][]; // tokens of each pair's English, lower case
  ja: string[]; // each pair's Japanese, without spaces
}

const MIN_CAPITALISED = 3;
const RATIO = 3;
const MIN_AGREEMENT = 0.3;
const MIN_PHRASE_AGREEMENT = 0.5; // and two pairs at least: a phrase of common words ("keep out") needs more
const MAX_PHRASE = 4;
const WORD = /[A-Za-z]+/gu;
const PLACES = new Set(['p', 'st']); // ENAMDICT's places and stations

interface Evidence {
  forms: Map<string, number>; // capitalised spellings seen
  lower: number;
  edictCapitalised: number;
  japanese: Set<string>; // headwords of the entries that write it capitalised
}

export function truecaseTable(entries: EdictEntry[], names: NameEntry[], corpus: CorpusPairs): TruecaseTable {
  const vocabulary = new Set(corpus.en.flat());
  const evidence = new Map<string, Evidence>();
  const phrases = new Map<string, { japanese: Set<string>; place: boolean }>(); // cased phrase -> its Japanese, and whether a place or station names it
  const of = (lower: string) =>
    evidence.get(lower) ??
    (evidence.set(lower, { forms: new Map(), lower: 0, edictCapitalised: 0, japanese: new Set() }),
    evidence.get(lower)!);
  const read = (gloss: string, headword: string, fromEdict: boolean, place = false) => {
    const words = [...gloss.replace(/\([^()]*\)/gu, ' ').matchAll(WORD)].map((m) => m[0]);
    words.forEach((word, i) => {
      const lower = word.toLowerCase();
      if (!vocabulary.has(lower)) return;
      const e = of(lower);
      if (word === lower) return void (fromEdict && e.lower++);
      const neighbour = [words[i - 1], words[i + 1]].some((w) => w !== undefined && isCapitalised(w) && w !== 'The');
      if (neighbour || !isCapitalised(word)) return;
      e.forms.set(word, (e.forms.get(word) ?? 0) + 1);
      if (fromEdict) e.edictCapitalised++;
      e.japanese.add(headword);
    });
    for (const phrase of capitalisedRuns(words)) {
      if (!phrase.every((w) => vocabulary.has(w.toLowerCase()))) continue;
      const known = phrases.get(phrase.join(' ')) ?? { japanese: new Set<string>(), place: false };
      known.japanese.add(headword);
      known.place ||= place;
      phrases.set(phrase.join(' '), known);
    }
  };
  for (const entry of entries)
    for (const sense of entry.senses) for (const gloss of sense.glosses) read(gloss, entry.headword, true);
  for (const name of names)
    for (const gloss of name.glosses)
      read(
        gloss,
        name.headword,
        false,
        name.kinds.some((k) => PLACES.has(k)),
      );

  const agreement = corpusAgreement(corpus);
  const words: string[] = [];
  for (const [lower, e] of [...evidence].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const capitalised = [...e.forms.values()].reduce((sum, n) => sum + n, 0);
    const always = e.edictCapitalised >= MIN_CAPITALISED && e.lower === 0;
    const mostly = capitalised >= RATIO * (e.lower + 1) && agreement([lower], e.japanese) >= MIN_AGREEMENT;
    if (always || mostly) words.push([...e.forms].sort((a, b) => b[1] - a[1])[0]![0]);
  }
  const proper = new Set(words);
  const kept = [...phrases].filter(([phrase, { japanese, place }]) => {
    const share = agreement(phrase.toLowerCase().split(' '), japanese);
    return Number.isNaN(share) ? place && proper.has(phrase.split(' ')[0]!) : share >= MIN_PHRASE_AGREEMENT;
  });
  return { words, phrases: kept.map(([phrase]) => phrase).sort() };
}

const isCapitalised = (word: string): boolean => /^[A-Z]/u.test(word);

/** Runs of 2..MAX_PHRASE capitalised words. */
function capitalisedRuns(words: string[]): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const word of [...words, '']) {
    if (isCapitalised(word)) run.push(word);
    else {
      if (run.length >= 2 && run.length <= MAX_PHRASE) runs.push(run);
      run = [];
    }
  }
  return runs;
}

/**
 * The share of the corpus pairs holding the words (in a row) whose Japanese holds one of `japanese` (NaN: no pair
 * holds the words). Digits folded (NFKC), as the corpus writes ５月.
 */
function corpusAgreement(corpus: CorpusPairs): (words: string[], japanese: Set<string>) => number {
  const pairsOf = new Map<string, number[]>();
  corpus.en.forEach((tokens, i) =>
    new Set(tokens).forEach((t) => (pairsOf.get(t) ?? pairsOf.set(t, []).get(t)!).push(i)),
  );
  const ja = corpus.ja.map((line) => line.normalize('NFKC'));
  return (words, japanese) => {
    const pairs = (pairsOf.get(words[0]!) ?? []).filter((i) => words.length === 1 || containsRun(corpus.en[i]!, words));
    if (pairs.length === 0) return NaN;
    if (words.length > 1 && pairs.length < 2) return 0;
    const forms = [...japanese].map((j) => j.normalize('NFKC')).filter((form) => [...form].length >= 2);
    return pairs.filter((i) => forms.some((form) => ja[i]!.includes(form))).length / pairs.length;
  };
}

function containsRun(tokens: string[], words: string[]): boolean {
  for (let i = 0; i + words.length <= tokens.length; i++) if (words.every((w, k) => tokens[i + k] === w)) return true;
  return false;
}
