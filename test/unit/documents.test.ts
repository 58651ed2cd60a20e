// Documents through the shipped models: a paragraph translates as its sentences do one by one, the layout comes
// back exactly, verbatim spans come through character for character, nothing is refused for its length, and
// "auto" decides sentence by sentence.
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NO_MODEL,
  translateDocuments,
  type DocumentTranslateOptions,
} from '../../src/core/document/translate-documents.js';
import type { Translator } from '../../src/core/translator.js';
import { initNodeBackend } from '../../train/backend.js';
import { spanIntact } from '../../train/everyday-metrics.js';
import { dictionaryDir, loadModelDir } from '../../train/model-dir.js';

const DIRECTIONS = ['en-ja', 'ja-en'];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shipped = DIRECTIONS.every((d) => existsSync(`model-artifacts/${d}/manifest.json`));
const translators = new Map<string, Translator>();

beforeAll(async () => {
  if (!shipped) return;
  await initNodeBackend('wasm');
  for (const d of DIRECTIONS) translators.set(d, await loadModelDir(`model-artifacts/${d}`));
});

async function translate(text: string, options: Partial<DocumentTranslateOptions> = {}, direction?: string) {
  const { documents } = await translateDocuments([{ text, direction }], DIRECTIONS, async (d) => translators.get(d)!, {
    beam: 4,
    ...options,
  });
  return documents[0]!;
}

