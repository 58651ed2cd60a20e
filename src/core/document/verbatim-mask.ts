// Verbatim spans through the model: each span of ../segment/verbatim.ts (number, time, date, amount, phone number,
// URL, e-mail, `code`, @handle, #hashtag) is replaced by a placeholder before translating and put back, character for
// character, after. A masked piece holds its text and its spans, each one ../annotation.ts SpanAnnotation, from which
// the rest of the pipeline reads what each span is, how the model reads it and what it becomes.
//
// - A placeholder is one character of Unicode's private use area (U+E000 + i for the sentence's i-th span). Every
//   tokenizer keeps it a token of its own (../tokenize) and no vocabulary has it, so the model reads <unk> there:
//   the training data's rare words, names and numbers were <unk> too, so the model has learned to emit <unk> where
//   such a word goes.
// - The search may then emit <unk> (replaceUnknown): each target <unk> becomes the source token it attended to
//   most (../align.ts), which puts a placeholder where the model placed the word.
// - Except a span the model reads as one token of its vocabulary (a number it has seen, "5", "10"): it stays in the
//   text, where the model translates it well ("at 5" -> "５時に"), and the target token that carries it ("５時") gets
//   the span back in its place ("5時": ./carriers.ts). Only when no target token carries it is it placed as below.
// - Every span comes back exactly once: a placeholder the output repeats keeps its first place only; one the
//   output lacks is inserted next to the target word that attended to it most (punctuation, which often gathers
//   the attention of a sentence's end, does not count): in Japanese before it, and only before a word with kanji,
//   katakana or Latin letters (a number precedes its counter or noun, never splits a verb from its kana ending:
//   "3:30に会議", not "感動し3:30た"); in English after it ("at 3:30"); at the end without attention.
// - A span may carry a replacement instead of itself: a glossary term (../glossary/match.ts), whose placeholder comes
//   back as the glossary's target term. Where a term and a span overlap the longer one wins (the term on equal
//   length). A term whose words the model knows (`tokensOf`) stays in the text, as a known span does, so the model
//   translates the sentence it was trained on, and the target tokens that carry it get its placeholder (./carriers.ts
//   markKnownTerms). On the dev sentences, a placeholder in place of every term cost the rest of the sentence 5.9 BLEU
//   en-ja and 6.4 ja-en; kept terms cost 0.1 and gained 2.0 (train/evaluate-glossary.ts [--placeholders]). A term the
//   model does not know is masked like any span.
// - An entity (../entities: a time, date, price, quantity, percentage, ordinal) is a span with a replacement too: its
//   text in the target's conventions ("3:30 pm" -> "午後3時30分"). Of overlapping spans the longest wins, a glossary term
//   then an entity then a verbatim span on equal length. An entity stays in the text as a known term does when the
//   caller's `tokensOf` says the model reads it (../document/translate-documents.ts: one token it knows, "Friday").
// - A word the model cannot read may carry a replacement too (../dictionary/unknown-words.ts `words`): its
//   dictionary translation, a name in the target's script, or its own spelling (iPhone). It is always masked (the
//   model reads <unk> there either way) and loses, on equal length, to a glossary term or an entity. Or, for a model
//   without placeholder tokens, a word of one token stays in the text (`keep`): the model reads it as <unk> all the same,
//   but TinySegmenter cuts its neighbours as it did before (a placeholder changed its cuts and the outputs: ja-en dev
//   BLEU 36.95 masked, 37.08 kept), and the tokens its <unk>s became (../align.ts replaceUnknown) carry it. A dictionary
//   word the output lacks may be left out (`optional` of placeEveryPlaceholder) rather than inserted. A word no rule
//   handled is never copied into the output in the source's script (withoutCopied): it is left out and stays an
//   unknown word.
// - Digits come back as the target writes them: a verbatim number, time, date, amount or phone number written with
//   full-width digits or separators ("３，８００") comes back in ASCII ("3,800"), its characters otherwise kept.
// - Whole and apart (setApart): a span the output has as a token of its own never touches a neighbour it would run
//   into. A URL, e-mail address, @handle or #hashtag gets a space on each side where a letter or digit of any script
//   touches it, Japanese included ("https://example.com/reset で"): a reader's linkifier (linkify-it, for one) runs
//   "https://example.com/resetで" and "support@example.comに" on into the Japanese; punctuation may touch it ("…/reset。").
//   Two spans that meet get a space unless a bracket or a stop is between them ("…/reset support@…", "25ドル 3,800円",
//   but "3月14日（金）午後3時"); any other span gets one where a Latin letter or digit touches it ("call 03-5555-0199",
//   but "03-5555-0199に", "3時に"). The English detokenizer already spaces tokens: this mostly changes Japanese output.
import type { Alignment } from '../align.js';
import type { AnnotationKind, SpanAnnotation } from '../annotation.js';
import { asciiDigits } from '../entities/amount.js';
import type { TermMatch } from '../glossary/match.js';
import {
  FIRST_PLACEHOLDER,
  isPlaceholder,
  LAST_PLACEHOLDER,
  PLACEHOLDER,
  placeholder,
  placeholderIndex,
} from '../placeholders.js';
import { findVerbatim, type VerbatimSpan } from '../segment/verbatim.js';

