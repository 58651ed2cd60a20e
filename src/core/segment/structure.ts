// The layout of a document, kept through translation: which parts the model translates (segments) and
// which come back verbatim (whitespace). Pure.
//
// A text is read as  gaps[0] segments[0] gaps[1] segments[1] ... segments[n-1] gaps[n]:
// - a segment is one sentence (splitSentences), its inner whitespace runs (line breaks included)
//   collapsed to one space for the model.
// - a gap is the source's whitespace between them, and comes back verbatim, character for character:
//   every line break as written (\n, \r\n, \r, U+2028/9), blank lines, the whitespace at the start and
//   end of the text and of each line (indentation), and the list marker that starts a line ("- ", "* ",
//   "• ", "・", "1. ", "2) ", "(3) ", "a) ", "① ", "# "): a list comes back a list, and the model, which has
//   never seen one, reads only the item.
// - except a gap between two sentences of one line (inLine[i]): joinDocument puts a separator there,
//   whatever the source had: '' when the translations on both sides are Japanese, else ' '. The target
//   language is given per segment, since a mixed text's language is decided sentence by sentence.
// A text with no segment (empty or whitespace only) is gaps[0] alone, kept as is.
//
// Options, as DeepL's split_sentences:
// - {newlines: 'split', sentences: true}, the default (DeepL "1"): boundaries at sentence ends and at
//   every line break, so n lines in give n lines out.
// - {newlines: 'keep-as-space'} (DeepL "nonewlines"): a line break is no boundary, so a sentence may
//   span lines; its line breaks become spaces and the line layout inside it is lost (as DeepL does).
//   Line breaks between sentences are kept. A blank line is still a boundary: no sentence spans two
//   paragraphs, so an unpunctuated title is not glued to the paragraph below it.
// - {sentences: false} (DeepL "0"): no splitting at all, the whole text is one segment (only its
//   leading and trailing whitespace is kept). With {sentences: false, newlines: 'split'} each line is
//   one segment (subtitles, one sentence a line).
import { splitSentences, type Span } from './sentences.js';

export interface DocumentOptions {
  newlines?: 'split' | 'keep-as-space';
  sentences?: boolean;
}

export interface Layout {
  /** The sentences to translate, in order, each with single spaces. */
  segments: string[];
  /** Where each segment is in the text. */
  spans: Span[];
  /** The source's whitespace around them, segments.length + 1 entries. */
  gaps: string[];
  /** Per gap: between two sentences of one line, so joined with the target language's separator. */
  inLine: boolean[];
}

const LIST_MARKER =
  /^(?:(?:[-*•·●○▪■□◦‣–—>]|#{1,6}|\(?\d{1,3}[.)）]|[（(]\d{1,3}[)）]|\(?[a-z][)]|[a-z]\.(?=\s))[^\S\r\n]+|[・\u2460-\u2473][^\S\r\n]*)/u; // Japanese writes ・ and ① without a space
const LINE_BREAK = /\r\n|\r(?!\n)|[\n\u2028\u2029]/; // \r(?!\n): never half of a \r\n
const BREAKS = new RegExp(LINE_BREAK.source, 'g');
const BLANK_LINES = new RegExp(`(?:${LINE_BREAK.source})(?:[^\\S\\r\\n\\u2028\\u2029]*(?:${LINE_BREAK.source}))+`, 'g');

export function splitDocument(text: string, options: DocumentOptions = {}): Layout {
  const sentences = options.sentences ?? true;
  const newlines = options.newlines ?? (sentences ? 'split' : 'keep-as-space');
  const boundary = newlines === 'split' ? BREAKS : sentences ? BLANK_LINES : undefined;
  const spans: Span[] = [];
  for (const [from, to] of blocks(text, boundary)) {
    const block = text.slice(from, to);
    const found = sentences
      ? splitSentences(block)
      : [{ start: block.length - block.trimStart().length, end: block.trimEnd().length }];
    for (const s of found) if (s.start < s.end) spans.push({ start: from + s.start, end: from + s.end });
  }
  for (const [i, span] of spans.entries()) {
    const before = text.slice(i === 0 ? 0 : spans[i - 1].end, span.start);
    if (i > 0 && !LINE_BREAK.test(before)) continue; // not the first sentence of its line
    span.start += LIST_MARKER.exec(text.slice(span.start, span.end))?.[0].length ?? 0;
  }
  const gaps = [...spans, { start: text.length }].map((s, i) => text.slice(i === 0 ? 0 : spans[i - 1].end, s.start));
  return {
    segments: spans.map((s) => text.slice(s.start, s.end).replace(/\s+/g, ' ')),
    spans,
    gaps,
    inLine: gaps.map((gap, i) => i > 0 && i < spans.length && !LINE_BREAK.test(gap)),
  };
}

/** [from, to) of the text between matches of the boundary (the whole text without one). */
function blocks(text: string, boundary: RegExp | undefined): [number, number][] {
  const found: [number, number][] = [];
  let from = 0;
  for (const m of boundary ? text.matchAll(boundary) : []) {
    found.push([from, m.index]);
    from = m.index + m[0].length;
  }
  found.push([from, text.length]);
  return found;
}

export interface Joined {
  text: string;
  /** Where each translation is in the text. */
  spans: Span[];
}

/** Puts each translation where its sentence was and the source's whitespace back around them.
 *  targetLang: the language of all translations, or of each ('en', 'ja'). */
export function joinDocument(layout: Layout, translations: string[], targetLang: string | readonly string[]): Joined {
  if (translations.length !== layout.segments.length) {
    throw new Error(`joinDocument: ${translations.length} translations for ${layout.segments.length} segments`);
  }
  const lang = (i: number) => (typeof targetLang === 'string' ? targetLang : targetLang[i]);
  const gap = (i: number) => (!layout.inLine[i] ? layout.gaps[i] : lang(i - 1) === 'ja' && lang(i) === 'ja' ? '' : ' ');
  let text = gap(0);
  const spans = translations.map((t, i) => {
    text += t;
    const span = { start: text.length - t.length, end: text.length };
    text += gap(i + 1);
    return span;
  });
  return { text, spans };
}
