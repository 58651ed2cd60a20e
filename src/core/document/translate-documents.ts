// Translating documents: what people paste (paragraphs, lists, subtitle lines, numbers and links) through a model
// trained on single short sentences. Every API face, the page and the Node tools translate through here.
//
// 1. Layout (../segment/structure.ts): sentences to translate, and the whitespace and line breaks kept verbatim.
// 2. Direction, per sentence: the one asked for, or with "auto" the script most of the sentence's letters are
//    written in (../language.ts). A sentence without a letter outside its verbatim spans ("1234", "😀", a URL) is
//    not translated: it comes back as it was.
// 3. Pieces (./pieces.ts): a sentence with more tokens than the model reads is cut at clause boundaries, else between
//    words (../segment/sentences.ts cutSentence); the pieces' translations are joined back into the sentence's.
// 4. Verbatim spans become placeholders before the model and come back character for character, and so do the
//    glossary's source terms, which come back as their target terms, and entities (dates, times, prices, units:
//    ../entities), which come back in the target's conventions (./verbatim-mask.ts masks them, ./restore-spans.ts
//    puts them back). Each sentence's `annotations` say what came back so (../annotation.ts); its `unknownWords` are
//    the words the model could not read and nothing else handled.
//    A word the model cannot read gets its dictionary translation where the dictionary has one (../dictionary: nouns,
//    brands kept as written), through the same masks, the model reading a known word of its class in its place where
//    one suits (../dictionary/stand-ins.ts); the dictionary is asked for only when a sentence has such a word, so a
//    sentence without one pays nothing for it.
// 5. One translate() call per direction (and kind of piece) for the whole request: every sentence is decoded in one
//    batch. Then each translation goes back where its sentence was.
import { annotationOf, type Annotation } from '../annotation.js';
import { chooseDirection, detectLanguage, targetLanguage } from '../language.js';
import type { Span } from '../segment/sentences.js';
import { joinDocument, splitDocument, type DocumentOptions } from '../segment/structure.js';
import { registerFor, type Formality } from '../register.js';
import type { Dictionary, Language } from '../dictionary/dictionary.js';
import { hasWordsToHandle } from '../dictionary/unknown-words.js';
import { PLACEHOLDER } from '../placeholders.js';
import { getTokenizer } from '../tokenize/index.js';
import type { Translator } from '../translator.js';
import {
  addTimings,
  noTimings,
  type TranslateOptions,
  type TranslateTimings,
  type Translation,
} from '../translation.js';
import { restore, type TargetSide } from './restore-spans.js';
import { joinPieces, pieces, retryLostStandIns, unknownWordsFinder } from './pieces.js';
import { maskVerbatim, type FindTerms, type Masked } from './verbatim-mask.js';

/** DeepL's split_sentences: split on punctuation and newlines (default), on punctuation only, or not at all. */
export type SplitSentences = 'on' | 'nonewlines' | 'off';

export interface DocumentRequest {
  text: string;
  direction?: string; // a served direction, or "auto"/undefined: chosen per sentence
}

export interface DocumentTranslateOptions extends Omit<TranslateOptions, 'rerank'> {
  reverseWeight?: number; // rerank the beam's outputs with the other direction's model when it is served (Rerank); 0 = off
  splitSentences?: SplitSentences;
  preserveFormatting?: boolean; // DeepL's: keep the source's lower-case start and missing final punctuation
  maxSentences?: number; // most sentences one call translates (TooMuchTextError beyond): bounds a request's work
  glossary?: (direction: string) => FindTerms | undefined; // the glossary terms of a direction's sentences, if any
  formality?: Formality; // DeepL's, for Japanese output (../register.ts); FormalityError where a model has no registers
  dictionary?: () => Promise<Dictionary | undefined>; // the bilingual dictionary, asked for (once) when a sentence has a
  // word its model cannot read; undefined: none can be loaded, those words go through the model as before
}

