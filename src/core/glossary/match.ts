// Finding a glossary's source terms in a text. Pure: the Worker, the page and the evaluation match alike.
//
// Rules:
// - Leftmost first, then longest: at the first place any term matches, the longest term there wins ("New York City"
//   before "New York"); the search goes on after it, so matches never overlap.
// - Whole words: an end of a term that is a letter or digit of an alphabet (Latin, Greek, Cyrillic) or a digit must
//   not touch another such character, nor a hyphen joined to one ("prize" is not found in "prizes-winner" nor in
//   "apprize"). Japanese has no spaces: a Japanese term is found wherever its characters are ("猫" in "子猫が").
// - Case: a lower-case letter of a term matches either case, an upper-case one only itself: "apple" finds "Apple"
//   and "APPLE", "Apple" finds "Apple" and "APPLE" but not "apple", "NASA" only "NASA". Among terms that differ only in
//   case, the one spelled exactly as the text wins, else the first that fits.
// - Whitespace inside a term matches any run of whitespace ("New York" finds "New\nYork").
// - English plurals: a term whose last word is letters also finds that word's plural: +s, +es after s/x/z/ch/sh,
//   consonant+y -> ies, and irregular ones from a short list (child/children, knife/knives, potato/potatoes, ...). The target term
//   is written as the glossary has it: no inflection of the target side, and none of Japanese source terms.
// Cost: a trie of the folded terms (and plurals) is built once per glossary (`GlossaryMatcher`, cached by the
// callers); finding terms walks it from each character of the sentence: a few map look-ups a character.

import type { Entry } from './entries.js';

/** A term found in a text. */
export interface TermMatch {
  start: number; // UTF-16 offsets in the text searched
  end: number;
  source: string; // the glossary's source term
  target: string; // the glossary's target term: what the span becomes
}

const WORD = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}\p{M}_]/u;
const SPACE = /\s/u;

/** A trie node: the next folded characters (" " stands for a run of whitespace), and the forms that end here. */
interface Node {
  next: Map<string, Node>;
  ends?: Entry[]; // entries with a form whose folded spelling ends here, in glossary order
}

export class GlossaryMatcher {
  private readonly root: Node = { next: new Map() };

  constructor(entries: readonly Entry[]) {
    for (const entry of entries) {
      for (const form of [entry.source, ...plurals(entry.source)]) {
        let node = this.root;
        for (const ch of fold(form)) {
          let child = node.next.get(ch);
          if (!child) node.next.set(ch, (child = { next: new Map() }));
          node = child;
        }
        if (!node.ends?.includes(entry)) node.ends = [...(node.ends ?? []), entry];
      }
    }
  }

  /** The terms in `text`, in order, not overlapping. */
  find(text: string): TermMatch[] {
    const found: TermMatch[] = [];
    for (let i = 0; i < text.length;) {
      const match = this.longestAt(text, i);
      if (match) found.push(match);
      i = match ? match.end : i + 1;
    }
    return found;
  }

  /** The longest term that starts at `start` and fits the whole-word and case rules. */
  private longestAt(text: string, start: number): TermMatch | undefined {
    let best: TermMatch | undefined;
    let node: Node | undefined = this.root;
    let i = start;
    while (node && i < text.length) {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      if (SPACE.test(ch)) {
        if (i === start) return undefined;
        while (i < text.length && SPACE.test(text[i]!)) i++;
        node = node.next.get(' ');
      } else {
        node = node.next.get(foldChar(ch));
        i += ch.length;
      }
      const entry = node?.ends && wholeWord(text, start, i) ? pickEntry(node.ends, text.slice(start, i)) : undefined;
      if (entry) best = { start, end: i, source: entry.source, target: entry.target };
    }
    return best;
  }
}

/** A span whose ends are word characters must not continue a word (nor a hyphenated one) on either side. */
function wholeWord(text: string, start: number, end: number): boolean {
  const word = (at: number) => at >= 0 && at < text.length && WORD.test(text[at]!);
  const joined = (at: number, step: number) => word(at) || (text[at] === '-' && word(at + step));
  return !(word(start) && joined(start - 1, -1)) && !(word(end - 1) && joined(end, 1));
}

/** Of the entries whose form folds to `found`: the one spelled exactly so, else the first the case rule lets fit. */
function pickEntry(entries: Entry[], found: string): Entry | undefined {
  const forms = (e: Entry) => [e.source, ...plurals(e.source)].map(collapse);
  const seen = collapse(found);
  return (
    entries.find((e) => forms(e).includes(seen)) ?? entries.find((e) => forms(e).some((form) => casesFit(form, seen)))
  );
}

const collapse = (text: string): string => text.replace(/\s+/gu, ' ');

/** Lower case, character by character (so offsets stay), whitespace runs as one " ". */
const fold = (text: string): string => [...collapse(text.trim())].map(foldChar).join('');

function foldChar(ch: string): string {
  const lower = ch.toLowerCase();
  return lower.length === ch.length ? lower : ch;
}

/** Each upper-case letter of the term is upper case in the text too (lower-case ones match either). */
function casesFit(term: string, text: string): boolean {
  const a = [...term];
  const b = [...text];
  return a.length === b.length && a.every((ch, i) => ch === ch.toLowerCase() || b[i] === ch);
}

/** Irregular English plurals, by singular. */
export const IRREGULAR_PLURALS: Record<string, string> = {
  child: 'children',
  man: 'men',
  woman: 'women',
  person: 'people',
  foot: 'feet',
  tooth: 'teeth',
  mouse: 'mice',
  goose: 'geese',
  knife: 'knives',
  wife: 'wives',
  life: 'lives',
  leaf: 'leaves',
  half: 'halves',
  shelf: 'shelves',
  wolf: 'wolves',
  thief: 'thieves',
  potato: 'potatoes',
  tomato: 'tomatoes',
  hero: 'heroes',
  echo: 'echoes',
};

/** English plurals of a term's last word (none for a last word that is not Latin letters: Japanese, digits). */
export function plurals(term: string): string[] {
  const match = term.match(/^(.*?)(\p{Script=Latin}+)$/u);
  if (!match) return [];
  const [, head = '', word = ''] = match;
  const lower = word.toLowerCase();
  const plural =
    IRREGULAR_PLURALS[lower] ??
    (/(?:s|x|z|ch|sh)$/.test(lower)
      ? `${lower}es`
      : /[^aeiou]y$/.test(lower)
        ? `${lower.slice(0, -1)}ies`
        : `${lower}s`);
  // In the term's case: "Apple" -> "Apples", "CPU" -> "CPUs" (the suffix of an upper-case word stays lower case).
  const cased = [...plural].map((ch, i) => (i < word.length && word[i] !== lower[i] ? ch.toUpperCase() : ch)).join('');
  return [head + cased];
}
