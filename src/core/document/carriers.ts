// Which target tokens carry a span that stayed in its piece's text (the rules are in ./verbatim-mask.ts): a span the
// model reads (a number it knows, a word kept for a model without placeholder tokens, a glossary term or entity it
// knows) comes out as the model's own tokens, not as a placeholder, so the tokens that carry it are marked with its
// placeholder before every placeholder is placed (./verbatim-mask.ts placeEveryPlaceholder) and written back.
import type { Alignment } from '../align.js';
import { isPlaceholder, placeholder } from '../placeholders.js';
import { fold, type Masked } from './verbatim-mask.js';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The target tokens with each known span's carrier marked: the first token that holds the span (as the tokenizers
 * fold it: "５時" holds "5", not "15") gets the span's placeholder in its place ("\uE000時").
 */
export function markKnownSpans(tokens: string[], masked: Masked): string[] {
  const out = [...tokens];
  masked.spans.forEach(({ rule, read, tokens }, i) => {
    if (read === placeholder(i) || tokens) return; // a term, entity or stand-in the model reads: markKnownTerms
    if (rule === 'word') {
      // A word kept in the text: every token its <unk>s became (placeEveryPlaceholder keeps the first).
      out.forEach((token, t) => fold(token) === read && (out[t] = placeholder(i)));
      return;
    }
    const pattern = new RegExp(`(?<![0-9])${escape(read)}(?![0-9])`, 'u');
    for (const [t, token] of out.entries()) {
      const folded = fold(token);
      const found = folded.length === token.length ? pattern.exec(folded) : null; // folding must keep the offsets
      if (!found) continue;
      out[t] = token.slice(0, found.index) + placeholder(i) + token.slice(found.index + read.length);
      return;
    }
  });
  return out;
}

/**
 * The target tokens with each kept glossary term's (or entity's) carriers marked by its placeholder (the first stays,
 * the placement drops repeats): the target term itself where the model wrote it, else by the lexicon. A target
 * token's source is the source token whose likely translations (`translationsOf`, best first: the shortlist's lexical
 * table) rank it highest, attention breaking ties; the carriers of a term are the tokens whose source is one of the
 * term's: for each of its source tokens, the one it ranks best (then by attention). Attention alone does not say it:
 * the shipped models' attention often peaks one token after the word ("english" on の in 英語 の). Without a carrier
 * (or an alignment) the term is left to placeEveryPlaceholder, which inserts it next to the word attending most to it.
 */
export function markKnownTerms(
  tokens: string[],
  masked: Masked,
  alignment: Alignment | undefined,
  translationsOf: (source: string) => readonly string[],
): string[] {
  const out = [...tokens];
  if (!alignment || !masked.spans.some((span) => span.tokens)) return out;
  const ranks = alignment.source.map((source) => new Map(translationsOf(source).map((target, rank) => [target, rank])));
  const sourceOf = tokens.map((token, t) => lexicalSource(token, ranks, alignment.weights[t] ?? []));
  const nearTerm = (t: number, columns: Set<number>) =>
    [...columns, Math.min(...columns) - 1, Math.max(...columns) + 1].reduce(
      (sum, j) => sum + (alignment.weights[t]?.[j] ?? 0),
      0,
    );
  const taken = new Map<string, number>(); // a term's token sequence -> its occurrences already given columns
  masked.spans.forEach((term, i) => {
    if (!term.tokens) return;
    const key = term.tokens.join(' ');
    const columns = occurrence(alignment.source, term.tokens, taken.get(key) ?? 0);
    taken.set(key, (taken.get(key) ?? 0) + 1);
    const written = writtenAt(tokens, term.target).sort(
      (a, b) => nearTerm(b[0]!, columns) - nearTerm(a[0]!, columns),
    )[0];
    if (written) return written.forEach((t) => (out[t] = placeholder(i))); // the model already wrote the target term
    for (const column of columns) {
      const rank = (t: number) => ranks[column]!.get(tokens[t]!)!;
      // A stand-in (../dictionary/stand-ins.ts) translates one way: only that token carries it, never a particle
      // the lexicon also ranks (book: 本, を, 。; "お願いしま" took アプリ for its ま).
      const carries = (t: number) =>
        sourceOf[t] === column && !isPlaceholder(tokens[t]!) && (term.rule !== 'word' || rank(t) === 0);
      const carriers = tokens.flatMap((_, t) => (carries(t) ? [t] : []));
      const best = carriers.sort((a, b) => rank(a) - rank(b) || nearTerm(b, columns) - nearTerm(a, columns))[0];
      if (best !== undefined) out[best] = placeholder(i);
      // A stand-in (../dictionary/stand-ins.ts) written twice: the word it stands for comes once, the stand-in never.
      if (term.rule === 'word') carriers.forEach((t) => rank(t) === rank(best!) && (out[t] = placeholder(i)));
    }
  });
  return out;
}

/** The runs of `tokens` that spell `target` (joined with or without spaces, in any case and width: "３ 月" is "3月"), as token indices. */
function writtenAt(tokens: string[], target: string): number[][] {
  const wanted = fold(target);
  const runs: number[][] = [];
  for (let t = 0; t < tokens.length; t++) {
    let joined = '';
    for (let end = t; end < tokens.length && joined.length < wanted.length; end++) {
      joined += (end > t && wanted[joined.length] === ' ' ? ' ' : '') + fold(tokens[end]!);
      if (joined === wanted) runs.push(Array.from({ length: end - t + 1 }, (_, k) => t + k));
    }
  }
  return runs;
}

/** The source column whose likely translations rank `token` best (attention breaks ties); undefined: none has it. */
function lexicalSource(token: string, ranks: Map<string, number>[], weights: ArrayLike<number>): number | undefined {
  let best: number | undefined;
  ranks.forEach((rank, j) => {
    const r = rank.get(token);
    if (r === undefined) return;
    const current = best === undefined ? undefined : ranks[best]!.get(token)!;
    if (current === undefined || r < current || (r === current && (weights[j] ?? 0) > (weights[best!] ?? 0))) best = j;
  });
  return best;
}

/** The columns of the `nth` occurrence of `words` in `source` (empty when it has fewer). */
function occurrence(source: string[], words: string[], nth: number): Set<number> {
  let found = -1;
  for (let j = 0; j + words.length <= source.length; j++) {
    if (words.every((w, k) => source[j + k] === w) && ++found === nth) return new Set(words.map((_, k) => j + k));
  }
  return new Set();
}
