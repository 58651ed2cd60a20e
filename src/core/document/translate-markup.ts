// Translating HTML or XML documents: ../segment/markup takes the markup apart into blocks of plain text (the
// inline tags set aside with the ranges they wrap), each block is translated as a document (./translate-documents.ts:
// sentences, verbatim spans, one batch for the whole request), and the tags are put back around the words they
// wrapped through the attention alignment (./projection.ts).
import { translateMarkup, type MarkupOptions } from '../segment/markup.js';
import type { TranslateTimings } from '../translation.js';
import { projectionOf } from './projection.js';
import { NO_MODEL, translateDocuments, type DocumentRequest, type DocumentTranslateOptions, type DocumentTranslation, type TranslatorFor } from './translate-documents.js';

export async function translateMarkupDocuments(
  requests: DocumentRequest[],
  markup: MarkupOptions,
  served: readonly string[],
  translatorFor: TranslatorFor,
  options: DocumentTranslateOptions,
): Promise<{ documents: DocumentTranslation[]; timings: TranslateTimings }> {
  const timings = { tokenizeMs: 0, encodeMs: 0, decodeMs: 0 };
  const documents = await Promise.all(
    requests.map(async ({ text, direction }) => {
      const blocks: DocumentTranslation[] = [];
      const translation = await translateMarkup(text, markup, async (texts) => {
        const done = await translateDocuments(texts.map((block) => ({ text: block, direction })), served, translatorFor, { ...options, alignment: true });
        (Object.keys(timings) as (keyof TranslateTimings)[]).forEach((k) => (timings[k] += done.timings[k]));
        blocks.push(...done.documents);
        return done.documents.map((doc, i) => projectionOf(texts[i]!, doc));
      });
      return summary(translation, blocks);
    }),
  );
  return { documents, timings };
}

/** The markup's translation, with the blocks' tokens, scores and models summed up (sentences are the blocks'). */
function summary(translation: string, blocks: DocumentTranslation[]): DocumentTranslation {
  const warnings = [...new Set(blocks.flatMap((b) => b.warnings ?? []))];
  return {
    translation,
    tokens: blocks.flatMap((b) => b.tokens),
    score: blocks.reduce((sum, b) => sum + b.score, 0),
    unknownWords: [...new Set(blocks.flatMap((b) => b.unknownWords))],
    model: blocks.find((b) => b.model !== NO_MODEL)?.model ?? NO_MODEL,
    ...(warnings.length > 0 && { warnings }),
    annotations: blocks.flatMap((b) => b.annotations),
    sentences: [],
  };
}
