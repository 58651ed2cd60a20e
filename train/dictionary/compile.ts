// Compiling EDICT entries (./edict.ts) into the dictionary's two files (format: src/core/dictionary/dictionary.ts).
// Pure: ./build.ts feeds it the Debian package's entries and the corpus, the unit tests a fixture.
//
// What is kept (the artifact ships in the repository, so it stays a few MB):
// - every common entry (EDICT's (P)), whatever its part of speech, so the look-up knows particles and verbs too;
// - every katakana noun with an English translation: the loanwords of modern text (smartphone, password, app);
// - every other noun whose headword occurs in the Japanese corpus, or is a short compound (at most SHORT_HEADWORD
//   characters, translated in at most two English words: 充電器 charger, 電子レンジ microwave oven), or whose English
//   translation is a word no kept entry translates yet (each English noun gets its Japanese).
// A translation, each way, is a noun's: the first sense tagged as a noun (n, n-t, n-adv, n-pr; not archaic, obsolete,
// rare, vulgar, slang, nor a suffix or prefix), its first gloss of at most three words with parentheses removed
// (an article dropped: "(the) Internet" -> "Internet"). Particles, auxiliaries, pronouns, conjunctions, verbs and
// expressions get none: a look-up shows them, a sentence never gets them.
// Ranking, best first: the Japanese of an English word by its sense (the first gloss of an entry's first sense before
// any other, the first sense before a later one: "laptop" is ノート's third, "account" 払い's third gloss), then (P), then a plain sense (not an abbreviation, colloquial, slang), a
// spelling without "・", a loanword's spelling with its final ー (プリンター before プリンタ), then the Japanese word's
// frequency in the corpus, then gloss and EDICT order; the entries of a
// Japanese key by (P), then the corpus frequency of their English, then EDICT's order. A sentence gets the best entry's
// translation only: when that one is no noun (私 is a pronoun first), the word gets none.
// Headwords with Latin letters (Ｗｉ‐Ｆｉ, ＣＤ) are left out: Japanese writes those words in Latin, as English does.
import { singulars } from '../../src/core/dictionary/unknown-words.js';
import type { EdictEntry, EdictSense } from './edict.js';

export interface CorpusCounts {
  ja: (word: string) => number; // occurrences of a Japanese word in the corpus's Japanese side
  en: (word: string) => number; // of an English word (lower case) in its English side
}

export interface Compiled {
  files: { 'ja-en': string; 'en-ja': string };
  kept: { entries: number; common: number; katakana: number; corpus: number; short: number; english: number };
}

const NOUN = new Set(['n', 'n-t', 'n-adv', 'n-pr']);
const NOT_A_SENTENCE_WORD = new Set([
  'prt',
  'aux',
  'aux-v',
  'aux-adj',
  'conj',
  'cop',
  'cop-da',
  'pn',
  'pref',
  'suf',
  'n-suf',
  'n-pref',
  'ctr',
  'exp',
  'int',
  'num',
  'unc',
]);
const SKIPPED_SENSE = new Set([
  'arch',
  'obs',
  'obsc',
  'rare',
  'vulg',
  'sl',
  'm-sl',
  'net-sl',
  'derog',
  'X',
  'dated',
  'hist',
]);
const NOT_PLAIN = new Set(['abbr', 'col', 'fam', 'joc', 'sens', 'id', 'proverb', 'yoji']);
const KATAKANA = /^[\p{Script=Katakana}ー・]+$/u;
const MAX_GLOSS_WORDS = 3;
const MAX_SENSES = 3; // senses kept per common entry (for the look-up), and glosses per sense
const MAX_RARE_SENSES = 1; // of an entry that is not common: its first sense, two glosses
const MAX_RARE_GLOSSES = 2;
const MAX_GLOSS_CHARS = 80;
const LATIN = /[\p{Script=Latin}]/u; // a headword Japanese writes in Latin letters (Ｗｉ‐Ｆｉ) stays as written: no entry
const MAX_TARGETS = 3; // Japanese words kept per English key
const SHORT_HEADWORD = 5;

