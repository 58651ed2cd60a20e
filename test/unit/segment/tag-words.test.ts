// No tag splits a word: a tag's projected range snaps to the edges of the translation's words
// (src/core/segment/markup/place.ts), which the document projection derives from the target tokens
// (src/core/document/projection.ts: Japanese tokens joined where the serving tokenizer does not separate them).
import { describe, expect, it } from 'vitest';
import { projectionOf } from '../../../src/core/document/projection.js';
import type { DocumentTranslation } from '../../../src/core/document/translate-documents.js';
import { translateMarkup } from '../../../src/core/document/translate-markup.js';

/** A one-sentence translation of `source` whose target token t attends only to source token focus[t]. */
function translation(
  source: string,
  sourceTokens: string[],
  target: string,
  targetTokens: string[],
  focus: number[],
): DocumentTranslation {
  const weights = focus.map((f) => sourceTokens.map((_, s) => (s === f ? 1 : 0)));
  const alignment = { source: sourceTokens, target: targetTokens, weights };
  const sentence = {
    translation: target,
    tokens: targetTokens,
    score: 0,
    unknownWords: [],
    annotations: [],
    alignment,
    model: 'm',
    source: { start: 0, end: source.length },
    target: { start: 0, end: target.length },
  };
  return {
    translation: target,
    tokens: targetTokens,
    score: 0,
    unknownWords: [],
    annotations: [],
    model: 'm',
    sentences: [sentence],
  };
}

describe('tags and words', () => {
  it('a tag whose words the attention puts on a verb stem takes the whole word: 送っ (the serving tokenizer ends it there), not 送', async () => {
    // "he sent it ." -> 彼 は それ を 送 っ た 。 with "sent" attended by 送 alone
    const doc = translation(
      'He sent it.',
      ['he', 'sent', 'it', '.'],
      '彼はそれを送った。',
      ['彼', 'は', 'それ', 'を', '送', 'っ', 'た', '。'],
      [0, 0, 2, 2, 1, 3, 3, 3],
    );
    const out = await translateMarkup('He <b>sent</b> it.', { mode: 'html' }, async (blocks) =>
      blocks.map((b) => projectionOf(b, doc)),
    );
    expect(out).toBe('彼はそれを<b>送っ</b>た。');
  });

  it('です stays whole: a tag never ends between で and す', async () => {
    const doc = translation(
      'It is fine.',
      ['it', 'is', 'fine', '.'],
      '大丈夫です。',
      ['大丈夫', 'で', 'す', '。'],
      [2, 1, 3, 3],
    );
    const out = await translateMarkup('It <i>is</i> fine.', { mode: 'html' }, async (blocks) =>
      blocks.map((b) => projectionOf(b, doc)),
    );
    expect(out).toBe('大丈夫<i>です</i>。');
  });
});
