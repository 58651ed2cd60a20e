// Verbatim spans through the model: each span of ../segment/verbatim.ts (number, time, date, amount, URL, e-mail,
// @handle, #hashtag) is replaced by a placeholder before translating and put back, character for character, after.
//
// - A placeholder is one character of Unicode's private use area (U+E000 + i for the sentence's i-th span). Every
//   tokenizer keeps it a token of its own (../tokenize) and no vocabulary has it, so the model reads <unk> there:
//   the training data's rare words, names and numbers were <unk> too, so the model has learned to emit <unk> where
//   such a word goes.
// - The search may then emit <unk> (replaceUnknown): each target <unk> becomes the source token it attended to
//   most (../align.ts), which puts a placeholder where the model placed the word.
// - Except a span the model reads as one token of its vocabulary (a number it has seen, "5", "10"): it stays in the
//   text, where the model translates it well ("at 5" -> "５時に"), and the target token that carries it ("５時") gets
//   the span back in its place ("5時"). Only when no target token carries it is it placed as below.
// - Every span comes back exactly once: a placeholder the output repeats keeps its first place only; one the
//   output lacks is inserted next to the target word that attended to it most (punctuation, which often gathers
//   the attention of a sentence's end, does not count): in Japanese before it, and only before a word with kanji,
//   katakana or Latin letters (a number precedes its counter or noun, never splits a verb from its kana ending:
//   "3:30に会議", not "感動し3:30た"); in English after it ("at 3:30"); at the end without attention.
// - A span may carry a replacement instead of itself: a glossary term (../glossary/match.ts) is masked like a span
//   and its placeholder comes back as the glossary's target term. Where a term and a span overlap the longer one
//   wins (the term on equal length); a term is never left in the text as a known span.
import type { Alignment } from '../align.js';
import type { TermMatch } from '../glossary/match.js';
import { findVerbatim } from '../segment/verbatim.js';

const FIRST = 0xe000;
const LAST = 0xf8ff;
export const PLACEHOLDER = /[\uE000-\uF8FF]/u;
const PLACEHOLDERS = new RegExp(PLACEHOLDER.source, 'gu');

export interface Masked {
  text: string; // the text with each verbatim span replaced by its placeholder (or left as it is, when known)
  spans: string[]; // what placeholder i comes back as: the span's text, or a glossary term's target
  sources: string[]; // how the model reads span i: its placeholder, or the known span as tokenizers fold it
  terms?: (TermMatch | undefined)[]; // by placeholder index: the glossary term it masks (absent when none does)
}

/** Finds glossary terms in a text (../glossary/match.ts GlossaryMatcher.find). */
export type FindTerms = (text: string) => TermMatch[];

/**
 * The text with its verbatim spans and the glossary terms `findTerms` finds replaced by placeholders, except spans
 * `known` to the model (the text's own private-use characters are dropped).
 */
export function maskVerbatim(text: string, known: (span: string) => boolean = () => false, findTerms?: FindTerms): Masked {
  const clean = text.replace(PLACEHOLDERS, '');
  const masked: Masked = { text: '', spans: [], sources: [] };
  let at = 0;
  for (const span of spansOf(clean, findTerms)) {
    if (FIRST + masked.spans.length > LAST) break; // 6400 spans in one sentence: the rest is translated as text
    const original = clean.slice(span.start, span.end);
    const keep = !span.term && known(original);
    masked.text += clean.slice(at, span.start) + (keep ? original : placeholder(masked.spans.length));
    masked.sources.push(keep ? fold(original) : placeholder(masked.spans.length));
    masked.spans.push(span.term?.target ?? original);
    if (span.term) (masked.terms ??= [])[masked.spans.length - 1] = span.term;
    at = span.end;
  }
  masked.text += clean.slice(at);
  return masked;
}

type MaskSpan = { start: number; end: number; term?: TermMatch };

/** Verbatim spans and glossary terms in order, not overlapping: of two that overlap the longer (a term on a tie). */
function spansOf(text: string, findTerms: FindTerms | undefined): MaskSpan[] {
  const terms = findTerms?.(text) ?? [];
  if (terms.length === 0) return findVerbatim(text);
  const all: MaskSpan[] = [...terms.map((term) => ({ start: term.start, end: term.end, term })), ...findVerbatim(text)];
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || Number(!a.term) - Number(!b.term) || a.start - b.start);
  const kept: MaskSpan[] = [];
  for (const span of all) if (kept.every((other) => other.end <= span.start || other.start >= span.end)) kept.push(span);
  return kept.sort((a, b) => a.start - b.start);
}

