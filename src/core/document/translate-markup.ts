// Translating HTML or XML documents: ../segment/markup.ts takes the markup apart into blocks of plain text (the
// inline tags set aside with the ranges they wrap; its opening comment has the rules), the blocks of every document
// of the call are translated together as documents (./translate-documents.ts: sentences, verbatim spans, one batch for
// the whole call: a .docx's paragraphs decode in one batch, not one each), and the tags are put back around the words
// they wrapped through the attention alignment (./projection.ts).
import { markupBlocks, renderBlock, type MarkupOptions, type Projection } from '../segment/markup.js';
import { noTimings, type TranslateTimings } from '../translation.js';
import { projectionOf } from './projection.js';
import {
  NO_MODEL,
  translateDocuments,
  type DocumentRequest,
  type DocumentTranslateOptions,
  type DocumentTranslation,
  type TranslatorFor,
} from './translate-documents.js';

/** Translates blocks' plain texts, one result a block, in order. */
export type TranslateBlocks = (blocks: string[]) => Promise<Projection[]>;

/** `source` with the text of every block translated and its markup kept; throws MarkupError on malformed input. */
export async function translateMarkup(
  source: string,
  options: MarkupOptions,
  translate: TranslateBlocks,
): Promise<string> {
  const { text, blocks } = markupBlocks(source, options);
  const translations = blocks.length ? await translate(blocks.map((block) => block.text)) : [];
  if (translations.length !== blocks.length)
    throw new Error(`translate returned ${translations.length} results for ${blocks.length} blocks`);
  let out = '',
    cursor = 0;
  blocks.forEach((block, i) => {
    out += text.slice(cursor, block.start) + renderBlock(block, translations[i], text, options.mode === 'xml');
    cursor = block.end;
  });
  return out + text.slice(cursor);
}

interface Asked {
  texts: string[];
  direction?: string;
  answer: (projections: Projection[], blocks: DocumentTranslation[]) => void;
}

export async function translateMarkupDocuments(
  requests: DocumentRequest[],
  markup: MarkupOptions,
  served: readonly string[],
  translatorFor: TranslatorFor,
  options: DocumentTranslateOptions,
): Promise<{ documents: DocumentTranslation[]; timings: TranslateTimings }> {
  // Each document is read, and asks for its blocks' translations; once every document has asked (or needs none, or
  // failed to read), all the blocks are translated in one call and each document is answered.
  const asked: Asked[] = [];
  let waiting = requests.length,
    allAsked!: () => void;
  const everyoneAsked = new Promise<void>((resolve) => (allAsked = resolve));
  const arrived = () => void (--waiting === 0 && allAsked());
  const pending = requests.map(async ({ text, direction }) => {
    let blocks: DocumentTranslation[] = [],
      asking = false;
    try {
      const translation = await translateMarkup(text, markup, (texts) => {
        asking = true;
        const answer = new Promise<Projection[]>((resolve) =>
          asked.push({ texts, direction, answer: (projections, done) => ((blocks = done), resolve(projections)) }),
        );
        arrived();
        return answer;
      });
      return summary(translation, blocks);
    } finally {
      if (!asking) arrived();
    }
  });
  pending.forEach((p) => p.catch(() => {})); // rejections are awaited below, after the translation
  if (requests.length > 0) await Promise.race([everyoneAsked, Promise.all(pending)]);
  const all = asked.flatMap((a) => a.texts.map((block) => ({ text: block, direction: a.direction })));
  const done =
    all.length > 0
      ? await translateDocuments(all, served, translatorFor, { ...options, alignment: true })
      : { documents: [], timings: noTimings() };
  let next = 0;
  for (const a of asked) {
    const blocks = done.documents.slice(next, (next += a.texts.length));
    a.answer(
      blocks.map((doc, i) => projectionOf(a.texts[i]!, doc)),
      blocks,
    );
  }
  return { documents: await Promise.all(pending), timings: done.timings };
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