/** More sentences than `maxSentences`. */
export class TooMuchTextError extends Error {}

/** One sentence of a document and its translation. */
export interface SentenceTranslation extends Translation {
  source: Span; // where the sentence is in the text
  target: Span; // where its translation is in the document's translation
  model: string; // direction@version, or "none" when the sentence had nothing to translate
  warnings?: string[];
  annotations: Annotation[]; // the spans that came through by rule (verbatim, entity, glossary...), in source order
}

/**
 * A document's translation. `tokens` are every sentence's tokens in order, `score` their sum, `unknownWords` the
 * union; `nbest` and `alignment` belong to sentences, and are repeated here when the document is one sentence.
 */
export interface DocumentTranslation extends Translation {
  model: string; // the model that translated most of the sentences
  warnings?: string[];
  glossaryTerms?: AppliedTerm[]; // the glossary's entries found in the text (each once), whose target is in the translation
  annotations: Annotation[]; // every sentence's, in order
  sentences: SentenceTranslation[];
}

/** A glossary entry a translation applied. */
export interface AppliedTerm {
  source: string;
  target: string;
}

/** The translator of a direction, leased by the caller for as long as the request runs. */
export type TranslatorFor = (direction: string) => Promise<Translator>;

export const NO_MODEL = 'none';

interface Sentence {
  text: string;
  source: Span;
  direction?: string; // undefined: nothing to translate
  warning?: string;
  model?: string; // direction@version of the translator that translated it
  pieces: Masked[];
  translations: Translation[]; // one per piece, filled by translatePieces
}

export async function translateDocuments(
  requests: DocumentRequest[],
  served: readonly string[],
  translatorFor: TranslatorFor,
  options: DocumentTranslateOptions,
): Promise<{ documents: DocumentTranslation[]; timings: TranslateTimings }> {
  const {
    splitSentences = 'on',
    maxSentences = Infinity,
    preserveFormatting = false,
    reverseWeight = 0,
    glossary,
    formality,
    dictionary,
    ...translate
  } = options;
  const layouts = requests.map((r) => splitDocument(r.text, LAYOUT[splitSentences]));
  const count = layouts.reduce((sum, l) => sum + l.segments.length, 0);
  if (count > maxSentences)
    throw new TooMuchTextError(
      `the texts have ${count} sentences in all, more than the ${maxSentences} of one request`,
    );
  const sentences = requests.map((r, d) =>
    layouts[d].segments.map((text, i) => plan(text, layouts[d].spans[i], r.direction, served)),
  );
  const timings = noTimings();
  const all = sentences.flat();
  for (const direction of new Set(all.flatMap((s) => s.direction ?? []))) {
    const translator = await translatorFor(direction);
    const mine = all.filter((s) => s.direction === direction);
    const findTerms = glossary?.(direction);
    for (const s of mine) {
      s.pieces = pieces(s.text, translator, findTerms);
      s.model = translator.id;
    }
    const from = translator.manifest.source.lang as Language;
    const unread = mine.filter((s) =>
      s.pieces.some((p) => hasWordsToHandle(p.text, translator.tokenSpans(p.text), from)),
    );
    const words = unread.length > 0 && (await dictionary?.());
    if (words)
      for (const s of unread) s.pieces = pieces(s.text, translator, findTerms, unknownWordsFinder(translator, words));
    const toModel = mine.filter((s) => !translatedAsTerm(s, targetLanguage(direction)));
    const reverse = reverseDirection(direction);
    const rerank =
      reverseWeight > 0 && translate.beam > 1 && served.includes(reverse)
        ? { reverse: await translatorFor(reverse), weight: reverseWeight }
        : undefined;
    const register = registerFor(formality, translator.supportsRegister, translator.id);
    const asked = { ...translate, ...(rerank && { rerank }), ...(register && { register }) };
    translatePieces(translator, toModel, asked, timings);
    if (words)
      retryLostStandIns(toModel, (batch, attempt) => {
        const finder = unknownWordsFinder(translator, words, attempt);
        for (const s of batch) s.pieces = pieces(s.text, translator, findTerms, finder);
        translatePieces(translator, batch, asked, timings);
      });
  }
  const documents = sentences.map((doc, d) => assemble(layouts[d], doc, translate, preserveFormatting));
  return { documents, timings };
}