const placeholder = (i: number): string => String.fromCharCode(FIRST + i);
const indexOf = (token: string): number => token.charCodeAt(0) - FIRST;
const isPlaceholder = (token: string): boolean => token.length === 1 && PLACEHOLDER.test(token);
const fold = (text: string): string => text.normalize('NFKC').toLowerCase();
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The target tokens with each known span's carrier marked: the first token that holds the span (as the tokenizers
 * fold it: "５時" holds "5", not "15") gets the span's placeholder in its place ("\uE000時").
 */
export function markKnownSpans(tokens: string[], masked: Masked): string[] {
  const out = [...tokens];
  masked.sources.forEach((source, i) => {
    if (source === placeholder(i)) return;
    const pattern = new RegExp(`(?<![0-9])${escape(source)}(?![0-9])`, 'u');
    for (const [t, token] of out.entries()) {
      const folded = fold(token);
      const found = folded.length === token.length ? pattern.exec(folded) : null; // folding must keep the offsets
      if (!found) continue;
      out[t] = token.slice(0, found.index) + placeholder(i) + token.slice(found.index + source.length);
      return;
    }
  });
  return out;
}

/**
 * The target tokens with every placeholder exactly once: repeats dropped, missing ones inserted after (or `before`)
 * the target word most attending to them. `alignment` is the output's attention (rows: target tokens, columns:
 * source tokens).
 * `origin[i]` is the index in `tokens` of output token i, or -1 for an inserted placeholder.
 */
export function placeEveryPlaceholder(tokens: string[], masked: Masked, alignment?: Alignment, before = false): { tokens: string[]; origin: number[] } {
  const present = new Set(tokens.flatMap((token) => [...token.matchAll(PLACEHOLDERS)].map((m) => indexOf(m[0]))));
  const insertAfter = new Map<number, string[]>(); // target index (-1: before all) -> placeholders to insert there
  masked.spans.forEach((_, i) => {
    if (present.has(i)) return;
    const word = attendingMost(alignment, masked.sources[i] ?? placeholder(i), tokens, before ? KANA_ONLY : undefined);
    const t = word === undefined ? tokens.length - 1 : before ? word - 1 : word;
    insertAfter.set(t, [...(insertAfter.get(t) ?? []), placeholder(i)]);
  });
  const seen = new Set<number>();
  const out = { tokens: [] as string[], origin: [] as number[] };
  const emit = (token: string, from: number) => {
    if (isPlaceholder(token)) {
      if (seen.has(indexOf(token))) return;
      seen.add(indexOf(token));
    }
    out.tokens.push(token);
    out.origin.push(from);
  };
  insertAfter.get(-1)?.forEach((token) => emit(token, -1));
  tokens.forEach((token, t) => {
    emit(token, t);
    insertAfter.get(t)?.forEach((inserted) => emit(inserted, -1));
  });
  return out;
}

const PUNCTUATION = /^[\p{P}\p{S}]+$/u;
const KANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

/** The target word (not punctuation, nor `skip`) with the largest attention weight on the span's source column. */
function attendingMost(alignment: Alignment | undefined, token: string, tokens: string[], skip?: RegExp): number | undefined {
  const column = alignment?.source.indexOf(token) ?? -1;
  if (!alignment || column < 0) return undefined;
  let best: number | undefined;
  alignment.weights.forEach((row, t) => {
    const word = tokens[t] ?? '';
    if (PUNCTUATION.test(word) || isPlaceholder(word) || skip?.test(word)) return;
    if (best === undefined || (row[column] ?? 0) > (alignment.weights[best]?.[column] ?? 0)) best = t;
  });
  return best;
}

/** The detokenized text with each placeholder replaced by its span. */
export const unmaskVerbatim = (text: string, masked: Masked): string =>
  text.replace(PLACEHOLDERS, (ch) => masked.spans[indexOf(ch)] ?? '');

/**
 * An English sentence that starts with a glossary term starts with a capital (the detokenizer capitalises the first
 * word, and a placeholder is none): `detokenized` before unmasking, `unmasked` after.
 */
export function capitalizeLeadingTerm(detokenized: string, unmasked: string, masked: Masked): string {
  const first = detokenized.match(PLACEHOLDER)?.index === 0 ? masked.terms?.[indexOf(detokenized[0]!)] : undefined;
  return first ? unmasked.charAt(0).toUpperCase() + unmasked.slice(1) : unmasked;
}

/** The source's words outside the vocabulary, without placeholders (they are not words the model lacks). */
export const withoutPlaceholders = (words: string[]): string[] => words.filter((w) => !PLACEHOLDER.test(w));