const PLACEHOLDERS = new RegExp(PLACEHOLDER.source, 'gu');

/** A piece as the model reads it, and its spans (../annotation.ts): placeholder i stands for spans[i]. */
export interface Masked {
  text: string; // the piece with each span replaced by its placeholder (or left as it is, where the model reads it)
  spans: SpanAnnotation[]; // in source order
  wordsRead?: true; // the words the model cannot read went through the dictionary's rules (withoutCopied)
}

/** Finds glossary terms in a text (../glossary/match.ts GlossaryMatcher.find). */
export type FindTerms = (text: string) => TermMatch[];

/**
 * Finds the words of a text the model cannot read that get a replacement (../dictionary/unknown-words.ts); `keep`: the
 * word stays in the text (see the opening comment).
 */
export type FindWords = (text: string) => (TermMatch & { kind: AnnotationKind; keep?: boolean; readAs?: string })[];

/** The glossary terms to mask: how to find them, and the source tokens that read a term the model knows (else undefined). */
export interface TermOptions {
  find: FindTerms;
  tokensOf?: (text: string, start: number, end: number) => string[] | undefined;
}

/**
 * The text with its verbatim spans, glossary terms and entities replaced by placeholders, except spans `known` to the
 * model and terms or entities it reads (`tokensOf`); the text's own private-use characters are dropped.
 */
export function maskVerbatim(
  text: string,
  known: (span: string) => boolean = () => false,
  terms?: TermOptions,
  entities?: TermOptions,
  words?: FindWords,
): Masked {
  const clean = text.replace(PLACEHOLDERS, '');
  const masked: Masked = { text: '', spans: [], ...(words && { wordsRead: true as const }) };
  let at = 0;
  for (const found of spansOf(clean, terms?.find, entities?.find, words)) {
    const i = masked.spans.length;
    if (FIRST_PLACEHOLDER + i > LAST_PLACEHOLDER) break; // 6400 spans in one sentence: the rest is translated as text
    const { start, end, rule, term, verbatim } = found;
    const original = clean.slice(start, end);
    const tokens = found.readAs
      ? [found.readAs]
      : (rule === 'entity' ? entities : rule === 'glossary' ? terms : undefined)?.tokensOf?.(clean, start, end);
    const keep = rule === 'word' ? found.keep === true : term ? tokens !== undefined : known(original);
    masked.text += clean.slice(at, start) + (found.readAs ?? (keep ? original : placeholder(i)));
    masked.spans.push({
      kind: found.kind,
      rule,
      source: { start, end, text: original },
      target: term?.target ?? (verbatim && DIGITS.has(verbatim) ? asciiDigits(original) : original),
      read: tokens ? tokens[0]! : keep ? fold(original) : placeholder(i),
      ...(tokens && { tokens }),
      ...(rule === 'glossary' && { entry: term!.source }),
      ...(verbatim && APART.has(verbatim) && { apart: true as const }),
    });
    at = end;
  }
  masked.text += clean.slice(at);
  return masked;
}

/** Verbatim kinds whose digits come back ASCII, and those set apart from every letter. */
const DIGITS = new Set<VerbatimSpan['kind']>(['number', 'time', 'date', 'amount', 'phone']);
const APART = new Set<VerbatimSpan['kind']>(['url', 'email', 'handle', 'hashtag']);