/** The entries kept and the two files. */
export function compileDictionary(entries: EdictEntry[], counts: CorpusCounts): Compiled {
  const translated = entries
    .filter((entry) => !LATIN.test(entry.headword))
    .map((entry) => ({ entry, target: englishOf(entry) }));
  const kept = new Set<number>();
  const why = { common: 0, katakana: 0, corpus: 0, short: 0, english: 0 };
  const keep = (i: number, reason: keyof typeof why) => kept.has(i) || (kept.add(i), why[reason]++);
  translated.forEach(({ entry, target }, i) => {
    if (entry.common) keep(i, 'common');
    else if (target && KATAKANA.test(entry.headword)) keep(i, 'katakana');
    else if (target && counts.ja(entry.headword) > 0) keep(i, 'corpus');
    else if (target && [...entry.headword].length <= SHORT_HEADWORD && target.split(' ').length <= 2) keep(i, 'short');
  });
  const covered = new Set([...kept].flatMap((i) => englishKeys(translated[i]!.entry).map((k) => k.key)));
  translated.forEach(({ entry, target }, i) => {
    if (!target || kept.has(i)) return;
    const fresh = englishKeys(entry).filter((k) => !covered.has(k.key));
    if (fresh.length === 0) return;
    keep(i, 'english');
    fresh.forEach((k) => covered.add(k.key));
  });
  const chosen = [...kept].sort((a, b) => a - b).map((i) => ({ ...translated[i]!, order: i }));
  const jaEn = jaEnLines(chosen, counts);
  const files = { 'ja-en': jaEn.text, 'en-ja': enJaText(chosen, jaEn.lineOf, counts, englishVerbs(entries)) };
  return { files, kept: { entries: kept.size, ...why } };
}

type Chosen = { entry: EdictEntry; target: string | undefined; order: number };

/** The ja-en lines: each entry under its headword (and under its reading when it is usually written in kana). */
function jaEnLines(chosen: Chosen[], counts: CorpusCounts): { text: string; lineOf: Map<Chosen, number> } {
  const rank = (c: Chosen) => [c.entry.common ? 0 : 1, -(c.target ? counts.en(c.target.toLowerCase()) : -1), c.order];
  const rows = chosen.map((c) => ({ c, key: c.entry.headword, alias: false }));
  for (const c of chosen) {
    const { reading } = c.entry;
    if (reading && c.entry.senses.some((s) => s.misc.includes('uk'))) rows.push({ c, key: reading, alias: true });
  }
  rows.sort((a, b) => compare(a.key, b.key) || Number(a.alias) - Number(b.alias) || compareRanks(rank(a.c), rank(b.c)));
  const lineOf = new Map<Chosen, number>();
  rows.forEach((row, i) => row.alias || lineOf.set(row.c, i));
  const text = rows.map(({ c, key, alias }) => {
    if (alias) return [key, '', '', '', `@${lineOf.get(c)}`].join('\t');
    const [senseCount, glossCount] = c.entry.common ? [MAX_SENSES, MAX_SENSES] : [MAX_RARE_SENSES, MAX_RARE_GLOSSES];
    const senses = c.entry.senses
      .slice(0, senseCount)
      .map((s) => `${s.pos.join(',')}:${s.glosses.slice(0, glossCount).map(clean).join('/')}`);
    return [key, c.entry.reading ?? '', c.entry.common ? 'P' : '', c.target ?? '', senses.join('|')].join('\t');
  });
  return { text: text.map((line) => `${line}\n`).join(''), lineOf };
}