describe.runIf(shipped)('documents on the shipped models', () => {
  it('translates a paragraph as its sentences one by one, joined without spaces in Japanese', async () => {
    const sentences = ['Hello, my name is John.', 'I live in Tokyo.', 'It is raining today.'];
    const alone = await Promise.all(sentences.map((s) => translate(s)));
    const doc = await translate(sentences.join(' '));
    expect(doc.sentences.map((s) => s.translation)).toEqual(alone.map((a) => a.translation));
    expect(doc.translation).toBe(alone.map((a) => a.translation).join(''));
    expect(doc.sentences.map((s) => sentences.join(' ').slice(s.source.start, s.source.end))).toEqual(sentences);
    doc.sentences.forEach((s) => expect(doc.translation.slice(s.target.start, s.target.end)).toBe(s.translation));
  });

  it('keeps Japanese sentences apart, and joins English ones with one space, each starting with a capital', async () => {
    const doc = await translate('昨日、友達と一緒に映画を見に行きました。とても面白かったです。');
    expect(doc.sentences).toHaveLength(2);
    expect(doc.translation).toMatch(/^[A-Z][^]*[.!?] [A-Z][^]*[.!?]$/);
  });

  it('gives back every line break, blank line and indentation where it was', async () => {
    const lines = Array.from({ length: 20 }, (_, i) =>
      i % 5 === 4 ? '' : `${i % 3 === 0 ? '  ' : ''}I like green tea.`,
    );
    const text = `\n${lines.join('\r\n')}  \n`;
    const doc = await translate(text);
    expect(doc.translation.split('\r\n')).toHaveLength(20);
    expect(doc.translation.replace(/[^\s]+/g, 'x')).toBe(text.replace(/[^\s]+(?: [^\s]+)*/g, 'x'));
  });

  it('brings numbers, times, URLs, e-mail addresses, handles and hashtags through unchanged', async () => {
    const spans = ['3:30', '1,250.75', 'https://example.com/a?b=1', 'taro@example.co.jp', '@tanaka', '#tokyo'];
    const doc = await translate(
      `The meeting moved to ${spans[0]} and costs ${spans[1]} dollars. See ${spans[2]} or write to ${spans[3]}, ${spans[4]} ${spans[5]}.`,
    );
    for (const span of spans) expect(doc.translation.split(span).length - 1).toBe(1);
    expect(doc.unknownWords.join('')).not.toMatch(/[\uE000-\uF8FF]/u);
  });

  it('keeps URLs and e-mail addresses whole and apart, each once, and says so in the annotations', async () => {
    const spans = ['https://example.com/reset', 'support@example.com'];
    const doc = await translate(
      `Please reset your password at ${spans[0]} and contact ${spans[1]} if it fails.`,
      {},
      'en-ja',
    );
    for (const span of spans) {
      expect(doc.translation.split(span)).toHaveLength(2);
      expect(spanIntact(doc.translation, span), doc.translation).toBe(true);
      expect(doc.translation, 'no letter of any script touches a link').not.toMatch(
        new RegExp(`[\\p{L}\\p{N}]${escape(span)}|${escape(span)}[\\p{L}\\p{N}]`, 'u'),
      );
    }
    expect(doc.sentences[0]!.annotations).toEqual(
      spans.map((span) => ({ kind: 'verbatim', source: span, target: span })),
    );
    expect(doc.annotations).toEqual(doc.sentences[0]!.annotations);
  });

  it('writes times, dates and prices in the target conventions, both ways', async () => {
    const en = await translate(
      'The meeting has been moved to 3:30 pm on Friday, March 14th. It costs $25.',
      {},
      'en-ja',
    );
    for (const entity of ['午後3時30分', '3月14日（金）', '25ドル']) expect(en.translation).toContain(entity);
    expect(en.sentences.map((s) => s.annotations.map((a) => a.kind))).toEqual([['entity', 'entity'], ['entity']]);
    const ja = await translate('会議は3月14日（金）の午後3時30分からです。', {}, 'ja-en');
    for (const entity of ['3:30 pm', 'Friday, March 14']) expect(ja.translation).toContain(entity);
    expect(ja.unknownWords).toEqual([]);
  });

  it('reads a katakana noun it cannot read as a stand-in, and gives back the word, its annotation and its alignment', async () => {
    const doc = await translate('ノートパソコンを家に忘れてきました。', {
      dictionary: dictionaryDir(),
      alignment: true,
    });
    expect(doc.translation).toMatch(/\blaptop computer\b/iu); // read as <unk>, the word was left out
    expect(doc.translation).not.toMatch(/\bbox\b/iu); // the stand-in never shows
    const [sentence] = doc.sentences;
    expect(sentence!.annotations).toEqual([
      { kind: 'dictionary', source: 'ノートパソコン', target: 'laptop computer' },
    ]);
    expect(sentence!.unknownWords).toEqual([]);
    expect(sentence!.alignment!.source).toContain('ノートパソコン');
    expect(sentence!.alignment!.source).not.toContain('箱');
  });

  it('translates a sentence longer than the model reads, in pieces, instead of refusing it', async () => {
    const long = Array.from({ length: 12 }, () => 'I went to the station with my friends').join(', ') + '.';
    const doc = await translate(long);
    expect(doc.sentences).toHaveLength(1);
    expect(doc.translation.length).toBeGreaterThan(20);
  });

  it('gives back text with nothing to translate as it was', async () => {
    for (const text of ['1234', '😀', '!!!', 'https://example.com']) {
      const doc = await translate(text);
      expect(doc).toMatchObject({ translation: text, model: NO_MODEL, tokens: [] });
    }
  });

  it('decides each sentence of "auto" by the share of its letters in each script', async () => {
    expect((await translate('I ate 寿司 in Tokyo yesterday.')).model).toMatch(/^en-ja@/);
    expect((await translate('Toyota (トヨタ) is a car company.')).model).toMatch(/^en-ja@/);
    const mixed = await translate('I like cats. 私は学生です。');
    expect(mixed.sentences.map((s) => s.model.split('@')[0])).toEqual(['en-ja', 'ja-en']);
  });

  it('defines tokens, score, n-best and alignment for documents, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const doc = await translate('I like green tea. Where is the station?', { nbest: 2, alignment: true });
    expect(doc.tokens).toEqual(doc.sentences.flatMap((s) => s.tokens));
    expect(doc.score).toBeCloseTo(
      doc.sentences.reduce((sum, s) => sum + s.score, 0),
      5,
    );
    for (const s of doc.sentences) {
      expect(s.nbest).toHaveLength(2);
      expect(s.alignment?.weights).toHaveLength(s.tokens.length);
    }
    expect(doc.nbest).toBeUndefined(); // a document's n-best lists are its sentences'
    const one = await translate('I like green tea.', { nbest: 2, alignment: true });
    expect(one.nbest).toEqual(one.sentences[0]!.nbest);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('follows split_sentences: "off" translates the text as one sentence, "nonewlines" joins lines', async () => {
    expect((await translate('I like tea. I like cats.', { splitSentences: 'off' })).sentences).toHaveLength(1);
    const joined = await translate('I like green\ntea.', { splitSentences: 'nonewlines' });
    expect(joined.sentences).toHaveLength(1);
    expect(joined.translation).not.toContain('\n');
  });
});