type Found = Pick<SpanAnnotation, 'kind' | 'rule'> & {
  start: number;
  end: number;
  term?: TermMatch;
  verbatim?: VerbatimSpan['kind'];
  keep?: boolean;
  readAs?: string;
};
const RANK: SpanAnnotation['rule'][] = ['glossary', 'entity', 'word', 'verbatim']; // of two spans of one length, the first wins

/**
 * Glossary terms, entities, words with a replacement and verbatim spans in order, not overlapping: of two that overlap
 * the longer (on a tie a term, then an entity, then a word).
 */
function spansOf(
  text: string,
  findTerms: FindTerms | undefined,
  findEntities: FindTerms | undefined,
  findWords: FindWords | undefined,
): Found[] {
  const all: Found[] = [
    ...(findTerms?.(text) ?? []).map((term) => ({
      start: term.start,
      end: term.end,
      kind: 'glossary' as const,
      rule: 'glossary' as const,
      term,
    })),
    ...(findEntities?.(text) ?? []).map((term) => ({
      start: term.start,
      end: term.end,
      kind: 'entity' as const,
      rule: 'entity' as const,
      term,
    })),
    ...(findWords?.(text) ?? []).map(({ kind, keep, readAs, ...term }) => ({
      start: term.start,
      end: term.end,
      kind,
      rule: 'word' as const,
      term,
      keep,
      readAs,
    })),
    ...findVerbatim(text).map((span) => ({
      start: span.start,
      end: span.end,
      kind: 'verbatim' as const,
      rule: 'verbatim' as const,
      verbatim: span.kind,
    })),
  ];
  all.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || RANK.indexOf(a.rule) - RANK.indexOf(b.rule) || a.start - b.start,
  );
  const kept: Found[] = [];
  for (const span of all)
    if (kept.every((other) => other.end <= span.start || other.start >= span.end)) kept.push(span);
  return kept.sort((a, b) => a.start - b.start);
}

/** A text as the tokenizers fold it before cutting it (NFKC, lower case). */
export const fold = (text: string): string => text.normalize('NFKC').toLowerCase();

/**
 * The target tokens with every placeholder exactly once: repeats dropped, missing ones inserted after (or `before`)
 * the target word most attending to them, except the `optional` ones (dictionary words: ./translate-documents.ts).
 * `alignment` is the output's attention (rows: target tokens, columns:
 * source tokens).
 * `origin[i]` is the index in `tokens` of output token i, or -1 for an inserted placeholder.
 */
