// splitDocument + joinDocument: generated documents are built from sentences known one by one, so the
// expected segments and the expected joined text come from the generator, not from the code under test.
import { describe, expect, it } from 'vitest';
import { joinDocument, splitDocument, type DocumentOptions } from '../../../src/core/segment/structure.js';
import { seededRandom } from '../../../train/random.js';

// Each is one sentence. Those ending in a Japanese terminator may be followed by another with no space.
const SENTENCES = [
  'The cat sat on the mat.',
  'Mr. Smith arrived at 3 p.m. on Monday.',
  'Is it ready?!',
  'He said "Stop." ',
  'Visit example.com/a?b=1 today!',
  'Pi is 3.14, roughly.',
  '昨日、映画を見ました。',
  '本当ですか？',
  '「こんにちは。」と彼は言った。',
  '価格は1,000円です！',
  'I ate 寿司 in Tokyo.',
].map((s) => s.trim());
const UNPUNCTUATED = ['Buy milk and eggs', '牛乳を買う', 'Chapter 3'];

interface Generated {
  text: string;
  segments: string[];
  normalised: string; // the text with whitespace inside sentences collapsed
  en: string; // the identity translation joined for English
  ja: string; // and for Japanese
}

/** Lines of sentences (split mode) or paragraphs whose sentences may wrap across lines (keep-as-space). */
function generate(rand: () => number, wrap: boolean): Generated {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const space = () => pick([' ', '  ', '\t', ' \u3000', '\u00a0']);
  const edge = () => pick(['', '', ' ', '  ', '\t', '\u3000', ' \t ']);
  const lineBreak = pick(['\n', '\r\n', 'mixed']);
  const br = () => (lineBreak === 'mixed' ? pick(['\n', '\r\n']) : lineBreak);
  const out: Generated = { text: '', segments: [], normalised: '', en: '', ja: '' };
  const add = (text: string, en = text, ja = en, normalised = text) => {
    [out.text, out.normalised, out.en, out.ja] = [
      out.text + text,
      out.normalised + normalised,
      out.en + en,
      out.ja + ja,
    ];
  };
  const units = 1 + Math.floor(rand() * 8); // lines, or paragraphs when wrapping
  for (let u = 0; u < units; u++) {
    if (u > 0) add(wrap ? br() + edge() + br() : br());
    if (rand() < 0.15) {
      add(edge()); // a blank line
      continue;
    }
    add(edge());
    const count = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
      const last = i === count - 1;
      const sentence = last && rand() < 0.3 ? pick(UNPUNCTUATED) : pick(SENTENCES);
      const written = sentence.replace(/ /g, () => (rand() < 0.2 ? (wrap && rand() < 0.5 ? br() : space()) : ' '));
      add(written, sentence, sentence, sentence);
      out.segments.push(sentence);
      if (last) break;
      const gap =
        wrap && rand() < 0.3 ? edge() + br() + edge() : /[。！？]$/.test(sentence) && rand() < 0.5 ? '' : space();
      if (/\r|\n/.test(gap)) add(gap);
      else add(gap, ' ', '');
    }
    add(edge());
  }
  return out;
}