/** The en-ja lines: per English key its best Japanese words. */
function enJaText(chosen: Chosen[], lineOf: Map<Chosen, number>, counts: CorpusCounts, verbs: Set<string>): string {
  type Candidate = { c: Chosen; japanese: string; sense: number; gloss: number; plain: boolean; proper: boolean };
  const byKey = new Map<string, Candidate[]>();
  for (const c of chosen) {
    for (const { key, japanese, sense, gloss, plain, proper } of englishKeys(c.entry)) {
      const list = byKey.get(key) ?? [];
      if (!list.some((other) => other.japanese === japanese)) list.push({ c, japanese, sense, gloss, plain, proper });
      byKey.set(key, list);
    }
  }
  const lines: string[] = [];
  for (const key of [...byKey.keys()].sort(compare)) {
    const list = byKey.get(key)!;
    const spellings = new Set(list.map((t) => t.japanese));
    const rank = ({ c, japanese, sense, gloss, plain }: Candidate) => [
      sense + gloss > 0 ? 1 : 0,
      sense > 0 ? 1 : 0,
      c.entry.common ? 0 : 1,
      plain ? 0 : 1,
      japanese.includes('・') ? 1 : 0,
      // Of a loanword spelt with and without its final long vowel (プリンタ, プリンター), the one with it: today's
      // usage and the corpus's (コンピューター).
      spellings.has(`${japanese}ー`) ? 1 : 0,
      -counts.ja(japanese),
      gloss,
      c.order,
    ];
    const best = list
      .map((t) => ({ t, rank: rank(t) }))
      .sort((a, b) => compareRanks(a.rank, b.rank))
      .slice(0, MAX_TARGETS)
      .map(({ t }) => t);
    const verb = [key, ...singulars(key)].some((form) => verbs.has(form)); // "charges" may be "he charges"
    const suru = (t: Candidate) => t.c.entry.senses[t.sense]!.pos.includes('vs');
    const flags = (t: Candidate) =>
      `${t.c.entry.common ? 'P' : ''}${t.proper ? 'C' : ''}${verb ? 'V' : ''}${suru(t) ? 'S' : ''}`;
    for (const t of best) lines.push([key, t.japanese, String(lineOf.get(t.c)), flags(t)].join('\t'));
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The English a Japanese word is translated into: its first noun sense's first short gloss, or undefined. */
export function englishOf(entry: EdictEntry): string | undefined {
  for (const sense of entry.senses) {
    if (!isNounSense(sense)) continue;
    const gloss = sense.glosses.map(targetForm).find((g) => g !== undefined);
    if (gloss) return gloss;
  }
  return undefined;
}

/** The single English words (lower case) an entry translates, with what a sentence writes for them in Japanese. */
function englishKeys(
  entry: EdictEntry,
): { key: string; japanese: string; sense: number; gloss: number; plain: boolean; proper: boolean }[] {
  const keys = [];
  for (const [s, sense] of entry.senses.entries()) {
    if (!isNounSense(sense)) continue;
    const japanese = sense.misc.includes('uk') && entry.reading ? entry.reading : entry.headword;
    const plain = !sense.misc.some((m) => NOT_PLAIN.has(m));
    for (const [g, gloss] of sense.glosses.entries()) {
      const form = targetForm(gloss);
      if (!form || /[\s]/u.test(form)) continue;
      keys.push({ key: form.toLowerCase(), japanese, sense: s, gloss: g, plain, proper: /\p{Lu}/u.test(form) });
    }
  }
  return keys;
}

/** English verbs: the X of EDICT's "to X" glosses of verb senses (die, charge, expire: "dies" may be no plural). */
function englishVerbs(entries: EdictEntry[]): Set<string> {
  const verbs = new Set<string>();
  for (const entry of entries) {
    for (const sense of entry.senses) {
      if (!sense.pos.some((p) => /^v/u.test(p))) continue;
      for (const gloss of sense.glosses) {
        const verb = /^to ([a-z]+)$/u.exec(gloss.replace(/\([^()]*\)/gu, '').trim())?.[1];
        if (verb) verbs.add(verb);
      }
    }
  }
  return verbs;
}

function isNounSense(sense: EdictSense): boolean {
  return (
    sense.pos.some((p) => NOUN.has(p)) &&
    !sense.pos.some((p) => NOT_A_SENTENCE_WORD.has(p)) &&
    !sense.misc.some((m) => SKIPPED_SENSE.has(m))
  );
}

/** A gloss as a sentence writes it: parentheses removed, an article dropped; undefined when it is no short phrase. */
export function targetForm(gloss: string): string | undefined {
  let text = gloss;
  for (let before = ''; before !== text;) [before, text] = [text, text.replace(/\([^()]*\)/gu, ' ')];
  text = text
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^(?:the|a|an) /iu, '');
  if (!text || /[^\p{L}\p{N} '.-]/u.test(text) || /\.\./u.test(text) || /^to /u.test(text)) return undefined;
  return text.split(' ').length <= MAX_GLOSS_WORDS ? text : undefined;
}

/** A gloss for the look-up: one line, no tabs or separators of the format. */
const clean = (gloss: string): string => gloss.replace(/[\t\n|/]/gu, ' ').slice(0, MAX_GLOSS_CHARS);

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
