// What the text pipeline did to a sentence's words besides the model's own translation, told to the caller: each
// span of the source that came through by a rule rather than by the model, and what it became. Every producer of
// such spans (./document/verbatim-mask.ts and what feeds it) reports it here, one entry a span, in source order.
//
// - verbatim: kept character for character (URLs, e-mail addresses, phone numbers, `code`, @handles, #hashtags,
//   numbers, digit-only dates and times; ./segment/verbatim.ts); full-width digits come back half-width.
// - entity: a time, date, price, quantity, percentage or ordinal written again in the target's conventions
//   (./entities: "3:30 pm" -> "午後3時30分", "3,800円" -> "3,800 yen").
// - glossary: a glossary's source term, replaced by its target term (./glossary).
// - dictionary: a word the model cannot read, translated by the bilingual dictionary.
// - transliteration: a name the model cannot read, written in the target's script.
// The source's words that nothing here handled and the model could not read are a translation's `unknownWords`.

export const ANNOTATION_KINDS = ['verbatim', 'entity', 'glossary', 'dictionary', 'transliteration'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export interface Annotation {
  kind: AnnotationKind;
  source: string; // the span as the source text has it
  target: string; // what the translation has in its place (the same text for `verbatim`, bar full-width digits)
}