describe('splitDocument and joinDocument', () => {
  it.each([
    ['split', false, {}],
    ['keep-as-space', true, { newlines: 'keep-as-space' }],
  ] as const)('round-trip generated documents, newlines %s', (_, wrap, options: DocumentOptions) => {
    const rand = seededRandom(wrap ? 2 : 1);
    for (let n = 0; n < 400; n++) {
      const doc = generate(rand, wrap);
      const layout = splitDocument(doc.text, options);
      expect(layout.segments, JSON.stringify(doc.text)).toEqual(doc.segments);
      const withSourceGaps = layout.segments.reduce((out, s, i) => out + s + layout.gaps[i + 1], layout.gaps[0]);
      expect(withSourceGaps, JSON.stringify(doc.text)).toBe(doc.normalised);
      expect(layout.spans.map((s) => doc.text.slice(s.start, s.end).replace(/\s+/g, ' '))).toEqual(doc.segments);
      expect(joinDocument(layout, layout.segments, 'en').text, JSON.stringify(doc.text)).toBe(doc.en);
      expect(joinDocument(layout, layout.segments, 'ja').text, JSON.stringify(doc.text)).toBe(doc.ja);
    }
  });

  it('round-trip generated documents as one segment with sentences: false', () => {
    const rand = seededRandom(3);
    for (let n = 0; n < 200; n++) {
      const { text } = generate(rand, rand() < 0.5);
      const layout = splitDocument(text, { sentences: false });
      const inner = text.trim().replace(/\s+/g, ' ');
      expect(layout.segments).toEqual(inner ? [inner] : []);
      const [lead, trail] = [text.match(/^\s*/)![0], text.match(/\s*$/)![0]];
      expect(joinDocument(layout, layout.segments, 'ja').text).toBe(inner ? lead + inner + trail : text);
    }
  });

  it('keeps every line: 20 lines in, 20 lines out, CRLF as CRLF', () => {
    const lines = Array.from({ length: 20 }, (_, i) =>
      i % 5 === 4 ? '   ' : `${'  '.repeat(i % 3)}Line ${i} is here. It has two sentences.`,
    );
    const text = lines.join('\r\n');
    const layout = splitDocument(text);
    expect(layout.segments).toHaveLength(16 * 2);
    const out = joinDocument(
      layout,
      layout.segments.map((_, i) => `T${i}`),
      'en',
    ).text;
    expect(out.split('\r\n')).toHaveLength(20);
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out.split('\r\n').map((line) => line.match(/^\s*/)![0])).toEqual(
      lines.map((line) => line.match(/^\s*/)![0]),
    );
  });

  it('joins sentences of one line with no space for Japanese and one space for English', () => {
    const ja = splitDocument('昨日、映画を見ました。とても面白かったです。\n  また見たい！');
    expect(ja.segments).toEqual(['昨日、映画を見ました。', 'とても面白かったです。', 'また見たい！']);
    expect(
      joinDocument(ja, ['I saw a movie yesterday.', 'It was very good.', 'I want to see it again!'], 'en').text,
    ).toBe('I saw a movie yesterday. It was very good.\n  I want to see it again!');
    const en = splitDocument('I saw a movie.   It was fun.\t\n');
    expect(joinDocument(en, ['映画を見ました。', '楽しかった。'], 'ja').text).toBe('映画を見ました。楽しかった。\t\n');
  });

  it('joins with no space only where the translations on both sides are Japanese', () => {
    const layout = splitDocument('Tokyo is big. 東京は楽しい。 I went there. 寿司を食べた。');
    const joined = joinDocument(
      layout,
      ['東京は大きい。', 'Tokyo is fun.', 'そこに行った。', 'ご飯を食べた。'],
      ['ja', 'en', 'ja', 'ja'],
    );
    expect(joined.text).toBe('東京は大きい。 Tokyo is fun. そこに行った。ご飯を食べた。');
    expect(joined.spans.map((s) => joined.text.slice(s.start, s.end))).toEqual([
      '東京は大きい。',
      'Tokyo is fun.',
      'そこに行った。',
      'ご飯を食べた。',
    ]);
  });

  it('keeps indentation and list markers verbatim, and translates only the items', () => {
    const layout = splitDocument('  - Buy milk.\n\t- Call mom.\n1. Eat. 2) Sleep.\n・牛乳を買う。\n-\n');
    expect(layout.segments).toEqual(['Buy milk.', 'Call mom.', 'Eat.', '2) Sleep.', '牛乳を買う。', '-']);
    expect(layout.gaps).toEqual(['  - ', '\n\t- ', '\n1. ', ' ', '\n・', '\n', '\n']);
    expect(layout.inLine).toEqual([false, false, false, true, false, false, false]);
  });

  it('collapses whitespace inside a sentence, and lets a sentence span lines with keep-as-space', () => {
    const text = 'This sentence\nspans two   lines. And this one\r\ndoes too.\n\nTitle\nNext paragraph.';
    expect(splitDocument(text).segments).toEqual([
      'This sentence',
      'spans two lines.',
      'And this one',
      'does too.',
      'Title',
      'Next paragraph.',
    ]);
    const layout = splitDocument(text, { newlines: 'keep-as-space' });
    expect(layout.segments).toEqual([
      'This sentence spans two lines.',
      'And this one does too.',
      'Title Next paragraph.',
    ]);
    expect(layout.gaps).toEqual(['', ' ', '\n\n', '']);
    expect(layout.inLine).toEqual([false, true, false, false]);
  });

  it('does not split at all with sentences: false, but keeps the outer whitespace', () => {
    const text = '\n  First line. Second sentence.\r\n  Second line!  \n';
    const whole = splitDocument(text, { sentences: false });
    expect(whole.segments).toEqual(['First line. Second sentence. Second line!']);
    expect(whole.gaps).toEqual(['\n  ', '  \n']);
    expect(joinDocument(whole, ['X'], 'ja')).toEqual({ text: '\n  X  \n', spans: [{ start: 3, end: 4 }] });
    const lines = splitDocument(text, { sentences: false, newlines: 'split' });
    expect(lines.segments).toEqual(['First line. Second sentence.', 'Second line!']);
  });

  it('keeps a text with nothing to translate as it is', () => {
    for (const text of ['', ' ', '\n\n', ' \r\n\t\u3000\n']) {
      const layout = splitDocument(text);
      expect(layout.segments).toEqual([]);
      expect(joinDocument(layout, [], 'en').text).toBe(text);
    }
  });

  it('refuses a translation count that does not match', () => {
    expect(() => joinDocument(splitDocument('One. Two.'), ['Un.'], 'en')).toThrow(/1 translations for 2 segments/);
  });
});
