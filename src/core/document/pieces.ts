// A sentence as the pieces its model reads, and their translations joined back into the sentence's: the sentence
// itself or, when it is longer than the model reads, cut where ../segment/sentences.ts says; each masked (./verbatim-mask.ts): its verbatim spans, glossary terms, entities and the
// words the dictionary's rules handle (../dictionary/unknown-words.ts) as placeholders, kept words or stand-ins
// (../dictionary/stand-ins.ts).
import { alignmentOf, type Alignment } from '../align.js';
import type { Dictionary, Language } from '../dictionary/dictionary.js';
import { standInFor } from '../dictionary/stand-ins.js';
import { handleUnknownWords } from '../dictionary/unknown-words.js';
import { findEntities } from '../entities/index.js';
import { transliterateName } from '../names/index.js';
import { placeholder } from '../placeholders.js';
import { cutSentence } from '../segment/sentences.js';
import { getTokenizer } from '../tokenize/index.js';
import type { Alternative, TranslateOptions, Translation } from '../translation.js';
import type { Translator } from '../translator.js';
import { fold, maskVerbatim, type FindTerms, type FindWords, type Masked } from './verbatim-mask.js';

/**
 * The sentence as masked pieces the model can read: itself, or cut where ../segment/sentences.ts says. A sentence
 * that fits (nearly all) is masked once; a known span stays one token, so it counts the same masked or not.
 */
export function pieces(text: string, translator: Translator, findTerms?: FindTerms, words?: FindWords): Masked[] {
  const { source } = translator.manifest;
  const tokenizer = getTokenizer(source.tokenizer);
  const known = (span: string) => translator.readsAsKnownToken(span);
  const tokensOf = (piece: string, start: number, end: number) => translator.knownTokensAt(piece, start, end);
  const terms = findTerms && { find: findTerms, tokensOf };
  // An entity the model reads as one word it knows (Friday, 金曜日) stays in the text as a known term does; longer ones
  // ("3:30 pm", "March 14th") are masked: the model would translate their parts, and their carriers are hard to find.
  const entities = {
    find: (piece: string) => findEntities(piece, source.lang, translator.manifest.target.lang),
    tokensOf: (piece: string, start: number, end: number) =>
      ((t) => (t?.length === 1 ? t : undefined))(tokensOf(piece, start, end)),
  };
  const mask = (piece: string) => maskVerbatim(piece, known, terms, entities, words);
  const fits = (masked: Masked) => tokenizer.tokenize(masked.text).length <= source.maxLength;
  const whole = mask(text);
  if (fits(whole)) return [whole];
  return cutSentence(text, (piece) => fits(mask(piece))).map((span) => mask(text.slice(span.start, span.end)));
}

/**
 * The words of a piece that its model cannot read and the dictionary's rules handle (../dictionary/unknown-words.ts),
 * names by ../names; on a later `attempt`, read as the next stand-ins of their class.
 */
export function unknownWordsFinder(translator: Translator, dictionary: Dictionary, attempt = 0): FindWords {
  const from = translator.manifest.source.lang as Language;
  const translate = (word: string, want: 'proper' | 'any') => dictionary.translate(word, from, want);
  const names = (word: string) => transliterateName(word, from === 'en' ? 'en-ja' : 'ja-en');
  const keep = !translator.readsAsKnownToken(placeholder(0)); // today's models read <unk> for a placeholder: ./verbatim-mask.ts
  return (piece) => {
    const tokens = translator.tokenSpans(piece);
    const oneToken = (w: { start: number; end: number }) => tokens.some((t) => t.start === w.start && t.end === w.end);
    const taken = new Set(tokens.map((t) => fold(piece.slice(t.start, t.end))));
    let read = piece; // the piece as the model will read it, stand-ins in
    let shift = 0; // where `read` has a word at, less where `piece` has it
    return handleUnknownWords(piece, tokens, { from, translate, names }).map(({ standIn, ...w }) => {
      const at = w.start + shift;
      const as = (word: string) => read.slice(0, at) + word + read.slice(at + w.end - w.start);
      // A stand-in the model reads as one token of its own where it stands (TinySegmenter cuts by its neighbours).
      const reads = (word: string) =>
        translator.translationsOf(word).length > 0 &&
        translator.tokenSpans(as(word)).some((t) => t.start === at && t.end === at + word.length && t.known);
      const readAs = standIn && standInFor(standIn, from, taken, reads, attempt); // ../dictionary/stand-ins.ts
      if (!readAs) return { ...w, keep: keep && oneToken(w) };
      [read, shift] = [as(readAs), shift + readAs.length - (w.end - w.start)];
      taken.add(readAs);
      return { ...w, readAs };
    });
  };
}