const reverseDirection = (direction: string) => direction.split('-').reverse().join('-');

const LAYOUT: Record<SplitSentences, DocumentOptions> = {
  on: { newlines: 'split', sentences: true },
  nonewlines: { newlines: 'keep-as-space', sentences: true },
  off: { sentences: false },
};

const LETTER = /\p{L}/u;

function plan(text: string, source: Span, requested: string | undefined, served: readonly string[]): Sentence {
  const sentence: Sentence = { text, source, pieces: [], translations: [] };
  if (!LETTER.test(maskVerbatim(text).text)) return sentence;
  const { direction, warning } = chooseDirection(requested, text, served);
  return { ...sentence, direction, warning };
}

const FINAL = /^\s*([.!?。！？])?\s*$/u;
const FINAL_IN: Record<string, Record<string, string>> = {
  ja: { '.': '。', '!': '！', '?': '？' },
  en: { '。': '.', '！': '!', '？': '?' },
};

/**
 * A sentence that is one glossary term (and at most a final stop) is translated as the term: its target (and the
 * stop in the target's script), as a dictionary would, not a sentence the model makes up around it ("Apple" ->
 * "Apfel", not "Apfelをして。"). True when so: its translation is set.
 */
function translatedAsTerm(s: Sentence, target: string): boolean {
  const [piece] = s.pieces;
  const term = piece?.spans[0];
  if (s.pieces.length !== 1 || piece!.spans.length !== 1 || !term || term.rule === 'verbatim') return false;
  const clean = s.text.replace(new RegExp(PLACEHOLDER.source, 'gu'), ''); // what the term's offsets are in (./verbatim-mask.ts)
  const before = clean.slice(0, term.source.start).trim();
  const after = clean.slice(term.source.end).match(FINAL);
  if (before !== '' || !after) return false;
  const stop = after[1] ? (FINAL_IN[target]?.[after[1]] ?? after[1]) : '';
  s.translations = [
    {
      translation: term.target + stop,
      tokens: stop ? [term.target, stop] : [term.target],
      score: 0,
      unknownWords: [],
      annotations: [annotationOf(term)],
    },
  ];
  return true;
}

/**
 * Translates every piece of `sentences` in at most three batches: as asked; with the alignment, for pieces whose
 * known verbatim spans may need placing; with <unk> allowed too, for pieces with placeholders (./verbatim-mask.ts).
 */
function translatePieces(
  translator: Translator,
  sentences: Sentence[],
  options: TranslateOptions,
  timings: TranslateTimings,
): void {
  const pieces = sentences.flatMap((s) => s.pieces.map((masked, i) => ({ s, i, masked, kind: kindOf(masked) })));
  const target: TargetSide = {
    detokenize: getTokenizer(translator.manifest.target.tokenizer).detokenize,
    before: translator.manifest.target.lang === 'ja', // where a missing span goes: ./verbatim-mask.ts
    translationsOf: (token) => translator.translationsOf(token),
  };
  for (const kind of ['plain', 'known', 'masked'] as const) {
    const batch = pieces.filter((p) => p.kind === kind);
    if (batch.length === 0) continue;
    const asked =
      kind === 'plain' ? options : { ...options, alignment: true, ...(kind === 'masked' && { replaceUnknown: true }) };
    const done = translator.translate(
      batch.map((p) => p.masked.text),
      asked,
    );
    addTimings(timings, done.timings);
    batch.forEach((p, k) => {
      const t = done.translations[k]!;
      p.s.translations[p.i] = kind === 'plain' ? t : restore(t, p.masked, target, options.alignment === true);
    });
  }
}

