// What the text pipeline did to a sentence's words besides the model's own translation: each span of the source that
// came through by a rule rather than by the model, and what it became. One type carries a span through the pipeline,
// as Bergamot's AnnotatedText carries a text's sentence and word ranges: the masks find the spans of a piece and say
// what each becomes (./document/verbatim-mask.ts), restoring keeps those the translation has, as it has them
// (./document/restore-spans.ts), and the API's `annotations` are read off those (annotationOf), one entry a span, in
// source order.
//
// - verbatim: kept character for character (URLs, e-mail addresses, phone numbers, `code`, @handles, #hashtags,
//   numbers, digit-only dates and times; ./segment/verbatim.ts); full-width digits come back half-width.
// - entity: a time, date, price, quantity, percentage or ordinal written again in the target's conventions
//   (./entities: "3:30 pm" -> "午後3時30分", "3,800円" -> "3,800 yen").
// - glossary: a glossary's source term, replaced by its target term (./glossary).
// - dictionary: a word the model cannot read, translated by the bilingual dictionary.
// - transliteration: a name the model cannot read, written in the target's script.
// The source's words that nothing here handled and the model could not read are a translation's `unknownWords`.
import type { Span } from './segment/sentences.js';

export const ANNOTATION_KINDS = ['verbatim', 'entity', 'glossary', 'dictionary', 'transliteration'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/**
 * A span of a piece of the source that comes through by rule. In a masked piece, placeholder i (./placeholders.ts)
 * stands for its i-th span, in the text the model reads and in the output, until restoring writes `target` there.
 * Worked example (test/unit/verbatim-mask.test.ts checks it), "Call me at 3:30 pm on iPhone" into Japanese with a
 * dictionary: two spans,
 *   { kind: 'entity', rule: 'entity', source: { start: 11, end: 18, text: '3:30 pm' }, target: '午後3時30分', read: '\uE000' }
 *   { kind: 'verbatim', rule: 'word', source: { start: 22, end: 28, text: 'iPhone' }, target: 'iPhone', read: '\uE001' }
 */
export interface SpanAnnotation {
  kind: AnnotationKind;
  // What found it: the glossary, ./entities, the rules for a word the model cannot read (./dictionary/unknown-words.ts,
  // which keeps iPhone as written: a word of kind verbatim), or ./segment/verbatim.ts.
  rule: 'glossary' | 'entity' | 'word' | 'verbatim';
  source: Span & { text: string }; // where it is in the piece (without the piece's own private-use characters), as written
  target: string; // what the translation has in its place: the span itself (digits in ASCII) or its replacement;
  // restoring puts an English dictionary noun in its sentence's form ("apps")
  read: string; // how the model reads it: its placeholder, or where it stays in the text, the span as the tokenizers
  // fold it (a known number, a kept word) or a kept term's first token
  tokens?: string[]; // a glossary term or entity the model reads, left in the text: its source tokens
  entry?: string; // a glossary term: its source as the glossary has it ("prize" for "prizes")
  apart?: true; // a URL, e-mail address, @handle or #hashtag: set apart from every letter in the output
}

/** What the API says of a span: what it is, as the source has it, and what the translation has in its place. */
export interface Annotation {
  kind: AnnotationKind;
  source: string;
  target: string;
}

export const annotationOf = ({ kind, source, target }: SpanAnnotation): Annotation => ({
  kind,
  source: source.text,
  target,
});