export function placeEveryPlaceholder(
  tokens: string[],
  masked: Masked,
  alignment?: Alignment,
  before = false,
  optional?: (i: number) => boolean,
): { tokens: string[]; origin: number[] } {
  const present = new Set(
    tokens.flatMap((token) => [...token.matchAll(PLACEHOLDERS)].map((m) => placeholderIndex(m[0]))),
  );
  const insertAfter = new Map<number, string[]>(); // target index (-1: before all) -> placeholders to insert there
  masked.spans.forEach(({ read }, i) => {
    if (present.has(i) || optional?.(i)) return;
    const word = attendingMost(alignment, read, tokens, before ? KANA_ONLY : undefined);
    const t = word === undefined ? tokens.length - 1 : before ? word - 1 : word;
    insertAfter.set(t, [...(insertAfter.get(t) ?? []), placeholder(i)]);
  });
  const seen = new Set<number>();
  const out = { tokens: [] as string[], origin: [] as number[] };
  const emit = (token: string, from: number) => {
    if (isPlaceholder(token)) {
      if (seen.has(placeholderIndex(token))) return;
      seen.add(placeholderIndex(token));
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

const SCRIPT_OF: Record<string, RegExp> = {
  en: /\p{Script=Latin}/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u,
};

/**
 * The placed tokens without the words the model could not read that no rule handled, where an <unk> copied one in the
 * source's script ("お腹が" into English, "weighs" into Japanese): the target's reader cannot read it, and the
 * translation lists it in unknownWords. Only when the words went through the dictionary's rules (`wordsRead`): a word
 * they handle is a placeholder by now, and without a dictionary the output stays as the model and the <unk>s made it.
 */
export function withoutCopied(
  placed: { tokens: string[]; origin: number[] },
  unknownWords: string[],
  masked: Masked,
  source: string,
): { tokens: string[]; origin: number[] } {
  const script = SCRIPT_OF[source];
  if (!masked.wordsRead || !script) return placed;
  const unread = new Set(unknownWords.map(fold));
  const copied = (token: string) => !isPlaceholder(token) && script.test(token) && unread.has(fold(token));
  const keep = placed.tokens.map((token) => !copied(token));
  return { tokens: placed.tokens.filter((_, k) => keep[k]), origin: placed.origin.filter((_, k) => keep[k]) };
}

const PUNCTUATION = /^[\p{P}\p{S}]+$/u;
const KANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

/** The target word (not punctuation, nor `skip`) with the largest attention weight on the span's source column. */
function attendingMost(
  alignment: Alignment | undefined,
  token: string,
  tokens: string[],
  skip?: RegExp,
): number | undefined {
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

const SPACE = /\s/u;
const BRACKET_OR_STOP = /[\p{Ps}\p{Pe}\p{Pi}\p{Pf}、。，．]/u; // between two spans: "3月14日（金）午後3時"
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;
const OPENING = /[([{「『（［｛〈《‘“'"]/u; // may touch a link on its left
const CLOSING = /[.,;:!?)\]}」』）］｝〉》’”'"。、．，：；！？…]/u; // may touch a link on its right

/**
 * The detokenized text (placeholders not yet replaced) with a space wherever a span that is a token of its own in
 * `tokens` would touch what it must not (see the opening comment); a placeholder inside a token ("\uE000時", a known
 * number the model wrote with its counter) stays as the model joined it.
 */
export function setApart(text: string, tokens: string[], masked: Masked): string {
  const whole = new Set(tokens.filter(isPlaceholder).map(placeholderIndex));
  const span = (ch: string | undefined) =>
    ch !== undefined && whole.has(placeholderIndex(ch)) ? placeholderIndex(ch) : undefined;
  const chars = [...text];
  let out = '';
  chars.forEach((ch, k) => {
    const [left, right] = [span(chars[k - 1]), span(ch)];
    if (k > 0 && (left !== undefined || right !== undefined)) {
      const before = left !== undefined ? [...(masked.spans[left]?.target ?? '')].at(-1) : chars[k - 1];
      const after = right !== undefined ? [...(masked.spans[right]?.target ?? '')][0] : ch;
      if (before !== undefined && after !== undefined && needsSpace(before, after, left, right, masked)) out += ' ';
    }
    out += ch;
  });
  return out;
}

/** Whether a space goes between `before` and `after`, the characters on either side of a span's edge. */
function needsSpace(
  before: string,
  after: string,
  left: number | undefined,
  right: number | undefined,
  masked: Masked,
): boolean {
  if (SPACE.test(before) || SPACE.test(after)) return false;
  if (left !== undefined && right !== undefined) return !BRACKET_OR_STOP.test(before) && !BRACKET_OR_STOP.test(after);
  const outside = left !== undefined ? after : before; // the text's character next to the span
  if (masked.spans[left ?? right!]?.apart) return !(left !== undefined ? CLOSING : OPENING).test(outside);
  return LATIN_OR_DIGIT.test(outside);
}

/** The detokenized text with each placeholder replaced by its span. */
export const unmaskVerbatim = (text: string, masked: Masked): string =>
  text.replace(PLACEHOLDERS, (ch) => masked.spans[placeholderIndex(ch)]?.target ?? '');

/**
 * An English sentence that starts with a glossary term (an entity, a dictionary word) starts with a capital (the
 * detokenizer capitalises the first word, and a placeholder is none); a spelling kept as written (iPhone) stays as it
 * is. `detokenized` before unmasking, `unmasked` after.
 */
export function capitalizeLeadingTerm(detokenized: string, unmasked: string, masked: Masked): string {
  const first =
    detokenized.match(PLACEHOLDER)?.index === 0 ? masked.spans[placeholderIndex(detokenized[0]!)] : undefined;
  return first && first.kind !== 'verbatim' ? unmasked.charAt(0).toUpperCase() + unmasked.slice(1) : unmasked; // iPhone stays
}

/** The source's words outside the vocabulary, without placeholders (they are not words the model lacks). */
export const withoutPlaceholders = (words: string[]): string[] => words.filter((w) => !PLACEHOLDER.test(w));