// A piece whose unknown words went through the dictionary's rules is restored even without spans: what they left
// unhandled is not copied into the output (./verbatim-mask.ts withoutCopied).
const kindOf = (m: Masked): 'plain' | 'known' | 'masked' =>
  m.spans.length === 0 && !m.wordsRead
    ? 'plain'
    : m.spans.some((span) => PLACEHOLDER.test(span.read))
      ? 'masked'
      : 'known';

/** The document's translation: each sentence's (its pieces joined) where the sentence was. */
function assemble(
  layout: ReturnType<typeof splitDocument>,
  sentences: Sentence[],
  options: TranslateOptions,
  preserve: boolean,
): DocumentTranslation {
  const outputs = sentences
    .map((s) => sentenceOutput(s, options))
    .map((o, i) => (preserve ? { ...o, translation: keepFormatting(o.translation, sentences[i]!.text) } : o));
  const langs = sentences.map((s) => (s.direction ? targetLanguage(s.direction) : detectLanguage(s.text)));
  const joined = joinDocument(
    layout,
    outputs.map((o) => o.translation),
    langs,
  );
  const translated = outputs.map((o, i) => ({ ...o, target: joined.spans[i]! }));
  const models = translated.map((s) => s.model).filter((m) => m !== NO_MODEL);
  const warnings = [...new Set(translated.flatMap((s) => s.warnings ?? []))];
  const terms = appliedTerms(
    sentences.flatMap((s) =>
      s.pieces.flatMap((p) =>
        p.spans.flatMap((span) => (span.entry === undefined ? [] : [{ source: span.entry, target: span.target }])),
      ),
    ),
  );
  const only = translated.length === 1 ? translated[0] : undefined;
  return {
    translation: joined.text,
    tokens: translated.flatMap((s) => s.tokens),
    score: translated.reduce((sum, s) => sum + s.score, 0),
    unknownWords: [...new Set(translated.flatMap((s) => s.unknownWords))],
    model: mostCommon(models) ?? NO_MODEL,
    ...(warnings.length > 0 && { warnings }),
    ...(terms.length > 0 && { glossaryTerms: terms }),
    annotations: translated.flatMap((s) => s.annotations),
    ...(only?.nbest && { nbest: only.nbest }),
    ...(only?.alignment && { alignment: only.alignment }),
    sentences: translated,
  };
}

/** Each entry once, in the order first found. */
function appliedTerms(found: AppliedTerm[]): AppliedTerm[] {
  const seen = new Map<string, AppliedTerm>();
  for (const { source, target } of found) if (!seen.has(source)) seen.set(source, { source, target });
  return [...seen.values()];
}

function sentenceOutput(s: Sentence, options: TranslateOptions): Omit<SentenceTranslation, 'target'> {
  const base = { source: s.source, ...(s.warning && { warnings: [s.warning] }) };
  if (!s.direction || !s.model || s.translations.length === 0)
    return { ...base, translation: s.text, tokens: [], score: 0, unknownWords: [], model: NO_MODEL, annotations: [] };
  const joined = joinPieces(s.translations as [Translation, ...Translation[]], targetLanguage(s.direction), options);
  return { ...base, ...joined, model: s.model, annotations: joined.annotations ?? [] };
}

/** DeepL's preserve_formatting: a source starting in lower case, or without final punctuation, is translated so. */
function keepFormatting(translation: string, source: string): string {
  const first = source.match(/\p{L}/u)?.[0];
  const lower = first !== undefined && first === first.toLowerCase() && first !== first.toUpperCase();
  const unpunctuated = !FINAL_PUNCTUATION.test(source);
  return (lower ? translation.replace(/\p{L}/u, (c) => c.toLowerCase()) : translation).replace(
    unpunctuated ? /[.!?。！？]+$/u : /$^/,
    '',
  );
}

const FINAL_PUNCTUATION = /[.!?。！？…‥][)\]"'”’」』）]*$/u;

function mostCommon(items: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