/** A sentence's pieces and their translations (../document/translate-documents.ts). */
interface Translated {
  pieces: Masked[];
  translations: Translation[];
}

/** Translations a sentence gets at most, its words read as other stand-ins each time (../dictionary/stand-ins.ts). */
const STAND_IN_ATTEMPTS = 3;

/**
 * Translates again each sentence whose output left out a word read as a stand-in, with the next stand-ins
 * (`translate` sets the pieces and translations of a batch of sentences, all those still losing a word at once), and
 * keeps the attempt that left out fewest, the earliest of equals.
 */
export function retryLostStandIns<S extends Translated>(
  sentences: S[],
  translate: (batch: S[], attempt: number) => void,
): void {
  const best = new Map(
    sentences.map((s) => [s, { pieces: s.pieces, translations: s.translations, lost: lostStandIns(s) }]),
  );
  let losing = sentences.filter((s) => best.get(s)!.lost > 0);
  for (let attempt = 1; attempt < STAND_IN_ATTEMPTS && losing.length > 0; attempt++) {
    translate(losing, attempt);
    for (const s of losing) {
      const lost = lostStandIns(s);
      if (lost < best.get(s)!.lost) best.set(s, { pieces: s.pieces, translations: s.translations, lost });
    }
    losing = losing.filter((s) => best.get(s)!.lost > 0);
  }
  for (const [s, { pieces, translations }] of best) [s.pieces, s.translations] = [pieces, translations];
}

/** The words of a sentence read as stand-ins that its translation left out (not annotated: ./restore-spans.ts). */
export const lostStandIns = (s: Translated): number =>
  s.pieces.reduce(
    (lost, piece, i) =>
      lost +
      piece.spans.filter(
        (span) =>
          span.rule === 'word' &&
          span.tokens !== undefined &&
          !s.translations[i]?.annotations?.some((a) => a.source === span.source.text),
      ).length,
    0,
  );

/**
 * A sentence's translation from its pieces' translations: one piece's as it is; several in order, joined as the
 * target writes them, continuing pieces not capitalised as a new sentence, their alignments one block-diagonal matrix.
 */
export function joinPieces(
  translations: [Translation, ...Translation[]],
  target: string,
  options: TranslateOptions,
): Translation {
  const annotations = translations.flatMap((t) => t.annotations ?? []);
  if (translations.length === 1) return { ...translations[0], annotations };
  const glue = target === 'ja' ? '' : ' ';
  const join = (texts: string[]) =>
    texts
      .map((t, i) => (i > 0 && glue === ' ' ? lowerFirst(t) : t))
      .filter(Boolean)
      .join(glue);
  return {
    translation: join(translations.map((t) => t.translation)),
    tokens: translations.flatMap((t) => t.tokens),
    score: translations.reduce((sum, t) => sum + t.score, 0),
    unknownWords: [...new Set(translations.flatMap((t) => t.unknownWords))],
    annotations,
    ...(options.nbest !== undefined && { nbest: joinAlternatives(translations, join) }),
    ...(options.alignment &&
      translations.every((t) => t.alignment) && {
        alignment: blockDiagonal(translations.map((t) => t.alignment!)),
      }),
  };
}

const lowerFirst = (text: string): string => (/^I\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1));

/** The k-th alternative of a cut sentence: every piece's k-th (or its last when it has fewer). */
function joinAlternatives(pieces: Translation[], join: (texts: string[]) => string): Alternative[] {
  const k = Math.max(...pieces.map((p) => p.nbest?.length ?? 0));
  return Array.from({ length: k }, (_, i) => {
    const alts = pieces
      .map((p) => p.nbest?.[Math.min(i, (p.nbest?.length ?? 1) - 1)])
      .filter((a): a is Alternative => a !== undefined);
    return {
      translation: join(alts.map((a) => a.translation)),
      tokens: alts.flatMap((a) => a.tokens),
      score: alts.reduce((sum, a) => sum + a.score, 0),
      normalizedScore: alts.reduce((sum, a) => sum + a.normalizedScore, 0),
    };
  });
}

/** The pieces' alignments as one matrix: each piece's target tokens attend only to its own source tokens. */
function blockDiagonal(parts: Alignment[]): Alignment {
  const source = parts.flatMap((a) => a.source);
  let column = 0;
  const rows = parts.flatMap((a) => {
    const offset = column;
    column += a.source.length;
    return a.weights.map((row) => Array.from({ length: source.length }, (_, j) => row[j - offset] ?? 0));
  });
  return alignmentOf(
    source,
    parts.flatMap((a) => a.target),
    rows,
  );
}
