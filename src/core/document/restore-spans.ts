// A piece's translation with its verbatim spans put back (./verbatim-mask.ts masked them, and its rules say where each
// goes), in its text, its tokens and its alignment: placeholders where the model put them or attention says (a
// dictionary word the model left out stays out), glossary terms and dictionary words as their targets, English nouns
// in their sentence's form, and the words a rule handled no longer unknown. The spans the translation has, as it has
// them, are its annotations (../annotation.ts). ./translate-documents.ts restores every piece that had spans or words
// the dictionary's rules read.
import type { Alignment } from '../align.js';
import { annotationOf } from '../annotation.js';
import { fitNouns } from '../dictionary/english-form.js';
import { PLACEHOLDER, placeholderIndex } from '../placeholders.js';
import type { Translation } from '../translation.js';
import { markKnownSpans, markKnownTerms } from './carriers.js';
import {
  capitalizeLeadingTerm,
  fold,
  placeEveryPlaceholder,
  setApart,
  unmaskVerbatim,
  withoutCopied,
  withoutPlaceholders,
  type Masked,
} from './verbatim-mask.js';

/** What restoring a translation needs of its target side. */
export interface TargetSide {
  detokenize: (tokens: string[]) => string;
  before: boolean; // a missing span goes before the word attending to it (Japanese), else after
  translationsOf: (source: string) => readonly string[]; // a source token's likely translations (glossary terms' carriers)
}

/** A piece's translation with its verbatim spans back, in the text, the tokens and the alignment. */
export function restore(
  t: Translation,
  masked: Masked,
  { detokenize, before, translationsOf }: TargetSide,
  keepAlignment: boolean,
): Translation {
  const unmaskToken = (token: string) => unmaskVerbatim(token, masked);
  const { alignment, nbest, ...rest } = t;
  // A dictionary word the model left out is not inserted by attention: on dev that put it in the wrong place more often
  // than not (ja-en dev BLEU 37.08 inserted, 37.44 left out; 37.20 without the dictionary); it stays an unknown word.
  const optional = (i: number) => masked.spans[i]?.kind === 'dictionary';
  const place = (tokens: string[], withAlignment?: Alignment) => {
    const marked = markKnownTerms(markKnownSpans(tokens, masked), masked, withAlignment, translationsOf);
    const placed = withoutCopied(
      placeEveryPlaceholder(marked, masked, withAlignment, before, optional),
      t.unknownWords,
      masked,
      before ? 'en' : 'ja',
    );
    const fitted = before ? { tokens: placed.tokens, masked } : fitEnglish(placed.tokens, masked); // "an app", "two apps"
    const text = setApart(detokenize(fitted.tokens), fitted.tokens, fitted.masked);
    const unmasked = unmaskVerbatim(text, fitted.masked);
    const translation = before ? unmasked : capitalizeLeadingTerm(text, unmasked, fitted.masked);
    return { placed, masked: fitted.masked, tokens: fitted.tokens.map(unmaskToken), translation };
  };
  const best = place(t.tokens, alignment);
  const placed = new Set(
    best.placed.tokens.join('').match(new RegExp(PLACEHOLDER.source, 'gu'))?.map(placeholderIndex),
  );
  const left = masked.spans.flatMap((_, i) => (optional(i) && !placed.has(i) ? [i] : [])); // dictionary words left out
  const handled = handledWords(masked, placed);
  return {
    ...rest,
    translation: best.translation,
    tokens: best.tokens,
    unknownWords: [
      ...new Set([
        ...withoutPlaceholders(t.unknownWords).filter((word) => !handled.has(word)),
        ...left.map((i) => fold(masked.spans[i]!.source.text)),
      ]),
    ],
    annotations: best.masked.spans.filter((_, i) => !left.includes(i)).map(annotationOf),
    ...(nbest && {
      nbest: nbest.map((alt, k) => ({ ...alt, ...pick(place(alt.tokens, k === 0 ? alignment : undefined)) })),
    }),
    ...(keepAlignment &&
      alignment && { alignment: restoredAlignment(alignment, best.placed, best.tokens, sourceOf(masked)) }),
  };
}

/** The words kept in the text that a rule handled and the output has (a dictionary word, a name): no unknown words, though the model read <unk>. */
const handledWords = (masked: Masked, placed: Set<number>): Set<string> =>
  new Set(
    masked.spans.flatMap(({ rule, read }, i) =>
      placed.has(i) && rule === 'word' && !PLACEHOLDER.test(read) ? [read] : [],
    ),
  );

/** English output with each dictionary noun in its sentence's form and its article agreeing (../dictionary/english-form.ts). */
function fitEnglish(tokens: string[], masked: Masked): { tokens: string[]; masked: Masked } {
  if (!masked.spans.some((span) => span.kind === 'dictionary')) return { tokens, masked };
  const fitted = fitNouns(tokens, masked.spans);
  return { tokens: fitted.tokens, masked: { ...masked, spans: fitted.spans } };
}

const pick = ({ tokens, translation }: { tokens: string[]; translation: string }) => ({ tokens, translation });

/** A source token as the reader wrote it: a placeholder's span, a stand-in's word (../dictionary/stand-ins.ts). */
function sourceOf(masked: Masked): (token: string) => string {
  const standIns = new Map(
    masked.spans.flatMap((s) => (s.rule === 'word' && s.tokens ? [[s.read, s.source.text]] : [])),
  );
  return (token) => standIns.get(token) ?? unmaskVerbatim(token, masked);
}

/** The alignment of the restored tokens: an inserted placeholder attends only to its own source column. */
function restoredAlignment(
  alignment: Alignment,
  placed: { tokens: string[]; origin: number[] },
  tokens: string[],
  unmask: (t: string) => string,
): Alignment {
  const weights = placed.origin.map((from, i) => {
    if (from >= 0) return alignment.weights[from] ?? [];
    const column = alignment.source.indexOf(placed.tokens[i]!);
    return alignment.source.map((_, j) => (j === column ? 1 : 0));
  });
  return { source: alignment.source.map(unmask), target: tokens, weights };
}
