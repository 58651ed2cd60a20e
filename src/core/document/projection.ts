// Where a piece of the source went in the translation, from the attention alignment: what carries inline markup
// onto the translation (../segment/markup), the approach of Firefox's Bergamot translator.
//
// - Tokens are located in their text in order (case and width folded, as the tokenizers fold them); a token that
//   cannot be found (a tokenizer rewrote it, e.g. '"' read as "''") takes an empty span where the search stands.
// - A source range maps to the target tokens that attend most to a source token inside it; when none does, to the
//   target token attending most to each of its source tokens; a sentence without alignment (nothing translated, or
//   no attention) maps proportionally, character for character.
// - A point (an empty range: a void tag, removed content) maps to the start of the first target token of its sentence
//   that attends to a source token at or after it, else to the end of the sentence's translation. Points and ranges
//   between sentences map to the gap between their translations.
import { mostAttended } from '../align.js';
import type { Projection } from '../segment/markup.js';
import type { Span } from '../segment/sentences.js';
import { getTokenizer } from '../tokenize/index.js';
import type { DocumentTranslation, SentenceTranslation } from './translate-documents.js';

interface Located {
  sentence: SentenceTranslation;
  source: Span[]; // per source token (alignment columns), in the block
  target: Span[]; // per target token (alignment rows), in the translation
  focus: number[]; // per target token, its most attended source token (-1 without alignment)
}

export function projectionOf(block: string, doc: DocumentTranslation): Projection {
  const units = doc.sentences.map((sentence): Located => {
    const source = locate(sentence.alignment?.source ?? [], block, sentence.source);
    const target = locate(sentence.alignment?.target ?? [], doc.translation, sentence.target);
    const focus = target.map((_, t) =>
      sentence.alignment?.weights[t] ? mostAttended(sentence.alignment.weights[t]) : -1,
    );
    return { sentence, source, target, focus };
  });
  return {
    text: doc.translation,
    project: (start, end) => (start === end ? point(units, start) : range(units, start, end)) ?? gap(units, start, end),
    words: units.flatMap((u) => wordsOf(u.target, doc.translation)),
  };
}

/**
 * Target tokens joined into words: in Japanese, the corpus's segmentation splits a verb from its endings (送|っ|た,
 * で|す), so consecutive tokens are one word unless the serving tokenizer separates them too.
 */
function wordsOf(tokens: Span[], text: string): Span[] {
  const real = tokens.filter((t) => t.end > t.start);
  if (!JAPANESE.test(text) || real.length === 0) return real;
  const edges = new Set<number>();
  let at = real[0]!.start;
  for (const word of getTokenizer('japanese').tokenize(text.slice(real[0]!.start, real.at(-1)!.end))) {
    const found = text.indexOf(word, at);
    if (found < 0) continue;
    edges.add(found).add((at = found + word.length));
  }
  const words: Span[] = [];
  for (const t of real) {
    const last = words.at(-1);
    if (last && last.end === t.start && !edges.has(t.start)) last.end = t.end;
    else words.push({ ...t });
  }
  return words;
}

const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Each token's span in `text`, searched in order inside `within`. */
function locate(tokens: string[], text: string, within: Span): Span[] {
  const folded = fold(text);
  let at = within.start;
  return tokens.map((token) => {
    const found = folded.indexOf(fold(token), at);
    if (found < 0 || found + token.length > within.end) return { start: at, end: at };
    at = found + token.length;
    return { start: found, end: at };
  });
}

/** Lower case, and full-width forms read as ASCII when that keeps the length (offsets must not move). */
function fold(text: string): string {
  const nfkc = text.normalize('NFKC');
  return (nfkc.length === text.length ? nfkc : text).toLowerCase();
}

const overlaps = (a: Span, start: number, end: number) => a.start < end && start < a.end;

function range(units: Located[], start: number, end: number): Span | undefined {
  const hits: Span[] = [];
  for (const u of units.filter((u) => overlaps(u.sentence.source, start, end))) {
    if (u.target.length === 0 || u.source.length === 0) {
      hits.push(proportional(u.sentence, start, end));
      continue;
    }
    const inside = u.source.map((s) => overlaps(s, start, end));
    const targets = u.target.filter((_, t) => inside[u.focus[t]!]);
    if (targets.length > 0) hits.push(...targets);
    else hits.push(...inside.flatMap((isIn, j) => (isIn ? [u.target[mostAttending(u, j)]!] : [])));
  }
  if (hits.length === 0) return undefined;
  return { start: Math.min(...hits.map((h) => h.start)), end: Math.max(...hits.map((h) => h.end)) };
}

function point(units: Located[], at: number): Span | undefined {
  const u = units.find((u) => u.sentence.source.start < at && at < u.sentence.source.end);
  if (!u) return undefined;
  if (u.target.length === 0 || u.source.length === 0) return proportional(u.sentence, at, at);
  const next = u.source.findIndex((s) => s.start >= at);
  const t = next < 0 ? -1 : u.focus.findIndex((j) => j >= next);
  const p = t < 0 ? u.sentence.target.end : u.target[t]!.start;
  return { start: p, end: p };
}

/** Outside every sentence: the end of the translation of the last sentence before it (or the start). */
function gap(units: Located[], start: number, end: number): Span {
  const before = units.filter((u) => u.sentence.source.end <= start);
  const after = units.filter((u) => u.sentence.source.start >= end);
  const from = before.at(-1)?.sentence.target.end ?? 0;
  const to = end === start ? from : (after[0]?.sentence.target.start ?? from);
  return { start: from, end: Math.max(from, to) };
}

function proportional(s: SentenceTranslation, start: number, end: number): Span {
  const scale = (s.target.end - s.target.start) / Math.max(1, s.source.end - s.source.start);
  const map = (p: number) =>
    s.target.start + Math.round((Math.min(Math.max(p, s.source.start), s.source.end) - s.source.start) * scale);
  return { start: map(start), end: map(end) };
}

/** The target token with the most weight on source token j. */
function mostAttending(u: Located, j: number): number {
  const weights = u.sentence.alignment?.weights ?? [];
  let best = 0;
  weights.forEach((row, t) => {
    if ((row[j] ?? 0) > (weights[best]?.[j] ?? 0)) best = t;
  });
  return best;
}
